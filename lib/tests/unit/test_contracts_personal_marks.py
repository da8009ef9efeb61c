"""Personal fields are declared in the schemas; the check refuses undeclared look-alikes."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lienthong.contracts.catalog import CatalogError, load_catalog
from lienthong.contracts.personal import (
    mark_problems_across_versions,
    personal_fields,
    personal_marking_problems,
    personal_problems,
    sealing_problems,
)
from lienthong.contracts.schemas import default_schemas_dir, load_schema_set
from lienthong_tools.cli.main import app
from lienthong_tools.contracts.asyncapi import build_asyncapi

PERSON = {
    "type": "record",
    "name": "Person",
    "doc": "A person.",
    "fields": [
        {"name": "subject_id", "type": "string", "doc": "Pseudonymous id."},
        {"name": "full_name", "type": "string", "personal": "name", "doc": "Name."},
    ],
}


def probe(*fields: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {
        "type": "record",
        "name": "Probe",
        "namespace": "vn.lienthong.test",
        "doc": "A probe.",
        **props,
        "fields": list(fields),
    }


def test_every_shipped_schema_marks_its_personal_fields() -> None:
    assert personal_marking_problems(load_schema_set()) == []


def test_dossier_persons_are_each_sealed_under_their_own_subject() -> None:
    schema = load_schema_set().latest("vn.lienthong.intake.DossierSubmitted")
    marked = {f.path: (f.kind, f.subject_path) for f in personal_fields(schema)}
    assert marked["persons[].id_number"] == ("id_number", "subject_id")
    assert marked["persons[].full_name"] == ("name", "subject_id")
    assert marked["persons[].birth_date"] == ("birth_date", "subject_id")


def test_a_field_that_looks_personal_without_a_mark_is_refused() -> None:
    schema = probe(
        {"name": "subject_id", "type": "string", "doc": "Id."},
        {"name": "mother_name", "type": "string", "doc": "The mother's name."},
    )
    (problem,) = personal_problems(schema, "Probe/v2.avsc")
    assert "mother_name looks like personal data" in problem


def test_a_field_declared_not_personal_passes() -> None:
    schema = probe({"name": "file_name", "type": "string", "doc": "Upload name."})
    assert personal_problems(schema, "x") == []
    schema = probe({"name": "new_value", "type": "string", "personal": "none", "doc": "Code."})
    assert personal_problems(schema, "x") == []


def test_an_unknown_kind_is_refused() -> None:
    schema = probe(
        {"name": "subject_id", "type": "string", "doc": "Id."},
        {"name": "full_name", "type": "string", "personal": "nickname", "doc": "Name."},
    )
    assert "unknown personal kind 'nickname'" in personal_problems(schema, "x")[0]


def test_personal_fields_without_a_subject_to_key_them_are_refused() -> None:
    schema = probe({"name": "full_name", "type": "string", "personal": "name", "doc": "Name."})
    assert "'subject_id' is not a string field" in personal_problems(schema, "x")[0]
    keyed = probe(
        {"name": "child", "type": copy.deepcopy(PERSON), "doc": "The child."},
        {"name": "place_of_birth", "type": "string", "personal": "address", "doc": "Where."},
        personal_subject="child.subject_id",
    )
    assert personal_problems(keyed, "x") == []
    assert {f.path: f.subject_path for f in personal_fields(keyed)} == {
        "child.full_name": "subject_id",
        "place_of_birth": "child.subject_id",
    }


def test_a_later_version_may_not_drop_a_mark() -> None:
    v1 = probe(
        {"name": "subject_id", "type": "string", "doc": "Id."},
        {"name": "full_name", "type": "string", "personal": "name", "doc": "Name."},
    )
    v2 = copy.deepcopy(v1)
    v2["fields"][1]["personal"] = "none"
    (problem,) = mark_problems_across_versions("vn.lienthong.test.Probe", [v1, v2])
    assert "full_name was marked personal 'name'" in problem


def test_schemas_check_fails_on_an_unmarked_personal_field(tmp_path: Path) -> None:
    root = tmp_path / "schemas"
    (root / "events").mkdir(parents=True)
    source = default_schemas_dir()
    for item in (source / "events").iterdir():
        target = root / "events" / item.name
        target.mkdir()
        for file in item.iterdir():
            (target / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "catalog.yaml").write_text(
        (source / "catalog.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    path = root / "events" / "IssuePersonalIdNumber" / "v1.avsc"
    path.write_text(path.read_text(encoding="utf-8").replace('"personal": "name",', ""))
    result = CliRunner().invoke(app, ["schemas", "check", "--schemas-dir", str(root)])
    assert result.exit_code == 1
    assert "full_name looks like personal data" in result.output


def test_asyncapi_lists_personal_fields_and_their_readers() -> None:
    schemas = load_schema_set()
    document = build_asyncapi(schemas, load_catalog(schemas), version="1.0.0")
    message = document["components"]["messages"]["vn.lienthong.population.IssuePersonalIdNumber"]
    assert "`full_name` (name)" in message["description"]
    channel = document["channels"]["agency.population.commands"]
    assert "Personal fields in clear for: population_registry (all)" in channel["description"]


def test_a_personal_reader_must_be_a_consumer_of_the_topic(tmp_path: Path) -> None:
    catalog = (default_schemas_dir() / "catalog.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "catalog.yaml"
    broken.write_text(
        catalog.replace(
            "personal_readers: {population_registry: all}",
            "personal_readers: {reporting: all}",
            1,
        )
    )
    with pytest.raises(CatalogError, match="personal reader 'reporting' is not a consumer"):
        load_catalog(load_schema_set(), broken)


def test_the_newest_version_must_have_a_place_to_seal_personal_fields() -> None:
    schema = probe(
        {"name": "subject_id", "type": "string", "doc": "Id."},
        {"name": "full_name", "type": "string", "personal": "name", "doc": "Name."},
    )
    (problem,) = sealing_problems(schema, "Probe/v1.avsc")
    assert 'vn.lienthong.test.Probe has personal fields but no "sealed_personal"' in problem
    schema["fields"].append(
        {"name": "sealed_personal", "type": ["null", "bytes"], "default": None, "doc": "Sealed."}
    )
    assert sealing_problems(schema, "Probe/v2.avsc") == []
