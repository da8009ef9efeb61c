"""The KEK in a real Transit KMS (HashiCorp Vault, dev server of our own on a free port):
data keys wrapped and unwrapped there, rotation in the KMS, then rewrapping."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio

from lienthong.contracts.catalog import load_catalog
from lienthong.contracts.schemas import load_schema_set
from lienthong.db import create_pool
from lienthong.personal import KeyRing, KeyService, PersonalData
from lienthong.personal.keys import MIGRATIONS
from lienthong.personal.master import TransitMasterKey
from lienthong_tools.pytest_plugin import create_database, drop_database

BINARY_ENV = "LIENTHONG_TRANSIT_KMS_BINARY"


def vault_binary() -> str | None:
    """A `vault` or `bao` server binary (both speak Transit), when one is installed."""
    configured = os.environ.get(BINARY_ENV)
    return configured if configured and Path(configured).is_file() else None


pytestmark = pytest.mark.skipif(
    vault_binary() is None,
    reason=f"no Transit KMS binary here (set {BINARY_ENV}); see ADR 0150 section 9",
)
TOKEN = "lienthong-test-root"


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"http://127.0.0.1:{port}"
    log = Path(tmp_path_factory.mktemp("vault")) / "vault.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [
                str(vault_binary()),
                "server",
                "-dev",
                f"-dev-root-token-id={TOKEN}",
                f"-dev-listen-address=127.0.0.1:{port}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HOME": str(log.parent)},
        )
    try:
        headers = {"X-Vault-Token": TOKEN}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{address}/v1/sys/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise TimeoutError(f"vault did not start; see {log}")
        httpx.post(
            f"{address}/v1/sys/mounts/transit", json={"type": "transit"}, headers=headers
        ).raise_for_status()
        httpx.post(
            f"{address}/v1/transit/keys/lienthong-kek",
            json={"type": "aes256-gcm96"},
            headers=headers,
        ).raise_for_status()
        yield address
    finally:
        server.terminate()
        server.wait(10)


@pytest_asyncio.fixture
async def keys_pool() -> AsyncIterator[asyncpg.Pool]:
    url = await create_database("it_kms_")
    pool = await create_pool(url, MIGRATIONS, max_size=3)
    try:
        yield pool
    finally:
        await pool.close()
        await drop_database(url)


async def test_data_keys_wrapped_by_the_kms_open_sealed_events_across_a_kms_rotation(
    vault: str, keys_pool: asyncpg.Pool
) -> None:
    schemas = load_schema_set()
    catalog = load_catalog(schemas)
    kms = TransitMasterKey(vault, TOKEN, "lienthong-kek")
    await kms.refresh()
    subject = "sub_" + uuid.uuid4().hex
    record = {
        "request_id": str(uuid.uuid4()),
        "subject_id": subject,
        "id_number": "051187462210",
        "full_name": "Võ Thị Mỹ Linh",
        "birth_date": None,
        "mother_id_number": None,
        "requested_at": 0,
    }
    event = "vn.lienthong.population.CitizenVerificationRequested"
    writer = PersonalData.for_service(schemas, catalog, "identity", KeyRing(keys_pool, kms, "i"))
    sealed = await writer.seal(event, record)
    assert sealed["full_name"] == "" and sealed["sealed_personal"]
    async with keys_pool.acquire() as conn:
        wrapped = await conn.fetchval(
            "SELECT wrapped FROM data_keys WHERE subject_id = $1", subject
        )
    assert bytes(wrapped).startswith(b"vault:v1:")

    async with httpx.AsyncClient() as client:
        rotated = await client.post(
            f"{vault}/v1/transit/keys/lienthong-kek/rotate", headers={"X-Vault-Token": TOKEN}
        )
        rotated.raise_for_status()
    await kms.refresh()
    assert await KeyService(keys_pool, kms).rotate() == 1
    assert await KeyService(keys_pool, kms).kek_versions() == {2: 1}

    reader = PersonalData.for_service(
        schemas, catalog, "population_registry", KeyRing(keys_pool, kms, "p")
    )
    opened = await reader.open(event, dict(sealed))
    assert (opened["full_name"], opened["id_number"]) == ("Võ Thị Mỹ Linh", "051187462210")
    await kms.close()
