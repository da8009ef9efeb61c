"""``lienthong keys``: the key service's administration — erase a citizen, rotate the KEK.

Why this exists: a lawful erasure request and a KEK rotation are operator actions with a
record of who and why; the work is done by ``lienthong.personal`` (one transaction with the
``PersonalDataErased`` event), this module reads options and prints results.
Reads ``KEYS_DATABASE_URL``, ``PERSONAL_DATA_MASTER_KEYS`` (or ``PERSONAL_DATA_KMS_*``),
``KAFKA_BOOTSTRAP_SERVERS`` and ``KAFKA_TOPIC_PREFIX``.
"""

from __future__ import annotations

import asyncio
import os
from typing import Annotated, Any

import typer

from lienthong_tools.cli import fail, report_problems, stdout

app = typer.Typer(help="Citizens' data keys: erase on a lawful request, rotate the KEK.")


async def _master() -> Any:
    from lienthong.personal.master import (
        LocalMasterKeys,
        TransitMasterKey,
        parse_master_keys,
    )

    address = os.environ.get("PERSONAL_DATA_KMS_ADDRESS")
    if address:
        transit = TransitMasterKey(
            address,
            os.environ.get("PERSONAL_DATA_KMS_TOKEN", ""),
            os.environ.get("PERSONAL_DATA_KMS_KEY", "lienthong-kek"),
        )
        await transit.refresh()
        return transit
    configured = os.environ.get("PERSONAL_DATA_MASTER_KEYS")
    if not configured:
        fail("set PERSONAL_DATA_MASTER_KEYS or PERSONAL_DATA_KMS_ADDRESS")
    return LocalMasterKeys(parse_master_keys(configured))


def _keys_url() -> str:
    url = os.environ.get("KEYS_DATABASE_URL")
    if not url:
        fail("set KEYS_DATABASE_URL (the key service's database)")
    return url


@app.command()
def erase(
    subject_id: Annotated[str, typer.Argument(help="pseudonymous subject id (sub_...)")],
    requested_by: Annotated[str, typer.Option(help="who asks: officer id or system")],
    legal_basis: Annotated[
        str, typer.Option(help="SUBJECT_REQUEST, CONSENT_WITHDRAWN, PURPOSE_FULFILLED, ...")
    ],
    reason: Annotated[str, typer.Option(help="reference of the request (decision number)")],
    unit: Annotated[str | None, typer.Option(help="GSO code of the requesting unit")] = None,
) -> None:
    """Destroy a citizen's data key: every personal field sealed under it reads `erased`."""
    from lienthong.db import create_pool
    from lienthong.kafka import EventProducer, producer_config
    from lienthong.personal.erasure import ErasureRequest
    from lienthong.personal.erasure import erase as erase_subject
    from lienthong.personal.keys import MIGRATIONS
    from lienthong.service import load_codec

    request = ErasureRequest(subject_id, requested_by, legal_basis, reason, unit)
    if request.problems():
        report_problems(request.problems())

    async def main() -> Any:
        master = await _master()
        pool = await create_pool(_keys_url(), MIGRATIONS, max_size=2)
        producer = EventProducer(
            producer_config(
                {"bootstrap.servers": os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")}
            )
        )
        try:
            return await erase_subject(
                pool,
                master,
                load_codec(),
                producer,
                request,
                topic_prefix=os.environ.get("KAFKA_TOPIC_PREFIX", ""),
            )
        finally:
            producer.close()
            await pool.close()

    done = asyncio.run(main())
    stdout().print(
        f"erased {done.subject_id}: {done.keys_destroyed} key(s) destroyed,"
        f" erasure {done.erasure_id} announced on platform.erasure.events"
    )


@app.command()
def rotate() -> None:
    """Rewrap every data key under the newest KEK; then the older KEK can be retired."""
    from lienthong.db import create_pool
    from lienthong.personal.keys import MIGRATIONS, KeyService

    async def main() -> tuple[int, dict[int, int]]:
        master = await _master()
        pool = await create_pool(_keys_url(), MIGRATIONS, max_size=2)
        try:
            service = KeyService(pool, master)
            return await service.rotate(), await service.kek_versions()
        finally:
            await pool.close()

    count, versions = asyncio.run(main())
    stdout().print(f"rewrapped {count} data key(s); keys per KEK version: {versions}")


@app.command("new-kek")
def new_kek(version: Annotated[int, typer.Argument(help="the new KEK's version number")]) -> None:
    """Print a fresh `<version>:<base64>` entry to prepend to PERSONAL_DATA_MASTER_KEYS."""
    from lienthong.personal.master import new_master_key_entry

    if version < 1:
        fail("a KEK version is at least 1")
    typer.echo(new_master_key_entry(version))


@app.command()
def reseal(
    source: Annotated[str, typer.Argument(help="topic written in clear (catalog name)")],
    target: Annotated[str, typer.Argument(help="new, empty topic with the same partitions")],
) -> None:
    """Copy a topic into a new one, sealing every record still in clear (same order, keys,
    headers); then switch consumers to the new topic and retire the old one."""
    from lienthong.contracts.catalog import load_catalog
    from lienthong.contracts.schemas import load_schema_set
    from lienthong.db import create_pool
    from lienthong.kafka import EventProducer, producer_config
    from lienthong.personal import KeyRing, PersonalData
    from lienthong.personal.keys import MIGRATIONS
    from lienthong.personal.migration import MigrationError, reseal_topic
    from lienthong.service import load_codec

    schemas = load_schema_set()
    catalog = load_catalog(schemas)
    declared = [t for t in catalog.topics() if t.name == source]
    writer = declared[0].producer if declared else "keys"
    prefix = os.environ.get("KAFKA_TOPIC_PREFIX", "")
    client = {"bootstrap.servers": os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")}

    async def main() -> Any:
        master = await _master()
        pool = await create_pool(_keys_url(), MIGRATIONS, max_size=2)
        producer = EventProducer(producer_config(client))
        ring = KeyRing(pool, master, f"{writer} (reseal)")
        try:
            return await reseal_topic(
                client,
                prefix + source,
                prefix + target,
                load_codec(),
                PersonalData.for_service(schemas, catalog, writer, ring),
                producer,
            )
        finally:
            producer.close()
            await pool.close()

    try:
        report = asyncio.run(main())
    except MigrationError as exc:
        fail(str(exc))
    stdout().print(
        f"copied {report.copied} record(s) of {report.partitions} partition(s):"
        f" {report.sealed} sealed now, {report.unreadable} unreadable copied as they were"
    )
