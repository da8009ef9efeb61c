"""Loading and validating the Avro schemas in ``schemas/events/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lienthong.contracts.schemas import (
    SchemaSet,
    SchemaValidationError,
    UnknownEventTypeError,
    default_schemas_dir,
    load_schema_set,
)

NAMESPACE = "vn.lienthong.test"


def event(name: str, *fields: dict[str, Any], **top: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "record",
        "name": name,
        "namespace": NAMESPACE,
        "doc": f"{name} happened.",
        "fields": list(fields) or [field("id", "string")],
    }
    schema.update(top)
    return schema


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "doc": f"The {name}.", **extra}


def write(root: Path, directory: str, filename: str, schema: dict[str, Any] | str) -> Path:
    path = root / "events" / directory / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema if isinstance(schema, str) else json.dumps(schema), encoding="utf-8")
    return path


def problems_of(root: Path) -> list[str]:
    with pytest.raises(SchemaValidationError) as caught:
        load_schema_set(root)
    return list(caught.value.problems)


def test_the_repository_schemas_load_with_every_event_type_of_the_platform() -> None:
    schemas = load_schema_set()

    assert "vn.lienthong.intake.DossierSubmitted" in schemas.names()
    assert "vn.lienthong.platform.SmokeTestRecorded" in schemas.names()
    assert len(schemas.names()) == len(list((default_schemas_dir() / "events").iterdir()))
    assert schemas.names() == sorted(schemas.names())


def test_event_types_are_known_by_avro_full_name_and_versions_are_oldest_first(
    tmp_path: Path,
) -> None:
    write(tmp_path, "Thing", "v1.avsc", event("Thing"))
    write(
        tmp_path,
        "Thing",
        "v2.avsc",
        event("Thing", field("id", "string"), field("n", "int", default=0)),
    )

    schemas = load_schema_set(tmp_path)

    assert schemas.names() == [f"{NAMESPACE}.Thing"]
    versions = schemas.versions(f"{NAMESPACE}.Thing")
    assert [len(v["fields"]) for v in versions] == [1, 2]
    assert schemas.latest(f"{NAMESPACE}.Thing") == versions[1]
    assert schemas.version_of(f"{NAMESPACE}.Thing", 1) == versions[0]
    assert schemas.latest_version_number(f"{NAMESPACE}.Thing") == 2
    assert [(n, v) for n, v, _ in schemas.all_versions()] == [
        (f"{NAMESPACE}.Thing", 1),
        (f"{NAMESPACE}.Thing", 2),
    ]
    assert schemas.source(f"{NAMESPACE}.Thing", 2) == tmp_path / "events/Thing/v2.avsc"


def test_version_ten_comes_after_version_nine(tmp_path: Path) -> None:
    for number in range(1, 11):
        extra = [field(f"f{i}", "int", default=i) for i in range(2, number + 1)]
        write(tmp_path, "Thing", f"v{number}.avsc", event("Thing", field("id", "string"), *extra))

    latest = load_schema_set(tmp_path).latest(f"{NAMESPACE}.Thing")

    assert latest["fields"][-1]["name"] == "f10"


def test_a_schema_set_cannot_be_changed_through_what_it_hands_out(tmp_path: Path) -> None:
    write(tmp_path, "Thing", "v1.avsc", event("Thing"))
    schemas = load_schema_set(tmp_path)

    schemas.latest(f"{NAMESPACE}.Thing")["fields"].clear()
    next(schemas.all_versions())[2]["name"] = "Changed"

    assert schemas.latest(f"{NAMESPACE}.Thing")["fields"][0]["name"] == "id"
    assert schemas.latest(f"{NAMESPACE}.Thing")["name"] == "Thing"


def test_asking_for_an_unknown_event_type_or_version_is_a_lookup_error() -> None:
    schemas = SchemaSet({"x.A": [event("A")]})

    with pytest.raises(UnknownEventTypeError, match=r"x\.B"):
        schemas.latest("x.B")
    with pytest.raises(UnknownEventTypeError, match="no version 2"):
        schemas.version_of("x.A", 2)


def test_the_directory_must_be_named_after_the_record(tmp_path: Path) -> None:
    path = write(tmp_path, "Thing", "v1.avsc", event("Other"))

    (problem,) = problems_of(tmp_path)

    assert str(path) in problem
    assert "'Other' does not match its directory 'Thing'" in problem


def test_a_top_level_record_without_namespace_is_refused(tmp_path: Path) -> None:
    schema = event("Thing")
    del schema["namespace"]
    write(tmp_path, "Thing", "v1.avsc", schema)

    (problem,) = problems_of(tmp_path)

    assert "record 'Thing' has no namespace" in problem


def test_nested_records_and_enums_inherit_the_namespace(tmp_path: Path) -> None:
    nested = {
        "type": "record",
        "name": "Part",
        "doc": "A part.",
        "fields": [field("kind", {"type": "enum", "name": "Kind", "symbols": ["A", "B"]})],
    }
    write(
        tmp_path,
        "Thing",
        "v1.avsc",
        event("Thing", field("parts", {"type": "array", "items": nested})),
    )

    assert load_schema_set(tmp_path).names() == [f"{NAMESPACE}.Thing"]


def test_every_field_needs_a_doc_even_in_nested_records(tmp_path: Path) -> None:
    nested = {
        "type": "record",
        "name": "Part",
        "doc": "A part.",
        "fields": [{"name": "size", "type": "int", "doc": "  "}],
    }
    path = write(
        tmp_path,
        "Thing",
        "v1.avsc",
        event("Thing", {"name": "id", "type": "string"}, field("part", nested)),
    )

    problems = problems_of(tmp_path)

    assert problems == [
        f"{path}: field {NAMESPACE}.Thing.id has no doc",
        f"{path}: field {NAMESPACE}.Part.size has no doc",
    ]


def test_every_record_needs_a_doc(tmp_path: Path) -> None:
    write(tmp_path, "Thing", "v1.avsc", event("Thing", doc=""))

    (problem,) = problems_of(tmp_path)

    assert f"record '{NAMESPACE}.Thing' has no doc" in problem


def test_an_invalid_avro_schema_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "Thing", "v1.avsc", event("Thing", field("n", "int", default="zero")))

    (problem,) = problems_of(tmp_path)

    assert problem.startswith(f"{path}: not a valid Avro schema")


def test_a_named_type_from_another_file_cannot_be_referenced(tmp_path: Path) -> None:
    gender = {"type": "enum", "name": "Gender", "symbols": ["MALE", "FEMALE"]}
    write(tmp_path, "Born", "v1.avsc", event("Born", field("gender", gender)))
    write(tmp_path, "Died", "v1.avsc", event("Died", field("gender", f"{NAMESPACE}.Gender")))

    (problem,) = problems_of(tmp_path)

    assert "Died/v1.avsc" in problem
    assert "must be defined inline" in problem


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "Thing", "v1.avsc", "{not json")

    (problem,) = problems_of(tmp_path)

    assert problem.startswith(f"{path}: cannot read JSON")


def test_versions_are_numbered_without_gaps(tmp_path: Path) -> None:
    write(tmp_path, "Thing", "v1.avsc", event("Thing"))
    write(tmp_path, "Thing", "v3.avsc", event("Thing"))

    (problem,) = problems_of(tmp_path)

    assert "without gaps (found v1, v3)" in problem


def test_schema_files_must_be_named_by_version(tmp_path: Path) -> None:
    write(tmp_path, "Thing", "v1.avsc", event("Thing"))
    path = write(tmp_path, "Thing", "thing-v2.avsc", event("Thing"))

    (problem,) = problems_of(tmp_path)

    assert problem == f"{path}: schema files must be named v1.avsc, v2.avsc, ..."


def test_an_event_type_keeps_its_namespace_across_versions(tmp_path: Path) -> None:
    write(tmp_path, "Thing", "v1.avsc", event("Thing"))
    write(tmp_path, "Thing", "v2.avsc", event("Thing", namespace="vn.lienthong.moved"))

    (problem,) = problems_of(tmp_path)

    assert "versions disagree on the full name" in problem


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "One", "v1.avsc", event("One", doc=""))
    write(tmp_path, "Two", "v1.avsc", event("Two", {"name": "id", "type": "string"}))

    assert len(problems_of(tmp_path)) == 2


def test_a_directory_without_events_is_refused(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path)

    assert str(tmp_path / "events") in problem


def test_the_schemas_directory_can_be_moved_with_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LIENTHONG_SCHEMAS_DIR", raising=False)
    assert (default_schemas_dir() / "catalog.yaml").is_file()

    monkeypatch.setenv("LIENTHONG_SCHEMAS_DIR", str(tmp_path))
    assert default_schemas_dir() == tmp_path
