"""Builds a service's key ring from its settings (the composition root calls this).

Why this exists: every service reaches the key service the same way — the ``keys``
database, and the KEK from the Kubernetes Secret or a Transit KMS — so it is wired once.
"""

from __future__ import annotations

import asyncpg

from lienthong.db import create_pool
from lienthong.personal.keys import MIGRATIONS, KeyRing
from lienthong.personal.master import (
    LocalMasterKeys,
    MasterKey,
    TransitMasterKey,
    parse_master_keys,
)
from lienthong.settings import ServiceSettings


async def master_key_from(settings: ServiceSettings) -> MasterKey:
    if settings.personal_data_kms_address:
        transit = TransitMasterKey(
            settings.personal_data_kms_address,
            settings.personal_data_kms_token or "",
            settings.personal_data_kms_key,
        )
        await transit.refresh()
        return transit
    if not settings.personal_data_master_keys:
        raise ValueError("set PERSONAL_DATA_MASTER_KEYS or PERSONAL_DATA_KMS_ADDRESS")
    return LocalMasterKeys(parse_master_keys(settings.personal_data_master_keys))


async def connect_key_ring(
    settings: ServiceSettings, *, pool_size: int = 2
) -> tuple[asyncpg.Pool, KeyRing] | None:
    """The key database pool and this service's key ring; None when sealing is off."""
    if not settings.keys_database_url:
        return None
    master = await master_key_from(settings)
    pool = await create_pool(settings.keys_database_url, MIGRATIONS, max_size=pool_size)
    ring = KeyRing(
        pool, master, settings.service_name, ttl=settings.personal_data_key_cache_seconds
    )
    return pool, ring
