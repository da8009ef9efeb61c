"""A small client an agency system uses to publish its facts on the platform's topics.

Why this exists: an agency integrator should need nothing but the published contracts
(``schemas/`` and its catalog, also documented as AsyncAPI in ``docs/asyncapi.yaml``):
which topic carries an event type, which field is its key, how the body is encoded (Avro
single-object encoding of the newest schema version) and which CloudEvents headers travel
with it. This client derives all of that from the contracts; the agency supplies the record
(field names of the schema) and the time the fact happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from lienthong.codec import AvroCodec
from lienthong.contracts.catalog import Catalog, load_catalog
from lienthong.contracts.schemas import default_schemas_dir, load_schema_set
from lienthong.envelope import Envelope, dataschema_uri, to_headers
from lienthong.kafka import EventProducer, OutgoingMessage, producer_config


@dataclass(frozen=True)
class Contracts:
    """The published contracts: schemas (every version) and the topic catalog."""

    codec: AvroCodec
    catalog: Catalog

    @classmethod
    def load(cls, schemas_dir: Path | None = None) -> Contracts:
        schemas = load_schema_set(schemas_dir or default_schemas_dir())
        return cls(AvroCodec(schemas.all_versions()), load_catalog(schemas))

    def message(
        self,
        event_type: str,
        record: Mapping[str, Any],
        *,
        time: datetime,
        source: str,
        subject: str | None = None,
        topic_prefix: str = "",
    ) -> OutgoingMessage:
        """The Kafka message of one fact: topic and key from the catalog, body encoded with
        the newest schema version, CloudEvents binary-mode headers (``ce_time`` = ``time``,
        the event time)."""
        topics = [t for t in self.catalog.topics_for_event(event_type) if not t.dead_letter]
        if not topics:
            raise ValueError(f"{event_type} is on no topic of the catalog")
        topic = topics[0]
        key = record.get(topic.key)
        if not isinstance(key, str) or not key:
            raise ValueError(f"{event_type} needs its key field {topic.key!r} (a string)")
        envelope = Envelope(
            type=event_type,
            source=source,
            time=time,
            dataschema=dataschema_uri(event_type, self.codec.latest_version(event_type)),
            subject=subject,
        )
        return OutgoingMessage(
            topic_prefix + topic.name,
            key.encode(),
            self.codec.encode(event_type, record),
            to_headers(envelope),
        )


class AgencyClient:
    """Publishes an agency's facts (idempotent producer, every send acknowledged)."""

    def __init__(
        self,
        bootstrap_servers: str,
        source: str,
        *,
        contracts: Contracts | None = None,
        topic_prefix: str = "",
        **kafka: Any,
    ) -> None:
        self.contracts = contracts or Contracts.load()
        self.source = source
        self.topic_prefix = topic_prefix
        self._producer = EventProducer(
            producer_config({"bootstrap.servers": bootstrap_servers, **kafka})
        )

    def publish(
        self,
        event_type: str,
        record: Mapping[str, Any],
        *,
        time: datetime,
        subject: str | None = None,
    ) -> None:
        message = self.contracts.message(
            event_type,
            record,
            time=time,
            source=self.source,
            subject=subject,
            topic_prefix=self.topic_prefix,
        )
        self._producer.send_batch_sync([message])

    def close(self) -> None:
        self._producer.close()
