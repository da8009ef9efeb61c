"""Facts, report windows and units: the pure rules behind the Project 06 figures."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from lienthong.contracts.schemas import load_schema_set
from lienthong.mapping import from_record
from reporting.adapters.views import builder
from reporting.domain import events as ev
from reporting.domain.facts import Stamp, fact_of
from reporting.domain.report import CountRow, Durations, UnitTree, assemble, window

T0 = datetime(2022, 6, 1, 3, tzinfo=UTC)
STAMP = Stamp("event-1", T0 + timedelta(seconds=1))


def test_a_completed_bundle_records_its_duration_and_whether_it_was_on_time() -> None:
    event = ev.LinkedBundleCompleted(
        uuid.uuid4(),
        ev.BundleType.BIRTH,
        uuid.uuid4(),
        "21010",
        T0,
        T0 + timedelta(hours=2),
        True,
    )
    fact = fact_of(event, STAMP)
    assert fact is not None
    assert (fact.kind, fact.duration_s, fact.flag, fact.category) == (
        "bundle_completed",
        7200.0,
        True,
        "BIRTH",
    )
    assert fact.event_time == T0 + timedelta(hours=2)


def test_a_late_recorded_status_change_counts_by_when_it_happened() -> None:
    happened, recorded = T0, T0 + timedelta(days=40)
    event = ev.DossierStatusChanged(
        uuid.uuid4(), "51-1", "BIRTH_LINKED", "21010", 3, "APPROVED", happened, recorded
    )
    fact = fact_of(event, STAMP)
    assert fact is not None
    assert (fact.event_time, fact.recorded_at, fact.seq) == (happened, recorded, 3)


def test_an_event_reporting_does_not_count_has_no_fact() -> None:
    assert fact_of(object(), STAMP) is None


def test_a_date_range_is_counted_in_vietnamese_days() -> None:
    span = window(date(2022, 1, 1), date(2022, 6, 30), None)
    assert span.start == datetime(2021, 12, 31, 17, tzinfo=UTC)
    assert span.end == datetime(2022, 6, 30, 17, tzinfo=UTC)


def test_as_of_a_date_cuts_both_what_happened_and_what_was_known() -> None:
    span = window(date(2022, 1, 1), date(2022, 12, 31), date(2022, 6, 30))
    assert span.end == span.known_by == datetime(2022, 6, 30, 17, tzinfo=UTC)


def test_a_district_includes_its_communes() -> None:
    tree = UnitTree.load()
    assert "21010" in tree.with_descendants("522")
    assert tree.district_of("21010") == "522"
    assert {"62", "23284"} <= set(tree.with_descendants("51"))  # Kon Tum is Quảng Ngãi now


def test_the_report_rolls_counts_up_and_computes_shares() -> None:
    rows = [
        CountRow("dossier_submitted", None, "BIRTH_LINKED", "COUNTER", "21010", None, 3, 0),
        CountRow("dossier_submitted", None, "BIRTH_LINKED", "PORTAL", "21040", None, 1, 0),
        CountRow("insurance_lookup", None, None, None, None, True, 3, 0),
        CountRow("insurance_lookup", None, None, None, None, False, 1, 0),
        CountRow("identity_checked", "NOT_FOUND", None, None, None, None, 2, 0),
        CountRow("bundle_completed", "BIRTH", None, None, None, True, 2, 7200),
    ]
    report = assemble(rows, {"APPROVED": 2}, {"BIRTH": Durations(3600, 3960)}, UnitTree.load())
    assert report["dossiers"]["by_district"] == {"522": 3, "524": 1}
    assert report["dossiers"]["by_channel"] == {"COUNTER": 3, "PORTAL": 1}
    assert report["insurance"]["success_rate"] == 0.75
    assert report["identity"]["mismatches"] == {"NOT_FOUND": 2}
    assert report["linked_bundles"]["BIRTH"]["p90_duration_s"] == 3960
    assert report["dossiers"]["by_status"] == {"APPROVED": 2}


def test_the_replay_builds_the_same_views_as_the_live_consumer() -> None:
    record = {
        "bundle_id": uuid.uuid4(),
        "bundle_type": "BIRTH",
        "dossier_id": uuid.uuid4(),
        "subject_id": "sub_x",
        "unit_code": "21010",
        "procedure_code": "BIRTH_LINKED",
        "started_at": T0,
        "deadline_at": T0 + timedelta(days=3),
    }
    for cls in (ev.LinkedBundleStarted, ev.IdentityMismatch):
        sample = (
            record
            if cls is ev.LinkedBundleStarted
            else {
                "verification_id": uuid.uuid4(),
                "dossier_id": None,
                "checked_at": T0,
                "category": "NOT_FOUND",
            }
        )
        assert builder(cls)(sample) == from_record(cls, sample)


# The sections of the Project 06 report and the event types that feed them.
PROJECT06_TYPES = (
    "vn.lienthong.intake.DossierSubmitted",
    "vn.lienthong.intake.DossierStatusChanged",
    "vn.lienthong.intake.DossierOverdue",
    "vn.lienthong.intake.DossierCompleted",
    "vn.lienthong.identity.IdentityVerified",
    "vn.lienthong.identity.IdentityMismatch",
    "vn.lienthong.identity.DuplicateReviewDecided",
    "vn.lienthong.orchestrator.LinkedBundleStarted",
    "vn.lienthong.orchestrator.LinkedBundleCompleted",
    "vn.lienthong.orchestrator.LinkedBundleStepFailed",
    "vn.lienthong.orchestrator.LinkedBundleDeadlineBreached",
    "vn.lienthong.orchestrator.LinkedBundleCompensated",
    "vn.lienthong.civil_registry.BirthRegistered",
    "vn.lienthong.civil_registry.DeathRegistered",
    "vn.lienthong.civil_registry.CivilStatusChanged",
    "vn.lienthong.digitization.DocumentDigitized",
    "vn.lienthong.digitization.ResultIssued",
    "vn.lienthong.digitization.DocumentReused",
    "vn.lienthong.insurance.HealthInsuranceCardIssued",
    "vn.lienthong.insurance.HealthInsuranceRequestRejected",
    "vn.lienthong.residence.PermanentResidenceRegistered",
    "vn.lienthong.residence.PermanentResidenceRemoved",
    "vn.lienthong.welfare.RecurringPaymentsStopped",
)


def _sample(schema: dict[str, Any]) -> dict[str, Any]:
    """A record with a plausible value for every field reporting's views read."""
    values: dict[str, Any] = {}
    for f in schema["fields"]:
        kind = f["type"]
        options = kind if isinstance(kind, list) else [kind]
        concrete = next(o for o in options if o != "null")
        logical = concrete.get("logicalType") if isinstance(concrete, dict) else None
        base = concrete.get("type") if isinstance(concrete, dict) else concrete
        if logical == "uuid":
            values[f["name"]] = uuid.uuid4()
        elif logical and logical.startswith("timestamp"):
            values[f["name"]] = T0 + timedelta(hours=len(values))
        elif base == "enum":
            values[f["name"]] = concrete["symbols"][0]
        elif base in ("int", "long"):
            values[f["name"]] = 2
        elif base == "boolean":
            values[f["name"]] = True
        else:
            values[f["name"]] = "x"
    return values


