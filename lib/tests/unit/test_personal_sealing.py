"""Personal fields sealed per citizen at the codec edge: opened only for entitled readers."""

from __future__ import annotations

import io
import os
import uuid
from datetime import UTC, date, datetime
from typing import Any

import fastavro
import pytest

from lienthong.codec import AvroCodec, fingerprint
from lienthong.contracts.catalog import load_catalog
from lienthong.contracts.schemas import SchemaSet, load_schema_set
from lienthong.personal import ERASED, MASKED, DataKey, PersonalData, Sealer, entitlements_of
from lienthong.personal.master import LocalMasterKeys, MasterKeyError, parse_master_keys

DOSSIER = "vn.lienthong.intake.DossierSubmitted"
MOTHER = "sub_mother0000000000000000000000"
CHILD = "sub_child00000000000000000000000"


@pytest.fixture(scope="module")
def schemas() -> SchemaSet:
    return load_schema_set()


@pytest.fixture(scope="module")
def codec(schemas: SchemaSet) -> AvroCodec:
    return AvroCodec(schemas.all_versions())


def key() -> DataKey:
    return DataKey.of(os.urandom(4), os.urandom(32))


def dossier() -> dict[str, Any]:
    return {
        "dossier_id": str(uuid.uuid4()),
        "dossier_code": "G22.51-261205-0001",
        "procedure_code": "1.001193",
        "channel": "PORTAL",
        "unit_code": "21211",
        "submitted_at": datetime(2026, 12, 5, 8, 0, tzinfo=UTC),
        "appointment_at": datetime(2026, 12, 8, 8, 0, tzinfo=UTC),
        "persons": [
            {
                "role": "MOTHER",
                "subject_id": MOTHER,
                "id_number": "051190001234",
                "full_name": "Nguyễn Thị Lan",
                "birth_date": date(1990, 3, 14),
                "gender": "FEMALE",
            },
            {
                "role": "CHILD",
                "subject_id": CHILD,
                "id_number": None,
                "full_name": "Trần Minh Khôi",
                "birth_date": date(2026, 11, 30),
                "gender": "MALE",
            },
        ],
        "document_refs": [],
        "officer_id": None,
    }


def test_sealed_dossier_bytes_hold_no_name_id_number_or_birth_date(
    schemas: SchemaSet, codec: AvroCodec
) -> None:
    keys = {MOTHER: key(), CHILD: key()}
    body = codec.encode(DOSSIER, Sealer(schemas).seal(DOSSIER, dossier(), keys))
    for secret in ("Nguyễn Thị Lan", "Trần Minh Khôi", "051190001234"):
        assert secret.encode() not in body
    days = (date(1990, 3, 14) - date(1970, 1, 1)).days
    assert fastavro_int(days) not in body.split(b"sub_mother")[1][:60]


def fastavro_int(value: int) -> bytes:
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, fastavro.parse_schema("int"), value)
    return buffer.getvalue()


def test_an_entitled_reader_sees_every_person_in_clear(
    schemas: SchemaSet, codec: AvroCodec
) -> None:
    sealer = Sealer(schemas)
    keys = {MOTHER: key(), CHILD: key()}
    original = dossier()
    decoded = codec.decode(codec.encode(DOSSIER, sealer.seal(DOSSIER, original, keys)))
    assert sealer.sealed_subjects(DOSSIER, decoded.record) == {MOTHER, CHILD}
    opened = sealer.open(DOSSIER, decoded.record, None, dict(keys))
    for seen, sent in zip(opened["persons"], original["persons"], strict=True):
        for name in ("id_number", "full_name", "birth_date", "gender"):
            assert seen[name] == sent[name]


def test_sealing_leaves_the_callers_record_alone(schemas: SchemaSet) -> None:
    original = dossier()
    Sealer(schemas).seal(DOSSIER, original, {MOTHER: key(), CHILD: key()})
    assert original == dossier() | {"dossier_id": original["dossier_id"]}


def test_a_reader_not_entitled_gets_masks_without_any_key(
    schemas: SchemaSet, codec: AvroCodec
) -> None:
    sealer = Sealer(schemas)
    sealed = sealer.seal(DOSSIER, dossier(), {MOTHER: key(), CHILD: key()})
    record = codec.decode(codec.encode(DOSSIER, sealed)).record
    masked = sealer.open(DOSSIER, record, frozenset(), {})
    mother = masked["persons"][0]
    assert (mother["full_name"], mother["id_number"], mother["birth_date"]) == (
        MASKED,
        MASKED,
        None,
    )
    assert mother["gender"] is None and mother["subject_id"] == MOTHER
    assert mother["sealed_personal"] == record["persons"][0]["sealed_personal"]


def test_a_reader_entitled_to_some_kinds_sees_only_those(schemas: SchemaSet) -> None:
    sealer = Sealer(schemas)
    keys = {MOTHER: key(), CHILD: key()}
    sealed = sealer.seal(DOSSIER, dossier(), keys)
    seen = sealer.open(DOSSIER, sealed, frozenset({"name"}), dict(keys))["persons"][0]
    assert (seen["full_name"], seen["id_number"], seen["birth_date"]) == (
        "Nguyễn Thị Lan",
        MASKED,
        None,
    )


def test_an_erased_citizen_reads_erased_and_the_other_person_stays(schemas: SchemaSet) -> None:
    sealer = Sealer(schemas)
    keys = {MOTHER: key(), CHILD: key()}
    sealed = sealer.seal(DOSSIER, dossier(), keys)
    mother, child = sealer.open(DOSSIER, sealed, None, {CHILD: keys[CHILD]})["persons"]
    assert (mother["full_name"], mother["id_number"], mother["birth_date"]) == (
        ERASED,
        ERASED,
        None,
    )
    assert mother["role"] == "MOTHER" and mother["subject_id"] == MOTHER
    assert child["full_name"] == "Trần Minh Khôi"


