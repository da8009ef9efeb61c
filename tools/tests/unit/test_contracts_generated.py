"""The generated contracts: current with ``schemas/``, and every version round-trips.

``lienthong/contracts/events.py`` is written by ``make schemas``; these tests fail when a
schema changed and the module was not regenerated, and prove that each generated class
decodes what fastavro reads and encodes what fastavro writes, for every version.
"""

from __future__ import annotations

import io
from typing import Any

import fastavro
import pytest
from fastavro.utils import generate_many
from typer.testing import CliRunner

from lienthong.contracts import events
from lienthong.contracts.schemas import load_schema_set
from lienthong.mapping import from_record, to_record
from lienthong_tools.cli.main import app
from lienthong_tools.contracts.generate import default_output_path, generate

SCHEMAS = load_schema_set()
ALL_VERSIONS = sorted((name, version) for name, version, _ in SCHEMAS.all_versions())


def avro_round_trip(parsed: Any, record: Any) -> Any:
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, parsed, record)
    buffer.seek(0)
    return fastavro.schemaless_reader(buffer, parsed, None)


def test_the_committed_module_is_what_the_generator_writes() -> None:
    assert default_output_path().read_text(encoding="utf-8") == generate(SCHEMAS), (
        "run `make schemas` and commit lib/lienthong/contracts/events.py"
    )


def test_the_check_command_fails_on_a_stale_module(tmp_path: Any, monkeypatch: Any) -> None:
    stale = tmp_path / "events.py"
    stale.write_text("# stale\n", encoding="utf-8")
    monkeypatch.setattr("lienthong_tools.contracts.generate.default_output_path", lambda: stale)
    result = CliRunner().invoke(app, ["schemas", "generate", "--check"])
    assert result.exit_code == 1
    assert "out of date" in result.output


def test_there_is_one_class_per_schema_version_and_the_newest_has_the_plain_name() -> None:
    assert sorted(events.VERSIONS) == ALL_VERSIONS
    for name in SCHEMAS.names():
        newest = events.VERSIONS[(name, SCHEMAS.latest_version_number(name))]
        assert events.EVENTS[name] is newest
        assert getattr(events, name.rsplit(".", 1)[-1]) is newest


@pytest.mark.parametrize(("full_name", "version"), ALL_VERSIONS)
def test_every_version_decodes_what_avro_reads_and_encodes_it_back_unchanged(
    full_name: str, version: int
) -> None:
    cls = events.VERSIONS[(full_name, version)]
    schema = next(s for n, v, s in SCHEMAS.all_versions() if (n, v) == (full_name, version))
    parsed = fastavro.parse_schema(dict(schema), named_schemas={})
    for generated in generate_many(parsed, 3):
        record = avro_round_trip(parsed, generated)
        event = from_record(cls, record)
        assert isinstance(event, cls)
        assert avro_round_trip(parsed, to_record(event)) == record
