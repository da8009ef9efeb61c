"""The generated AsyncAPI document: complete, self-consistent, deterministic and committed."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from lienthong.contracts.catalog import Catalog, load_catalog
from lienthong.contracts.schemas import SchemaSet, load_schema_set
from lienthong_tools.contracts.asyncapi import (
    build_asyncapi,
    default_asyncapi_path,
    render_asyncapi,
)

CLOUDEVENTS_HEADERS = {
    "ce_id",
    "ce_source",
    "ce_type",
    "ce_time",
    "ce_subject",
    "ce_specversion",
    "content-type",
    "ce_dataschema",
    "ce_correlationid",
    "ce_causationid",
    "traceparent",
}


@pytest.fixture(scope="module")
def contracts() -> tuple[SchemaSet, Catalog]:
    schemas = load_schema_set()
    return schemas, load_catalog(schemas)


@pytest.fixture(scope="module")
def document(contracts: tuple[SchemaSet, Catalog]) -> dict[str, Any]:
    return build_asyncapi(*contracts, version="1.2.3")


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def all_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [ref for value in node.values() for ref in all_refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in all_refs(value)]
    return []


def test_the_committed_docs_asyncapi_yaml_is_up_to_date_with_the_schemas(
    contracts: tuple[SchemaSet, Catalog],
) -> None:
    committed = default_asyncapi_path().read_text(encoding="utf-8")

    assert committed == render_asyncapi(*contracts), (
        "docs/asyncapi.yaml is stale: run `lienthong schemas asyncapi` and commit it"
    )


def test_generation_is_deterministic_whatever_the_catalog_order(
    contracts: tuple[SchemaSet, Catalog],
) -> None:
    schemas, catalog = contracts
    reversed_catalog = Catalog(list(reversed(catalog.topics())))

    first = render_asyncapi(schemas, catalog, version="1.0.0")

    assert render_asyncapi(schemas, catalog, version="1.0.0") == first
    assert render_asyncapi(schemas, reversed_catalog, version="1.0.0") == first


def test_the_document_is_plain_yaml_without_anchors(contracts: tuple[SchemaSet, Catalog]) -> None:
    text = render_asyncapi(*contracts)

    assert "&id" not in text and "*id" not in text
    assert yaml.safe_load(text)["asyncapi"] == "3.0.0"


def test_the_document_describes_the_platform(document: dict[str, Any]) -> None:
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] == "lienthong event contracts"
    assert document["info"]["version"] == "1.2.3"
    assert document["servers"]["local"] == {
        "host": "127.0.0.1:9092",
        "protocol": "kafka",
        "description": document["servers"]["local"]["description"],
    }


def test_every_topic_is_a_channel_with_its_messages(document: dict[str, Any]) -> None:
    channel = document["channels"]["identity.verification.events"]

    assert channel["address"] == "identity.verification.events"
    assert sorted(channel["messages"]) == [
        "vn.lienthong.identity.IdentityMismatch",
        "vn.lienthong.identity.IdentityVerified",
    ]
    assert channel["bindings"]["kafka"]["partitions"] == 3
    assert channel["bindings"]["kafka"]["topicConfiguration"]["retention.ms"] == -1
    assert "intake.dossier.events.dlq" in document["channels"]


def test_the_producer_sends_and_every_consumer_receives(document: dict[str, Any]) -> None:
    operations = document["operations"]
    on_dossiers = {
        (op["action"], op_id.split("-")[0])
        for op_id, op in operations.items()
        if op["channel"]["$ref"] == "#/channels/intake.dossier.events"
    }

    assert on_dossiers == {
        ("send", "intake"),
        ("receive", "identity"),
        ("receive", "orchestrator"),
        ("receive", "reporting"),
        ("receive", "national_portal"),
    }


def test_messages_carry_the_latest_avro_schema_and_the_cloudevents_headers(
    document: dict[str, Any], contracts: tuple[SchemaSet, Catalog]
) -> None:
    schemas, _ = contracts
    name = "vn.lienthong.intake.DossierSubmitted"
    message = document["components"]["messages"][name]

    assert message["contentType"] == "application/avro"
    assert message["payload"]["schemaFormat"] == "application/vnd.apache.avro+json;version=1.9.0"
    assert message["payload"]["schema"] == schemas.latest(name)
    assert set(message["headers"]["properties"]) == CLOUDEVENTS_HEADERS
    assert message["headers"]["properties"]["ce_type"]["const"] == name
    assert "dossier_id" in message["bindings"]["kafka"]["key"]["description"]


def test_every_event_type_has_a_message_and_every_reference_resolves(
    document: dict[str, Any], contracts: tuple[SchemaSet, Catalog]
) -> None:
    schemas, _ = contracts

    assert sorted(document["components"]["messages"]) == schemas.names()
    refs = all_refs(document)
    assert refs
    for ref in refs:
        assert resolve(document, ref) is not None