def test_a_new_key_after_erasure_does_not_open_old_boxes(schemas: SchemaSet) -> None:
    sealer = Sealer(schemas)
    sealed = sealer.seal(DOSSIER, dossier(), {MOTHER: key(), CHILD: key()})
    reopened = sealer.open(DOSSIER, sealed, None, {MOTHER: key(), CHILD: key()})
    assert [p["full_name"] for p in reopened["persons"]] == [ERASED, ERASED]


def test_a_box_moved_to_another_person_does_not_open(schemas: SchemaSet) -> None:
    sealer = Sealer(schemas)
    shared = key()
    sealed = sealer.seal(DOSSIER, dossier(), {MOTHER: shared, CHILD: shared})
    mother, child = sealed["persons"]
    swapped = sealed | {"persons": [mother | {"sealed_personal": child["sealed_personal"]}, child]}
    opened = sealer.open(DOSSIER, swapped, None, {MOTHER: shared, CHILD: shared})
    assert opened["persons"][0]["full_name"] == ERASED


def test_events_written_in_clear_are_masked_for_readers_not_entitled(schemas: SchemaSet) -> None:
    sealer = Sealer(schemas)
    clear = dossier()
    assert sealer.open(DOSSIER, clear, None, {})["persons"][0]["full_name"] == "Nguyễn Thị Lan"
    assert sealer.open(DOSSIER, clear, frozenset(), {})["persons"][0]["full_name"] == MASKED


def test_a_reader_of_the_version_before_sealing_reads_placeholders(
    schemas: SchemaSet, codec: AvroCodec
) -> None:
    sealed = Sealer(schemas).seal(DOSSIER, dossier(), {MOTHER: key(), CHILD: key()})
    body = codec.encode(DOSSIER, sealed)
    v1 = fastavro.parse_schema(schemas.version_of(DOSSIER, 1), named_schemas={})
    v2 = fastavro.parse_schema(schemas.version_of(DOSSIER, 2), named_schemas={})
    assert body[2:10] == fingerprint(schemas.version_of(DOSSIER, 2))
    old = fastavro.schemaless_reader(io.BytesIO(body[10:]), v2, v1)
    assert isinstance(old, dict)
    assert [p["full_name"] for p in old["persons"]] == ["", ""]
    assert [p["birth_date"] for p in old["persons"]] == [None, None]


def test_nested_people_of_a_birth_registration_are_sealed_under_their_own_keys(
    schemas: SchemaSet,
) -> None:
    event = "vn.lienthong.civil_registry.BirthRegistered"
    person = {"id_number": None, "full_name": "Lê Gia Bảo", "birth_date": None, "gender": None}
    record = {
        "child": person | {"subject_id": CHILD},
        "mother": person | {"subject_id": MOTHER, "full_name": "Phạm Thị Hoa"},
        "father": None,
        "place_of_birth": "Bệnh viện Đa khoa tỉnh Quảng Ngãi",
    }
    sealer = Sealer(schemas)
    assert sealer.subjects(event, record) == {CHILD, MOTHER}
    keys = {CHILD: key(), MOTHER: key()}
    sealed = sealer.seal(event, record, keys)
    assert sealed["place_of_birth"] == "" and sealed["mother"]["full_name"] == ""
    opened = sealer.open(event, sealed, None, {MOTHER: keys[MOTHER]})
    assert opened["mother"]["full_name"] == "Phạm Thị Hoa"
    assert opened["child"]["full_name"] == ERASED
    assert opened["place_of_birth"] == ERASED  # the child's, under the child's key


async def test_local_master_keys_wrap_bound_to_the_subject_and_rotate() -> None:
    old = LocalMasterKeys(parse_master_keys("1:" + "A" * 43 + "="))
    data_key = os.urandom(32)
    (wrapped,) = await old.wrap([data_key], [MOTHER])
    assert old.version_of(wrapped) == 1
    assert await old.unwrap([wrapped], [MOTHER]) == [data_key]
    with pytest.raises(MasterKeyError):
        await old.unwrap([wrapped], [CHILD])
    both = LocalMasterKeys(parse_master_keys("2:" + "B" * 43 + "=,1:" + "A" * 43 + "="))
    (rewrapped,) = await both.wrap(await both.unwrap([wrapped], [MOTHER]), [MOTHER])
    assert both.version_of(rewrapped) == 2
    with pytest.raises(MasterKeyError, match="KEK version 2 is not configured"):
        await old.unwrap([rewrapped], [MOTHER])


def test_the_catalog_entitles_identity_and_orchestrator_to_dossier_persons_and_nobody_else(
    schemas: SchemaSet,
) -> None:
    catalog = load_catalog(schemas)
    assert entitlements_of(catalog, "identity")[DOSSIER] is None  # every kind
    assert entitlements_of(catalog, "orchestrator")[DOSSIER] is None
    for service in ("reporting", "national_portal"):
        assert entitlements_of(catalog, service).get(DOSSIER, frozenset()) == frozenset()


async def test_a_service_without_keys_masks_what_it_may_not_read_and_writes_in_clear(
    schemas: SchemaSet,
) -> None:
    catalog = load_catalog(schemas)
    portal = PersonalData.for_service(schemas, catalog, "national_portal", None)
    assert (await portal.seal(DOSSIER, dossier()))["persons"][0]["full_name"] == "Nguyễn Thị Lan"
    seen = await portal.open(DOSSIER, dossier())
    assert [p["full_name"] for p in seen["persons"]] == [MASKED, MASKED]
