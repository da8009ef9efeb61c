"""The faust app factory speaks the platform's Avro codec."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from lienthong.codec import Decoded
from lienthong.faust_app import AvroEventCodec, create_faust_app
from lienthong.service import load_codec
from lienthong.settings import KafkaSettings

SMOKE = "vn.lienthong.platform.SmokeTestRecorded"


def test_faust_codec_round_trips_single_object_encoded_events() -> None:
    codec = AvroEventCodec(load_codec())
    record = {
        "probe_id": uuid.uuid4(),
        "sequence": 3,
        "sent_at": datetime.now(UTC).replace(microsecond=0),
        "payload": "p",
    }
    body = codec.dumps(Decoded(SMOKE, 1, record))
    assert body[:2] == b"\xc3\x01"
    decoded = codec.loads(body)
    assert decoded.full_name == SMOKE
    assert decoded.record == record


def test_faust_codec_refuses_values_that_are_not_decoded_events() -> None:
    with pytest.raises(TypeError):
        AvroEventCodec(load_codec()).dumps({"not": "an event"})


def test_the_app_uses_the_avro_codec_and_the_group_prefix() -> None:
    kafka = KafkaSettings(bootstrap_servers="127.0.0.1:9092", group_prefix="t1.")
    app = create_faust_app("rolling-counts", kafka, load_codec())
    assert app.conf.id == "t1.rolling-counts"
    assert app.conf.value_serializer == "lienthong-avro"
    assert str(app.conf.broker[0]) == "kafka://127.0.0.1:9092"
