"""Catalog, AsyncAPI, subscriptions and handler registries say the same thing.

``schemas/catalog.yaml`` is the one declaration of who publishes and who consumes each
topic; the services do not repeat it. A consumer subscribes to
``catalog.topics_consumed_by(service)`` and ``uow.emit`` finds topic and key from the
catalog. What can still drift is what each service decodes (``CONSUMED``), emits
(``EMITTED``) and handles (its ``HANDLERS`` registries), and the committed AsyncAPI
document; these tests tie them together.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from lienthong.contracts.catalog import Catalog, load_catalog
from lienthong.contracts.schemas import SchemaSet, load_schema_set
from lienthong.service import Platform
from lienthong_tools.contracts.asyncapi import default_asyncapi_path
from lienthong_tools.devstack import SERVICES

SERVICE_NAMES = [spec.name for spec in SERVICES]
AUDITS_EVERY_EVENT = {"reporting"}
"""Consumers without a handled-types filter: every event of their topics joins reporting's
audit chain, whether or not a projection reads it."""


@dataclass(frozen=True)
class Wiring:
    name: str
    consumed: Mapping[str, type]
    emitted: Mapping[type, str]
    handlers: Mapping[type, Any]
    package: Path


def handler_registries(service: str) -> dict[type, Any]:
    """Every module-level ``HANDLERS`` / ``*_HANDLERS`` dict of the service layer."""
    layer = importlib.import_module(f"{service}.service_layer")
    found: dict[type, Any] = {}
    for info in pkgutil.iter_modules(layer.__path__):
        module = importlib.import_module(f"{service}.service_layer.{info.name}")
        for attribute, value in vars(module).items():
            if (attribute == "HANDLERS" or attribute.endswith("_HANDLERS")) and isinstance(
                value, dict
            ):
                found.update(value)
    return found


def decoded_types(events: object) -> dict[str, type]:
    """Every ``CONSUMED`` / ``*_CONSUMED`` map of the events module (one per consumer)."""
    found: dict[str, type] = {}
    for attribute, value in vars(events).items():
        if (attribute == "CONSUMED" or attribute.endswith("_CONSUMED")) and isinstance(value, dict):
            found.update(value)
    return found


def wiring(service: str) -> Wiring:
    events = importlib.import_module(f"{service}.domain.events")
    package = Path(inspect.getfile(importlib.import_module(service))).parent
    return Wiring(
        service,
        decoded_types(events),
        getattr(events, "EMITTED", {}),
        handler_registries(service),
        package,
    )


@pytest.fixture(scope="module")
def schemas() -> SchemaSet:
    return load_schema_set()


@pytest.fixture(scope="module")
def catalog(schemas: SchemaSet) -> Catalog:
    return load_catalog(schemas)


@pytest.fixture(scope="module", params=SERVICE_NAMES)
def service(request: pytest.FixtureRequest) -> Wiring:
    return wiring(request.param)


def test_every_consumed_type_arrives_on_a_topic_the_catalog_subscribes_the_service_to(
    service: Wiring, catalog: Catalog
) -> None:
    subscribed = {
        t for topic in catalog.topics_consumed_by(service.name) for t in topic.event_types
    }
    assert sorted(set(service.consumed) - subscribed) == []


@pytest.mark.parametrize("name", [n for n in SERVICE_NAMES if n not in AUDITS_EVERY_EVENT])
def test_every_subscribed_topic_carries_a_type_the_service_handles(
    name: str, catalog: Catalog
) -> None:
    service = wiring(name)
    idle = [
        topic.name
        for topic in catalog.topics_consumed_by(service.name)
        if not set(topic.event_types) & set(service.consumed)
    ]
    assert idle == [], f"{service.name} subscribes to topics it has no handler for"


def test_every_consumed_type_has_a_handler(service: Wiring) -> None:
    unhandled = [name for name, cls in service.consumed.items() if cls not in service.handlers]
    assert unhandled == []


def test_every_handled_event_type_is_consumed(service: Wiring, schemas: SchemaSet) -> None:
    """A handler keyed by a class named like a contract event must be reachable from Kafka;
    the other handler keys are the service's own commands (HTTP, timers)."""
    event_names = {name.rsplit(".", 1)[-1] for name in schemas.names()}
    consumed = set(service.consumed.values())
    unreachable = [
        cls.__name__
        for cls in service.handlers
        if cls.__name__ in event_names and cls not in consumed
    ]
    assert unreachable == []


def test_every_emitted_type_is_on_a_topic_the_service_produces(
    service: Wiring, catalog: Catalog
) -> None:
    for name in service.emitted.values():
        assert catalog.route(name).producer == service.name, name


def test_every_type_on_a_produced_topic_can_be_emitted_by_its_producer(
    service: Wiring, catalog: Catalog
) -> None:
    declared = {t for topic in catalog.topics_produced_by(service.name) for t in topic.event_types}
    assert sorted(declared - set(service.emitted.values())) == []


def test_the_asyncapi_document_lists_exactly_the_catalogs_senders_and_receivers(
    catalog: Catalog,
) -> None:
    document = yaml.safe_load(default_asyncapi_path().read_text(encoding="utf-8"))
    declared = {
        (op["action"], *name.split(f"-{op['action']}s-", 1))
        for name, op in document["operations"].items()
    }
    expected = {("send", t.producer, t.name) for t in catalog.topics()} | {
        ("receive", consumer, t.name) for t in catalog.topics() for consumer in t.consumers
    }
    assert declared == expected


def test_consumers_take_their_topics_from_the_catalog_only() -> None:
    """``Platform.consumer`` has no topics parameter, and no composition root names a
    catalog topic in a string literal."""
    assert "topics" not in inspect.signature(Platform.consumer).parameters
    schemas = load_schema_set()
    names = {topic.name for topic in load_catalog(schemas).all_topics()}
    for service in SERVICE_NAMES:
        source = (wiring(service).package / "bootstrap.py").read_text(encoding="utf-8")
        literals = {
            node.value
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        assert literals & names == set(), service
