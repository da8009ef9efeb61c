"""The topic catalog in ``schemas/catalog.yaml`` and its rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from lienthong.contracts.catalog import (
    Catalog,
    CatalogError,
    Topic,
    UnknownTopicError,
    load_catalog,
)
from lienthong.contracts.schemas import SchemaSet, load_schema_set

SUBMITTED = "vn.lienthong.test.Submitted"
CHECKED = "vn.lienthong.test.Checked"


def schema(name: str, *fields: tuple[str, Any]) -> dict[str, Any]:
    return {
        "type": "record",
        "name": name.rsplit(".", 1)[-1],
        "namespace": name.rsplit(".", 1)[0],
        "doc": "Something happened.",
        "fields": [{"name": n, "type": t, "doc": f"The {n}."} for n, t in fields],
    }


UUID = {"type": "string", "logicalType": "uuid"}
SCHEMAS = SchemaSet(
    {
        SUBMITTED: [schema(SUBMITTED, ("dossier_id", UUID), ("full_name", "string"))],
        CHECKED: [schema(CHECKED, ("dossier_id", ["null", "string"]), ("subject_id", "string"))],
    }
)


def entry(name: str, event_types: list[str], **overrides: Any) -> dict[str, Any]:
    topic: dict[str, Any] = {
        "name": name,
        "description": "Things.",
        "partitions": 3,
        "retention_ms": -1,
        "key": "dossier_id",
        "key_doc": "The dossier.",
        "producer": "intake",
        "consumers": ["reporting"],
        "event_types": event_types,
    }
    topic.update(overrides)
    return topic


def valid_entries() -> list[dict[str, Any]]:
    return [
        entry("intake.test.events", [SUBMITTED]),
        entry("identity.test.events", [CHECKED], key="subject_id", consumers=[]),
    ]


def load(tmp_path: Path, topics: list[dict[str, Any]], schemas: SchemaSet = SCHEMAS) -> Catalog:
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump({"topics": topics}), encoding="utf-8")
    return load_catalog(schemas, path)


def problems_of(tmp_path: Path, topics: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load(tmp_path, topics)
    return list(caught.value.problems)


def test_the_repository_catalog_puts_every_event_type_on_a_topic() -> None:
    schemas = load_schema_set()
    catalog = load_catalog(schemas)

    assert {
        "intake.dossier.events",
        "identity.verification.events",
        "orchestrator.bundle.events",
        "agency.population.commands",
        "agency.population.events",
        "platform.smoke.events",
    } <= {t.name for t in catalog.topics()}
    assert all(t.retention_ms == -1 and t.partitions == 3 for t in catalog.all_topics())
    assert all(catalog.topics_for_event(name) for name in schemas.names())


def test_the_repository_catalog_routes_dossiers_to_their_consumers() -> None:
    catalog = load_catalog(load_schema_set())

    dossiers = catalog.topic("intake.dossier.events")
    assert dossiers.key == "dossier_id"
    assert dossiers.producer == "intake"
    assert {"identity", "orchestrator", "reporting", "national_portal"} <= set(dossiers.consumers)
    assert "agency.population.commands" in [
        t.name for t in catalog.topics_consumed_by("population_registry")
    ]
    assert [t.name for t in catalog.topics_for_event("vn.lienthong.intake.DossierSubmitted")] == [
        "intake.dossier.events"
    ]


def test_a_consumed_topic_gets_a_dead_letter_topic_with_its_partitions_and_key(
    tmp_path: Path,
) -> None:
    catalog = load(tmp_path, valid_entries())

    (dead_letter,) = catalog.dead_letter_topics()
    assert dead_letter.name == "intake.test.events.dlq"
    assert dead_letter.dead_letter
    assert dead_letter.source_topic == "intake.test.events"
    assert (dead_letter.partitions, dead_letter.retention_ms, dead_letter.key) == (
        3,
        -1,
        "dossier_id",
    )
    assert dead_letter.consumers == ()
    assert catalog.topic("intake.test.events").dead_letter_topic == "intake.test.events.dlq"
    assert catalog.topic("intake.test.events.dlq") == dead_letter
    assert [t.name for t in catalog.all_topics()] == [
        "intake.test.events",
        "identity.test.events",
        "intake.test.events.dlq",
    ]


def test_a_topic_nobody_consumes_has_no_dead_letter_topic(tmp_path: Path) -> None:
    catalog = load(tmp_path, valid_entries())

    assert catalog.topic("identity.test.events").dead_letter_topic is None
    with pytest.raises(UnknownTopicError):
        catalog.topic("identity.test.events.dlq")


def test_dead_letter_topics_are_never_where_an_event_is_published(tmp_path: Path) -> None:
    catalog = load(tmp_path, valid_entries())

    assert [t.name for t in catalog.topics_for_event(SUBMITTED)] == ["intake.test.events"]
    assert [t.name for t in catalog.topics_consumed_by("reporting")] == ["intake.test.events"]


def test_topics_are_immutable_values(tmp_path: Path) -> None:
    topic = load(tmp_path, valid_entries()).topic("intake.test.events")

    with pytest.raises(dataclasses.FrozenInstanceError):
        topic.partitions = 12  # type: ignore[misc]


def test_an_event_type_without_a_schema_cannot_be_on_a_topic(tmp_path: Path) -> None:
    topics = valid_entries()
    topics[0]["event_types"].append("vn.lienthong.test.Missing")

    assert problems_of(tmp_path, topics) == [
        "topic intake.test.events: event type vn.lienthong.test.Missing has no schema"
        " in schemas/events/"
    ]


def test_every_schema_must_be_on_a_topic(tmp_path: Path) -> None:
    assert problems_of(tmp_path, valid_entries()[:1]) == [
        f"event type {CHECKED}: has a schema but is on no topic in the catalog"
    ]


def test_event_topics_keep_history_forever(tmp_path: Path) -> None:
    topics = valid_entries()
    topics[0]["retention_ms"] = 604_800_000

    (problem,) = problems_of(tmp_path, topics)

    assert "keep history forever (retention_ms: -1)" in problem


def test_the_key_must_be_a_string_field_of_every_event_on_the_topic(tmp_path: Path) -> None:
    topics = valid_entries()
    topics[1]["key"] = "dossier_id"

    (problem,) = problems_of(tmp_path, topics)

    assert problem == (
        f"topic identity.test.events: event type {CHECKED} has key field 'dossier_id'"
        " but it is not a non-null string"
    )


def test_personal_data_is_never_a_key(tmp_path: Path) -> None:
    topics = valid_entries()
    topics[0]["key"] = "full_name"

    (problem,) = problems_of(tmp_path, topics)

    assert "key 'full_name' is personal data" in problem


def test_dead_letter_topics_are_derived_not_declared(tmp_path: Path) -> None:
    topics = [*valid_entries(), entry("intake.test.events.dlq", [SUBMITTED])]

    problems = problems_of(tmp_path, topics)

    assert "topic intake.test.events.dlq: '.dlq' topics are derived, not declared" in problems
    assert "topic intake.test.events.dlq: clashes with the derived dead-letter topic" in problems


def test_a_misspelt_or_missing_setting_is_refused(tmp_path: Path) -> None:
    topics = valid_entries()
    topics[0]["partitons"] = topics[0].pop("partitions")

    problems = problems_of(tmp_path, topics)

    assert problems == [
        f"{tmp_path / 'catalog.yaml'}: topic intake.test.events: missing partitions",
        f"{tmp_path / 'catalog.yaml'}: topic intake.test.events: unknown keys partitons",
    ]


def test_a_topic_is_declared_once(tmp_path: Path) -> None:
    topics = [*valid_entries(), entry("intake.test.events", [SUBMITTED])]

    assert "topic intake.test.events: declared twice" in problems_of(tmp_path, topics)


def test_a_catalog_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("topics: [", encoding="utf-8")

    with pytest.raises(CatalogError, match="invalid YAML"):
        load_catalog(SCHEMAS, path)


def test_topics_can_be_built_in_code_for_tests_of_other_components() -> None:
    topic = Topic(
        name="platform.test.events",
        partitions=1,
        retention_ms=-1,
        key="probe_id",
        key_doc="The probe.",
        event_types=("vn.lienthong.platform.SmokeTestRecorded",),
        producer="platform",
        consumers=("platform",),
        description="Probes.",
    )

    catalog = Catalog([topic])

    assert [t.name for t in catalog.all_topics()] == [
        "platform.test.events",
        "platform.test.events.dlq",
    ]


@pytest.mark.parametrize(
    ("overrides", "problems"),
    [
        ({"name": 7}, ["topics[0]: name must be a non-empty string"]),
        ({"description": "  "}, ["description must be a non-empty string"]),
        ({"key": None}, ["key must be a non-empty string"]),
        ({"producer": ""}, ["producer must be a non-empty string"]),
        ({"partitions": "3"}, ["partitions must be an integer"]),
        ({"retention_ms": True}, ["retention_ms must be an integer"]),
        ({"consumers": "reporting"}, ["consumers must be a list of names"]),
        ({"event_types": [SUBMITTED, ""]}, ["event_types must be a list of names"]),
        (
            {"personal_readers": ["reporting"]},
            ["personal_readers must map consumers to 'all' or kinds"],
        ),
        (
            {"personal_readers": {"reporting": 3}},
            ["personal_readers.reporting must be 'all' or kinds"],
        ),
        (
            {"personal_readers": {"identity": "all"}},
            ["personal reader 'identity' is not a consumer"],
        ),
        (
            {"personal_readers": {"reporting": ["face"]}},
            ["personal_readers.reporting: unknown kinds ['face']"],
        ),
        (
            {"partitions": "3", "producer": ""},
            ["partitions must be an integer", "producer must be a non-empty string"],
        ),
    ],
)
def test_each_malformed_setting_is_refused_with_the_topic_and_what_it_must_be(
    tmp_path: Path, overrides: dict[str, Any], problems: list[str]
) -> None:
    topics = [{**entry("intake.test.events", [SUBMITTED]), **overrides}, valid_entries()[1]]
    where = f"{tmp_path / 'catalog.yaml'}: "
    label = "" if isinstance(overrides.get("name", ""), int) else "topic intake.test.events: "

    assert problems_of(tmp_path, topics) == [where + label + p for p in problems]


def test_an_entry_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    assert problems_of(tmp_path, ["intake.test.events", valid_entries()[1]]) == [
        f"{tmp_path / 'catalog.yaml'}: topics[0]: expected a mapping"
    ]


def test_a_catalog_without_a_topics_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("topics: {}", encoding="utf-8")

    with pytest.raises(CatalogError, match="expected a mapping with a 'topics' list"):
        load_catalog(SCHEMAS, path)
