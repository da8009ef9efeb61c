"""The digitization service in-process on a fresh PostgreSQL database and fresh Kafka topics."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from confluent_kafka import Consumer
from confluent_kafka.admin import AdminClient, NewTopic

from digitization.bootstrap import create_app
from digitization.config import DigitizationSettings
from digitization.domain.events import DOCUMENT_TOPIC
from lienthong.auth import Role, issue_token
from lienthong.codec import AvroCodec
from lienthong.service import load_codec
from lienthong_tools.devstack import kafka_bootstrap

SECRET = "it-digitization-secret-0123456789abcdef"
SUBJECT_KEY = "it-digitization-subject-key-0123"


@dataclass
class Service:
    client: httpx.AsyncClient
    topic: str
    data_dir: Path
    database_url: str
    codec: AvroCodec

    def token(
        self, role: Role, subject: str = "", agency: str | None = None, unit: str | None = None
    ) -> dict[str, str]:
        token = issue_token(
            SECRET,
            subject=subject or f"{role.value}-{uuid.uuid4().hex[:6]}",
            role=role,
            agency=agency,
            unit=unit,
        )
        return {"Authorization": f"Bearer {token}"}

    async def events(
        self, want: int, timeout: float = 20.0
    ) -> list[tuple[str, dict[str, Any], str]]:
        """(event type, record, key) of the first ``want`` events on the document topic; read
        in a thread so the service's outbox relay (same event loop) keeps publishing."""
        return await asyncio.to_thread(self._events, want, timeout)

    def _events(self, want: int, timeout: float) -> list[tuple[str, dict[str, Any], str]]:
        consumer = Consumer(
            {
                "bootstrap.servers": kafka_bootstrap(),
                "group.id": f"it-reader-{uuid.uuid4()}",
                "auto.offset.reset": "earliest",
            }
        )
        consumer.subscribe([self.topic])
        out: list[tuple[str, dict[str, Any], str]] = []
        deadline = time.monotonic() + timeout
        while len(out) < want and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error():
                continue
            headers = dict(msg.headers() or [])
            decoded = self.codec.decode(msg.value())
            out.append((headers["ce_type"].decode(), decoded.record, msg.key().decode()))
        consumer.close()
        return out


@pytest.fixture
def prefix() -> Iterator[str]:
    name = f"it{uuid.uuid4().hex[:8]}."
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap()})
    topic = name + DOCUMENT_TOPIC
    for future in admin.create_topics([NewTopic(topic, 3, 1)]).values():
        future.result(30)
    yield name
    for future in admin.delete_topics([topic]).values():
        future.result(30)


@pytest_asyncio.fixture
async def service(
    prefix: str, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Service]:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap())
    monkeypatch.setenv("KAFKA_TOPIC_PREFIX", prefix)
    settings = DigitizationSettings(
        lienthong_env="test",
        database_url=database,
        subject_id_key=SUBJECT_KEY,
        auth_jwt_secret=SECRET,
        data_dir=str(tmp_path / "data"),
        max_upload_bytes=2 * 1024 * 1024,
    )  # type: ignore[call-arg]
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://dig") as client:
            yield Service(
                client,
                prefix + DOCUMENT_TOPIC,
                tmp_path / "data",
                settings.database_url,
                load_codec(),
            )