def test_every_event_type_the_project06_report_needs_is_projected_from_its_schema() -> None:
    schemas = load_schema_set()
    for name in PROJECT06_TYPES:
        cls = ev.CONSUMED[name]
        record = _sample(schemas.latest(name))
        view = builder(cls)(record)
        assert view == from_record(cls, record), name
        fact = fact_of(view, STAMP)
        assert fact is not None and fact.event_time is not None, name


def test_a_bundle_start_records_the_time_it_is_allowed() -> None:
    started = ev.LinkedBundleStarted(
        uuid.uuid4(),
        ev.BundleType.BIRTH,
        uuid.uuid4(),
        "21010",
        "BIRTH_LINKED",
        T0,
        T0 + timedelta(days=3),
    )
    fact = fact_of(started, STAMP)
    assert fact is not None and fact.duration_s == 3 * 86400


def test_checks_of_dataset_rows_count_as_data_cleaning_not_as_dossier_checks() -> None:
    rows = [
        CountRow("identity_checked", "VERIFIED", None, None, None, None, 4, 0),
        CountRow("identity_checked", "VERIFIED", None, None, None, True, 7, 0),
        CountRow("identity_checked", "BIRTH_DATE_MISMATCH", None, None, None, True, 2, 0),
        CountRow("identity_checked", "NOT_FOUND", None, None, None, True, 1, 0),
    ]
    report = assemble(rows, {}, {}, UnitTree.load())
    assert report["identity"]["checked"] == 4
    cleaning = report["dataset_cleaning"]
    assert (cleaning["rows_checked"], cleaning["verified"], cleaning["wrong_or_missing"]) == (
        10,
        7,
        3,
    )
    assert cleaning["by_category"] == {"BIRTH_DATE_MISMATCH": 2, "NOT_FOUND": 1}
