"""FULL_TRANSITIVE compatibility: every version reads, and is read by, all its predecessors."""

from __future__ import annotations

from typing import Any

from lienthong.contracts.schemas import SchemaSet, load_schema_set
from lienthong_tools.contracts.compatibility import check_compatibility, check_event_versions

NAME = "vn.lienthong.test.Thing"


def thing(*fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "record",
        "name": "Thing",
        "namespace": "vn.lienthong.test",
        "doc": "A thing happened.",
        "fields": [field("id", "string"), *fields],
    }


def field(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "doc": f"The {name}.", **extra}


def enum(*symbols: str, default: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "enum", "name": "Kind", "symbols": list(symbols)}
    if default is not None:
        schema["default"] = default
    return schema


def test_every_schema_in_the_repository_is_full_transitive_compatible() -> None:
    assert check_compatibility(load_schema_set()) == []


def test_a_new_field_with_a_default_is_compatible_both_ways() -> None:
    versions = [thing(), thing(field("channel", "string", default="PORTAL"))]

    assert check_event_versions(NAME, versions) == []


def test_a_new_required_field_without_default_breaks_the_new_reader_on_old_events() -> None:
    versions = [thing(), thing(field("channel", "string"))]

    (problem,) = check_event_versions(NAME, versions)

    assert (problem.event_type, problem.new_version, problem.old_version) == (NAME, 2, 1)
    assert problem.direction == "backward"
    assert (problem.reader_version, problem.writer_version) == (2, 1)
    assert "reader_field_missing_default_value" in problem.message
    assert "channel" in problem.message


def test_removing_a_field_without_default_breaks_old_readers_on_new_events() -> None:
    versions = [thing(field("channel", "string")), thing()]

    (problem,) = check_event_versions(NAME, versions)

    assert problem.direction == "forward"
    assert (problem.reader_version, problem.writer_version) == (1, 2)


def test_changing_a_field_type_breaks_both_directions() -> None:
    versions = [thing(field("count", "string")), thing(field("count", "int"))]

    problems = check_event_versions(NAME, versions)

    assert sorted(p.direction for p in problems) == ["backward", "forward"]
    assert all("type_mismatch" in p.message for p in problems)


def test_a_new_enum_symbol_needs_a_default_symbol_for_old_readers() -> None:
    without_default = [
        thing(field("kind", enum("A", "B"))),
        thing(field("kind", enum("A", "B", "C"))),
    ]
    with_default = [
        thing(field("kind", enum("A", "OTHER", default="OTHER"))),
        thing(field("kind", enum("A", "OTHER", "C", default="OTHER"))),
    ]

    (problem,) = check_event_versions(NAME, without_default)
    assert problem.direction == "forward"
    assert "missing_enum_symbols" in problem.message
    assert check_event_versions(NAME, with_default) == []


def test_each_version_is_checked_against_all_predecessors_not_only_the_previous() -> None:
    v1 = thing(field("note", "string", default=""))
    v2 = thing()
    v3 = thing(field("note", "int", default=0))

    problems = check_event_versions(NAME, [v1, v2, v3])

    assert {(p.new_version, p.old_version) for p in problems} == {(3, 1)}
    assert {p.direction for p in problems} == {"backward", "forward"}


def test_problems_name_the_event_the_versions_and_the_direction() -> None:
    schemas = SchemaSet({NAME: [thing(), thing(field("channel", "string"))]})

    (problem,) = check_compatibility(schemas)

    assert str(problem).startswith(f"{NAME} v2 vs v1 (backward: reader v2 cannot read writer v1): ")
