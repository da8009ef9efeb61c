"""Who may publish what, and what a consumed event must satisfy before it has any effect.

Why this exists: a valid Avro ``DossierSubmitted`` written straight to a topic by someone
other than intake, with a unit code of ``'; DROP TABLE bundles;--``, made an agency register
a birth; an event with no persons failed a handler five times with an ``IndexError``. The
schema says an event is well-formed; these checks say it is *believable*:

- **provenance**: its CloudEvents ``source`` is the catalog's producer of that type
  (``/lienthong/<service>``);
- **domain invariants**, by field name wherever the field appears in the record: ``persons``
  is not empty, ``unit_code`` is a known administrative unit, ``birth_date`` and
  ``date_of_death`` are plausible.

A violation is a permanent error: the inbox runner dead-letters the event at once with the
reason, before any handler runs, and the partition keeps flowing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

from lienthong.bounds import birth_date_problem, event_date_problem
from lienthong.contracts.catalog import Catalog

SOURCE_PREFIX = "/lienthong/"
UNIT_CODE = re.compile(r"^\d{2,5}$")

#: Event type → the CloudEvents sources allowed to publish it.
Producers = Mapping[str, frozenset[str]]
Check = Callable[[Any], str | None]


def producers_from_catalog(catalog: Catalog) -> dict[str, frozenset[str]]:
    """Each event type's allowed sources: the producers of every topic that carries it."""
    allowed: dict[str, set[str]] = {}
    for topic in catalog.topics():
        if topic.producer:
            for event_type in topic.event_types:
                allowed.setdefault(event_type, set()).add(SOURCE_PREFIX + topic.producer)
    return {event_type: frozenset(sources) for event_type, sources in allowed.items()}


def provenance_problem(producers: Producers, event_type: str, source: str) -> str | None:
    allowed = producers.get(event_type)
    if allowed is None or source in allowed:
        return None
    return (
        f"forged source: {event_type} comes from {', '.join(sorted(allowed))} "
        f"per the topic catalog, not {source!r}"
    )


def _known_unit(is_known: Callable[[str], bool]) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not UNIT_CODE.match(value):
            return "is not an administrative unit code"
        if not is_known(value):
            return f"unit {value} is not a known administrative unit"
        return None

    return check


def _non_empty(value: Any) -> str | None:
    return "is empty" if isinstance(value, list) and not value else None


def _date_check(problem: Callable[[date], str | None]) -> Check:
    def check(value: Any) -> str | None:
        return problem(value) if isinstance(value, date) else None

    return check


def field_checks(is_known_unit: Callable[[str], bool]) -> dict[str, Check]:
    """The invariants by field name."""
    return {
        "persons": _non_empty,
        "unit_code": _known_unit(is_known_unit),
        "birth_date": _date_check(birth_date_problem),
        "date_of_death": _date_check(event_date_problem),
    }


def violations(record: Any, checks: Mapping[str, Check], pointer: str = "") -> Iterator[str]:
    """Every invariant ``record`` breaks, as ``/path: reason``."""
    if isinstance(record, dict):
        for name, value in record.items():
            where = f"{pointer}/{name}"
            check = checks.get(name)
            if check is not None and value is not None:
                problem = check(value)
                if problem is not None:
                    yield f"{where} {problem}"
            yield from violations(value, checks, where)
    elif isinstance(record, list):
        for index, item in enumerate(record):
            yield from violations(item, checks, f"{pointer}/{index}")


class EventGate:
    """What every consumed event passes before any effect: provenance, then invariants."""

    def __init__(self, producers: Producers, is_known_unit: Callable[[str], bool]) -> None:
        self._producers = producers
        self._checks = field_checks(is_known_unit)

    def problem(self, event_type: str, source: str, record: Any) -> str | None:
        forged = provenance_problem(self._producers, event_type, source)
        if forged is not None:
            return forged
        broken = list(violations(record, self._checks))
        if broken:
            return "invariant violated: " + "; ".join(broken[:5])
        return None


@functools.cache
def _default_producers() -> dict[str, frozenset[str]]:
    from lienthong.contracts.catalog import load_catalog
    from lienthong.contracts.schemas import default_schemas_dir, load_schema_set

    return producers_from_catalog(load_catalog(load_schema_set(default_schemas_dir())))


def catalog_source(event_type: str) -> str:
    """The CloudEvents source the catalog expects for ``event_type`` (load generators and
    replays write as the producer they stand in for)."""
    return min(_default_producers().get(event_type, frozenset({SOURCE_PREFIX + "unknown"})))
