"""Personal data in the event log: sealed per citizen at the codec edge, erasable by key.

Why this exists: topics keep every event forever, and event bodies name citizens. The
outbox seals each person record's personal fields under that citizen's data key before the
record is encoded; the inbox opens them after decoding, only for the kinds the catalog
entitles the reading service to (``personal_readers``), and masks the rest without opening
anything. Domain code sees clear values, masks or ``erased``, never a box. Destroying a
citizen's key (``KeyService.erase``) erases their data from every topic, copy and backup of
the log at once. See ``docs/adr/0150-personal-fields-sealed-per-citizen.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lienthong.contracts.catalog import Catalog
from lienthong.contracts.schemas import SchemaSet
from lienthong.personal.keys import KeyRing, KeyService
from lienthong.personal.master import LocalMasterKeys, MasterKey, TransitMasterKey
from lienthong.personal.sealing import ERASED, MASKED, DataKey, Sealer

__all__ = [
    "ERASED",
    "MASKED",
    "DataKey",
    "KeyRing",
    "KeyService",
    "LocalMasterKeys",
    "MasterKey",
    "PersonalData",
    "Sealer",
    "TransitMasterKey",
    "entitlements_of",
]

Entitlements = Mapping[str, frozenset[str] | None]
"""Event type → kinds a service may read in clear (None: every kind; empty: none)."""


def entitlements_of(catalog: Catalog, service: str) -> dict[str, frozenset[str] | None]:
    """What ``service`` may read in clear, per event type, from the topics' personal_readers."""
    result: dict[str, frozenset[str] | None] = {}
    for topic in catalog.topics():
        kinds = topic.personal_kinds_for(service)
        for event_type in topic.event_types:
            if event_type in result and result[event_type] is None:
                continue
            if kinds is None:
                result[event_type] = None
            else:
                result[event_type] = (result.get(event_type) or frozenset()) | kinds
    return result


class PersonalData:
    """The codec edge of one service: seal before encoding, open after decoding.

    Without a key ring (encryption off) records are written in clear and sealed records
    cannot be opened (entitled readers then see them as erased); masking of kinds a service
    is not entitled to applies either way.
    """

    def __init__(
        self,
        schemas: SchemaSet,
        entitlements: Entitlements,
        keys: KeyRing | None,
        *,
        service: str,
    ) -> None:
        self.sealer = Sealer(schemas)
        self._entitlements = dict(entitlements)
        self.keys = keys
        self._service = service

    @classmethod
    def for_service(
        cls, schemas: SchemaSet, catalog: Catalog, service: str, keys: KeyRing | None
    ) -> PersonalData:
        return cls(schemas, entitlements_of(catalog, service), keys, service=service)

    @property
    def sealing(self) -> bool:
        return self.keys is not None

    def allowed(self, event_type: str) -> frozenset[str] | None:
        return self._entitlements.get(event_type, frozenset())

    async def seal(self, event_type: str, record: Mapping[str, Any]) -> Mapping[str, Any]:
        if self.keys is None or not self.sealer.has_personal_fields(event_type):
            return record
        subjects = self.sealer.subjects(event_type, record)
        keys = await self.keys.for_sealing(subjects, purpose=f"write {event_type}")
        return self.sealer.seal(event_type, record, keys)

    async def open(
        self, event_type: str, record: dict[str, Any], *, fresh: bool = False
    ) -> dict[str, Any]:
        """The record as this service may see it; ``fresh``: the record comes straight from
        the decoder and may be changed in place."""
        if not self.sealer.has_personal_fields(event_type):
            return record
        allowed = self.allowed(event_type)
        return await self._open(event_type, record, allowed, f"read {event_type}", in_place=fresh)

    async def reveal(self, event_type: str, record: dict[str, Any], purpose: str) -> dict[str, Any]:
        """Every personal field in clear (or ``erased``): for showing a stored, sealed body to
        a person whose role allows it. Audited under ``purpose``."""
        if not self.sealer.has_personal_fields(event_type):
            return record
        return await self._open(event_type, record, None, purpose)

    async def prefetch(self, records: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        """Bring the keys for opening all of ``records`` into the cache in one request."""
        if self.keys is None:
            return
        subjects: set[str] = set()
        types: set[str] = set()
        for event_type, record in records:
            allowed = self.allowed(event_type)
            if self.sealer.has_personal_fields(event_type) and (allowed is None or allowed):
                found = self.sealer.sealed_subjects(event_type, record)
                if found:
                    subjects |= found
                    types.add(event_type)
        if subjects:
            await self.keys.for_opening(subjects, "read " + ", ".join(sorted(types)))

    def mask(self, event_type: str, record: dict[str, Any]) -> dict[str, Any]:
        """The record with every personal field masked; opens nothing (no keys needed)."""
        if not self.sealer.has_personal_fields(event_type):
            return record
        return self.sealer.open(event_type, record, frozenset(), {})

    async def _open(
        self,
        event_type: str,
        record: dict[str, Any],
        allowed: frozenset[str] | None,
        purpose: str,
        *,
        in_place: bool = False,
    ) -> dict[str, Any]:
        keys: dict[str, DataKey | None] = {}
        if allowed is None or allowed:
            subjects = self.sealer.sealed_subjects(event_type, record)
            if subjects and self.keys is not None:
                keys = await self.keys.for_opening(subjects, purpose)
        return self.sealer.open(event_type, record, allowed, keys, in_place=in_place)
