"""Black box: an agency's signed result lands in the citizen's warehouse and a later dossier
reuses it instead of a new upload; the reuse is an event on Kafka."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
from confluent_kafka import Consumer

from digitization import samples
from lienthong.auth import Role, issue_token
from lienthong_tools.devstack import Stack, kafka_bootstrap

ID_NUMBER = "051090123456"


def _events_for(topic: str, owner: str, want: int, timeout: float = 15.0) -> list[str]:
    consumer = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap(),
            "group.id": f"e2e-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    types: list[str] = []
    deadline = time.monotonic() + timeout
    while len(types) < want and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None and not msg.error() and msg.key() == owner.encode():
            types.append(dict(msg.headers() or [])["ce_type"].decode().rsplit(".", 1)[1])
    consumer.close()
    return types


async def test_signed_result_is_reused_by_a_later_dossier_from_the_warehouse(
    stack: Stack,
) -> None:
    url = stack.url("digitization")
    officer = {"Authorization": f"Bearer {stack.token(Role.OFFICER, 'JUSTICE', '51')}"}
    async with httpx.AsyncClient(timeout=20) as client:
        issued = await client.post(
            f"{url}/api/v1/results",
            headers=officer,
            data={
                "document_type": "birth-certificate",
                "dossier_id": str(uuid.uuid4()),
                "owner_id_number": ID_NUMBER,
            },
            files={
                "file": ("r.pdf", samples.pdf("Trich luc " + uuid.uuid4().hex), "application/pdf")
            },
        )
        assert issued.status_code == 201, issued.text
        result = issued.json()
        assert result["signature"]["status"] == "VALID"
        owner = result["owner_subject_id"]
        citizen_token = issue_token(stack.jwt_secret, subject=owner, role=Role.CITIZEN)
        citizen = {"Authorization": f"Bearer {citizen_token}"}

        warehouse = (await client.get(f"{url}/api/v1/warehouse", headers=citizen)).json()
        new_dossier = str(uuid.uuid4())
        reused = await client.post(
            f"{url}/api/v1/dossiers/{new_dossier}/documents",
            headers=citizen,
            json={"document_id": result["id"], "unit_code": "51"},
        )
        someone_else = {"Authorization": f"Bearer {stack.token(Role.CITIZEN)}"}
        refused = await client.get(f"{url}/api/v1/documents/{result['id']}", headers=someone_else)

    assert result["id"] in {d["id"] for d in warehouse}
    assert ID_NUMBER not in str(warehouse)
    assert reused.status_code == 201
    assert refused.status_code == 404
    assert refused.headers["content-type"] == "application/problem+json"
    topic = stack.topic("digitization.document.events")
    types = await asyncio.to_thread(_events_for, topic, owner, 2)
    assert types == ["ResultIssued", "DocumentReused"]
