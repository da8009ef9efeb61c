"""The agency kit on the real broker: what the client publishes passes the conformance
check an agency runs against its own topic; a forged message on the same topic is named."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from confluent_kafka.admin import NewTopic

from lienthong.contracts.provision import admin_client
from lienthong.kafka import EventProducer, OutgoingMessage, producer_config
from lienthong.subjects import SubjectIds
from lienthong_tools.devstack import kafka_bootstrap
from lienthong_tools.kit.client import AgencyClient
from lienthong_tools.kit.conformance import check_topic

pytestmark = pytest.mark.integration
TOPIC = "agency.insurance.card.events"


def test_client_messages_conform_and_a_forged_one_is_named() -> None:
    prefix = f"kit{uuid.uuid4().hex[:8]}."
    admin = admin_client(kafka_bootstrap())
    admin.create_topics([NewTopic(prefix + TOPIC, 1, 1)])[prefix + TOPIC].result(30)
    try:
        client = AgencyClient(kafka_bootstrap(), "/agency/bhxh-51", topic_prefix=prefix)
        at = datetime(2022, 3, 2, 3, tzinfo=UTC)
        # Keys are the platform's keyed hashes of real-looking 12-digit numbers (Quảng Ngãi,
        # 051), never the numbers themselves.
        subjects = SubjectIds("kit-conformance-test-key")
        for n, outcome in enumerate(("FOUND_VALID", "NAME_MISMATCH")):
            client.publish(
                "vn.lienthong.insurance.HealthInsuranceLookedUp",
                {
                    "lookup_id": str(uuid.uuid4()),
                    "subject_id": subjects.for_id_number(f"05119{uuid.uuid4().int % 10**6:06d}{n}"),
                    "facility_code": "51001",
                    "outcome": outcome,
                    "looked_up_at": at,
                },
                time=at,
            )
        client.close()
        read, findings = check_topic(
            client.contracts, kafka_bootstrap(), TOPIC, topic_prefix=prefix, idle_s=3
        )
        assert (read, findings) == (2, [])

        forged = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))
        forged.send_batch_sync(
            [OutgoingMessage(prefix + TOPIC, b"051090123456", b"{}", [("ce_type", b"x")])]
        )
        forged.close()
        read, findings = check_topic(
            client.contracts, kafka_bootstrap(), TOPIC, topic_prefix=prefix, idle_s=3
        )
        assert read == 3
        problems = {f.problem for f in findings}
        assert any("ID number" in p for p in problems)
        assert any("CloudEvents" in p or "ce_" in p for p in problems)
    finally:
        admin.delete_topics([prefix + TOPIC])
