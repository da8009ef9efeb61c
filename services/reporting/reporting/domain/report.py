"""The Project 06 report: figures for a date range and a unit, as known on a given date.

Why this exists: the province's six-month report could not be filled because nothing
counted the linked procedures. Its sections map to fact kinds here; dates are Vietnamese
calendar days (UTC+7), a range counts by event time, and "as of" a date keeps only what
the log had recorded by the end of that day — later corrections join only when asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

# The unit dimension lives in reporting.domain.units; re-exported for the report's users.
from reporting.domain.units import Unit as Unit
from reporting.domain.units import UnitTree as UnitTree

VIETNAM = timezone(timedelta(hours=7), "ICT")
NOW_AND_LATER = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    known_by: datetime
    include_corrections: bool


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), VIETNAM).astimezone(UTC)


def window(
    first: date, last: date, as_of: date | None, include_corrections: bool = False
) -> Window:
    """Event time in [first, last] (Vietnamese days), recorded by the end of ``as_of``
    (without ``as_of``: everything recorded until now)."""
    cut = as_of if as_of is not None and as_of < last else last
    known = start_of(as_of + timedelta(days=1)) if as_of is not None else NOW_AND_LATER
    return Window(start_of(first), start_of(cut + timedelta(days=1)), known, include_corrections)


@dataclass(frozen=True)
class CountRow:
    kind: str
    category: str | None
    procedure_code: str | None
    channel: str | None
    unit: str | None
    flag: bool | None
    n: int
    total: float


@dataclass(frozen=True)
class Durations:
    mean_s: float
    p90_s: float


@dataclass(frozen=True)
class ListedFact:
    kind: str
    event_time: datetime
    dossier_id: str | None
    bundle_id: str | None
    unit: str | None
    category: str | None
    reference: str | None


def _add(target: dict[str, int], key: str | None, n: int) -> None:
    name = key or "UNKNOWN"
    target[name] = target.get(name, 0) + n


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def assemble(
    rows: Iterable[CountRow],
    statuses: Mapping[str, int],
    durations: Mapping[str, Durations],
    tree: UnitTree,
) -> dict[str, Any]:
    """The report's sections from the grouped fact counts (pure: no I/O)."""
    dossiers: dict[str, Any] = {
        "submitted": 0,
        "by_procedure": {},
        "by_channel": {},
        "by_unit": {},
        "by_district": {},
        "by_status": dict(sorted(statuses.items())),
        "completed": 0,
        "completed_on_time": 0,
        "completed_overdue": 0,
        "overdue_detected": 0,
    }
    bundles: dict[str, dict[str, Any]] = {}
    identity: dict[str, Any] = {"checked": 0, "verified": 0, "mismatches": {}, "reviews": {}}
    civil: dict[str, int] = {}
    digitization = {"documents_digitized": 0, "results_issued": 0, "documents_reused": 0}
    insurance = {"card_requests": 0, "cards_issued": 0, "rejected": 0}
    residence: dict[str, int] = {}
    welfare = {"payment_stops": 0, "payments_stopped": 0}
    lookups: dict[str, Any] = {"total": 0, "successful": 0, "by_outcome": {}}
    datasets: dict[str, Any] = {"rows_checked": 0, "verified": 0, "by_category": {}}
    id_number_errors: dict[str, int] = {}

    def bundle(kind: str | None) -> dict[str, Any]:
        return bundles.setdefault(
            kind or "UNKNOWN",
            {
                "started": 0,
                "completed": 0,
                "completed_on_time": 0,
                "breached": 0,
                "step_failures": 0,
                "compensated": 0,
            },
        )

    for r in rows:
        if r.kind == "dossier_submitted":
            dossiers["submitted"] += r.n
            _add(dossiers["by_procedure"], r.procedure_code, r.n)
            _add(dossiers["by_channel"], r.channel, r.n)
            _add(dossiers["by_unit"], r.unit, r.n)
            _add(dossiers["by_district"], tree.district_of(r.unit or ""), r.n)
        elif r.kind == "dossier_completed":
            dossiers["completed"] += r.n
            dossiers["completed_on_time" if r.flag else "completed_overdue"] += r.n
        elif r.kind == "dossier_overdue":
            dossiers["overdue_detected"] += r.n
        elif r.kind == "identity_checked" and r.flag:
            datasets["rows_checked"] += r.n
            if r.category == "VERIFIED":
                datasets["verified"] += r.n
            else:
                _add(datasets["by_category"], r.category, r.n)
        elif r.kind == "identity_checked":
            identity["checked"] += r.n
            if r.category == "VERIFIED":
                identity["verified"] += r.n
            else:
                _add(identity["mismatches"], r.category, r.n)
        elif r.kind == "identity_review":
            _add(identity["reviews"], r.category, r.n)
        elif r.kind == "bundle_started":
            bundle(r.category)["started"] += r.n
        elif r.kind == "bundle_completed":
            b = bundle(r.category)
            b["completed"] += r.n
            b["completed_on_time"] += r.n if r.flag else 0
        elif r.kind == "bundle_breached":
            bundle(r.category)["breached"] += r.n
        elif r.kind == "bundle_step_failed":
            bundle(r.category)["step_failures"] += r.n
        elif r.kind == "bundle_compensated":
            bundle(r.category)["compensated"] += r.n
        elif r.kind == "civil_registration":
            _add(civil, r.category, r.n)
        elif r.kind in ("document_digitized", "result_issued", "document_reused"):
            key = {
                "document_digitized": "documents_digitized",
                "result_issued": "results_issued",
                "document_reused": "documents_reused",
            }[r.kind]
            digitization[key] += r.n
        elif r.kind == "insurance_lookup":
            insurance["card_requests"] += r.n
            insurance["cards_issued" if r.flag else "rejected"] += r.n
        elif r.kind == "residence":
            _add(residence, r.category, r.n)
        elif r.kind == "card_lookup":
            lookups["total"] += r.n
            lookups["successful"] += r.n if r.flag else 0
            _add(lookups["by_outcome"], r.category, r.n)
        elif r.kind == "id_number_refused":
            _add(id_number_errors, r.category, r.n)
        elif r.kind == "welfare_payments_stopped":
            welfare["payment_stops"] += r.n
            welfare["payments_stopped"] += int(r.total)
    for kind, d in durations.items():
        bundle(kind).update(avg_duration_s=round(d.mean_s, 3), p90_duration_s=round(d.p90_s, 3))
    for b in bundles.values():
        b.setdefault("avg_duration_s", None)
        b.setdefault("p90_duration_s", None)
    for key in ("by_procedure", "by_channel", "by_unit", "by_district"):
        dossiers[key] = dict(sorted(dossiers[key].items()))
    identity["mismatches"] = dict(sorted(identity["mismatches"].items()))
    identity["reviews"] = dict(sorted(identity["reviews"].items()))
    return {
        "dossiers": dossiers,
        "linked_bundles": dict(sorted(bundles.items())),
        "identity": identity,
        "civil_registry": dict(sorted(civil.items())),
        "digitization": digitization,
        "insurance": {
            **insurance,
            "success_rate": _rate(insurance["cards_issued"], insurance["card_requests"]),
            "clinic_lookups": {
                **lookups,
                "by_outcome": dict(sorted(lookups["by_outcome"].items())),
                "success_rate": _rate(lookups["successful"], lookups["total"]),
            },
        },
        "id_number_errors": dict(sorted(id_number_errors.items())),
        "dataset_cleaning": {
            **datasets,
            "wrong_or_missing": datasets["rows_checked"] - datasets["verified"],
            "by_category": dict(sorted(datasets["by_category"].items())),
        },
        "residence": dict(sorted(residence.items())),
        "welfare": welfare,
    }
