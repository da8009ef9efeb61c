"""A faust-streaming app wired to the platform's codec, for stateful stream processing.

Why this exists: windowed and table-backed processing (counting per unit per hour, joins)
is what faust is for. Its agents receive ``Decoded`` bodies through ``AvroEventCodec`` —
the same single-object encoding and schemas as every other consumer. Faust is treated as
at-least-once (its exactly-once mode has known bugs): state that must survive a crash or be
counted exactly lives in PostgreSQL behind the inbox, not only in faust tables. See
ADR 0003 for why the core services' consumers use the inbox runner instead.
"""

from __future__ import annotations

from typing import Any

import faust
from faust.serializers import codecs

from lienthong.codec import AvroCodec, Decoded
from lienthong.settings import KafkaSettings

CODEC_NAME = "lienthong-avro"


class AvroEventCodec(codecs.Codec):
    """faust codec: bytes ↔ ``Decoded`` (event type, writer version, record)."""

    def __init__(self, avro: AvroCodec, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._avro = avro

    def _loads(self, s: bytes) -> Decoded:
        return self._avro.decode(s)

    def _dumps(self, s: Any) -> bytes:
        if not isinstance(s, Decoded):
            raise TypeError("AvroEventCodec writes Decoded(full_name, version, record) values")
        return self._avro.encode(s.full_name, s.record)


def create_faust_app(
    app_id: str, kafka: KafkaSettings, avro: AvroCodec, **options: Any
) -> faust.App:
    """A faust app on the platform's broker whose values use the Avro codec by default."""
    codecs.register(CODEC_NAME, AvroEventCodec(avro))
    return faust.App(
        kafka.group_prefix + app_id,
        broker=f"kafka://{kafka.bootstrap_servers}",
        value_serializer=CODEC_NAME,
        key_serializer="raw",
        processing_guarantee="at_least_once",
        topic_replication_factor=options.pop("topic_replication_factor", 1),
        web_enabled=options.pop("web_enabled", False),
        **options,
    )
