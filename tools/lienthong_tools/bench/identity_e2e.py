"""The labelled set through the identity and population-registry processes, over Kafka.

Why this exists: the core figures (``identity``) time and score identity's domain functions
with the register in memory. An operator wants the same questions answered by the running
system: dossiers and birth registrations in through Kafka, the registry's search on real
PostgreSQL, identity's answers and review cases out. The register of the labelled set
(``identity_set``) is written into the registry's database as an extract would be loaded;
every check is published as a ``DossierSubmitted`` (one person) or a ``BirthRegistered``
(the child and its mother) and scored by ``identity_eval.score`` from what identity
published and recorded:

- the outcome of each check is its ``IdentityVerified``/``IdentityMismatch`` event (the
  matched record is the event's ``matched_subject_id``);
- the duplicates it suspected and the review cases it opened or referenced are read from
  identity's review queue (a pair that already has a case gets a reference, not an event).

``identity.verifications_e2e_per_s``: verifications answered per second, from the first
message published to the last answer read, registry included (a burst, so the figure is
the pipeline's sustained rate on this machine). CPU seconds of both processes per
verification are reported beside it.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from confluent_kafka import Consumer

from lienthong.envelope import Envelope, dataschema_uri, to_headers
from lienthong.invariants import catalog_source
from lienthong.kafka import EventProducer, OutgoingMessage, producer_config
from lienthong.service import load_codec
from lienthong.subjects import SubjectIds
from lienthong_tools.bench.identity_eval import Outcome, score
from lienthong_tools.bench.identity_set import EvaluationSet, LabelledCheck, generate
from lienthong_tools.bench.runner import Figure
from lienthong_tools.devstack import Stack, kafka_bootstrap, runnable_services

DEFAULT_PORT_BASE = 19400
SERVICES = ("identity", "population_registry")
DUPLICATE_REASONS = frozenset(
    {"NAME_AND_BIRTH_DATE", "MOTHER_AND_BIRTH_DATE", "NAME_AND_SWAPPED_BIRTH_DATE"}
)


def _gender(value: str) -> str:
    return value.upper()


def _dossier(check: LabelledCheck, subject: str) -> dict[str, Any]:
    p = check.person
    return {
        "dossier_id": check.check_id,
        "dossier_code": "BENCH-" + check.check_id[:8],
        "procedure_code": "RESIDENCE_TEMPORARY",
        "channel": "COUNTER",
        "unit_code": "21211",
        "submitted_at": datetime.now(UTC),
        "appointment_at": datetime.now(UTC),
        "persons": [
            {
                "role": p.role,
                "subject_id": subject,
                "id_number": p.id_number,
                "full_name": p.full_name,
                "birth_date": p.birth_date,
                "gender": _gender(p.gender),
            }
        ],
    }


def _birth(check: LabelledCheck, subject: str, subjects: SubjectIds) -> dict[str, Any]:
    p = check.person
    mother = p.mother_id_number or "051192000000"
    return {
        "registration_id": check.check_id,
        "certificate_number": "BENCH-" + check.check_id[:8],
        "unit_code": "21211",
        "registered_at": datetime.now(UTC),
        "child": {
            "subject_id": subject,
            "id_number": None,
            "full_name": p.full_name,
            "birth_date": p.birth_date,
            "gender": _gender(p.gender),
        },
        "father": None,
        "mother": {
            "subject_id": subjects.for_id_number(mother),
            "id_number": mother,
            "full_name": "Mẹ Của Trẻ",
            "birth_date": None,
            "gender": "FEMALE",
        },
        "place_of_birth": "Trạm y tế xã Tịnh Khê",
    }


def _subject(check: LabelledCheck, subjects: SubjectIds) -> str:
    number = check.person.id_number
    if number and len(number) == 12:
        return str(subjects.for_id_number(number))
    if number:
        return str(subjects.provisional("cmnd", number))
    return str(subjects.provisional("bench", check.check_id))


def _messages(
    evaluation: EvaluationSet, stack: Stack, subjects: SubjectIds
) -> tuple[list[OutgoingMessage], dict[str, str]]:
    """The checks as Kafka messages, and the subject id each check's person carries."""
    codec = load_codec()
    messages: list[OutgoingMessage] = []
    subject_of: dict[str, str] = {}
    for check in evaluation.checks:
        subject = _subject(check, subjects)
        subject_of[check.check_id] = subject
        if check.source == "dossier":
            full_name, topic = "vn.lienthong.intake.DossierSubmitted", "intake.dossier.events"
            record = _dossier(check, subject)
        else:
            full_name = "vn.lienthong.civil_registry.BirthRegistered"
            topic = "agency.civil_registry.events"
            record = _birth(check, subject, subjects)
        version = codec.latest_version(full_name)
        envelope = Envelope(
            type=full_name,
            source=catalog_source(full_name),
            time=datetime.now(UTC),
            dataschema=dataschema_uri(full_name, version),
            subject=None,
        )
        messages.append(
            OutgoingMessage(
                stack.topic(topic),
                check.check_id.encode(),
                codec.encode(full_name, record),
                to_headers(envelope),
            )
        )
    return messages, subject_of


async def _load_register(conn: asyncpg.Connection, evaluation: EvaluationSet, key: str) -> None:
    """The labelled register written as an extract load would (keys the registry computes)."""
    from population_registry.domain.model import block_key, canonical_name, family_key, given_key

    subjects = SubjectIds(key)
    rows = []
    aliases = []
    for c in evaluation.citizens:
        name = canonical_name(c.full_name)
        rows.append(
            (
                c.id_number,
                subjects.for_id_number(c.id_number),
                name,
                c.birth_date,
                c.gender,
                "deceased" if c.deceased else "alive",
                c.mother_id_number,
                block_key(name),
                family_key(name),
                given_key(name),
                c.birth_place_code,
            )
        )
        if c.cmnd:
            aliases.append((c.cmnd, c.id_number))
    await conn.copy_records_to_table(
        "citizens",
        records=rows,
        columns=[
            "id_number", "subject_id", "full_name", "birth_date", "gender", "status",
            "mother_id_number", "block_key", "family_key", "given_key", "birth_place_code",
        ],
    )  # fmt: skip
    await conn.copy_records_to_table(
        "citizen_aliases", records=aliases, columns=["cmnd_number", "id_number"]
    )


def _read_answers(
    stack: Stack, want: set[str], subject_of_child: dict[str, str], timeout: float
) -> tuple[dict[str, dict[str, Any]], int, float]:
    """Identity's verification events for the checks (by dossier id, or by the child's
    subject for births); also counts every verification and when the last one came."""
    codec = load_codec()
    consumer = Consumer(
        {
            "bootstrap.servers": kafka_bootstrap(),
            "group.id": f"bench-identity-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([stack.topic("identity.verification.events")])
    found: dict[str, dict[str, Any]] = {}
    total = 0
    last = time.perf_counter()
    deadline = time.monotonic() + timeout
    try:
        while len(found) < len(want) and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error():
                continue
            decoded = codec.decode(msg.value() or b"")
            record = dict(decoded.record)
            record["__type__"] = decoded.full_name.rsplit(".", 1)[-1]
            total += 1
            last = time.perf_counter()
            check_id = (
                str(record["dossier_id"])
                if record.get("dossier_id")
                else subject_of_child.get(str(record["subject_id"]))
            )
            if check_id in want and record.get("role") in ("APPLICANT", "CHILD"):
                found[check_id] = record
    finally:
        consumer.close()
    return found, total, last


def _cpu_seconds(stack: Stack) -> float:
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for name in SERVICES:
        process = stack.processes[name].process
        if process is None:
            continue
        try:
            stat = Path(f"/proc/{process.pid}/stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


async def _review_links(conn: asyncpg.Connection) -> tuple[dict[str, list[Any]], int]:
    """Review cases per verification (opened by it or referenced), and how many cases."""
    rows = await conn.fetch(
        """SELECT c.verification_id, c.subject_id, c.candidate_subject_id, c.reason,
                  c.candidates FROM review_cases c
           UNION ALL
           SELECT r.verification_id, c.subject_id, c.candidate_subject_id, c.reason,
                  c.candidates
           FROM review_case_references r JOIN review_cases c USING (case_id)"""
    )
    links: dict[str, list[Any]] = {}
    for row in rows:
        links.setdefault(str(row["verification_id"]), []).append(row)
    cases: int = await conn.fetchval("SELECT count(*) FROM review_cases")
    return links, cases


def _outcomes(
    evaluation: EvaluationSet,
    answers: dict[str, dict[str, Any]],
    links: dict[str, list[Any]],
    number_of: dict[str, str],
) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    for check in evaluation.checks:
        answer = answers.get(check.check_id)
        if answer is None:
            continue
        duplicates: set[str] = set()
        candidate_case = False
        own = check.truth
        for row in links.get(str(answer["verification_id"]), ()):
            if row["reason"] in DUPLICATE_REASONS:
                pair = {
                    number_of.get(row["subject_id"]),
                    number_of.get(row["candidate_subject_id"]),
                }
                duplicates |= {n for n in pair if n and n != own}
            elif row["reason"] == "REGISTERED_CHILD_FOUND":
                candidates = json.loads(row["candidates"])
                duplicates |= {number_of.get(c["subject_id"], "") for c in candidates}
            else:
                candidate_case = True
        matched = answer.get("matched_subject_id")
        verified = answer["__type__"] == "IdentityVerified"
        outcomes[check.check_id] = Outcome(
            verified,
            None if verified else str(answer["category"]),
            number_of.get(str(matched)) if matched and verified else None,
            frozenset(duplicates - {""}),
            frozenset(),
            candidate_case,
        )
    return outcomes


async def end_to_end(
    citizens: int = 20_000, dossiers: int = 2_000, births: int = 400
) -> list[Figure]:
    evaluation = generate(citizens=citizens, dossiers=dossiers, births=births)
    port_base = int(os.environ.get("LIENTHONG_BENCH_PORT_BASE", DEFAULT_PORT_BASE)) + 40
    stack = Stack(port_base=port_base)
    subjects = SubjectIds(stack.subject_key)
    spec = {s.name: s for s in runnable_services()}
    await stack.create_databases()
    try:
        await asyncio.to_thread(stack.provision_topics)
        await stack.start(only=SERVICES)
        registry = await asyncpg.connect(stack.database_url(spec["population_registry"]))
        try:
            await _load_register(registry, evaluation, stack.subject_key)
        finally:
            await registry.close()
        messages, subject_of = _messages(evaluation, stack, subjects)
        children = {
            subject_of[c.check_id]: c.check_id
            for c in evaluation.checks
            if c.source == "civil_registry"
        }
        producer = EventProducer(producer_config({"bootstrap.servers": kafka_bootstrap()}))
        cpu_before = _cpu_seconds(stack)
        started = time.perf_counter()
        reading = asyncio.create_task(
            asyncio.to_thread(
                _read_answers, stack, {c.check_id for c in evaluation.checks}, children, 600
            )
        )
        await asyncio.to_thread(producer.send_batch_sync, messages, 120)
        producer.close()
        answers, total, last = await reading
        elapsed = last - started
        cpu = _cpu_seconds(stack) - cpu_before
        identity = await asyncpg.connect(stack.database_url(spec["identity"]))
        try:
            links, cases = await _review_links(identity)
        finally:
            await identity.close()
    finally:
        stack.stop()
        await stack.drop_databases()
        await asyncio.to_thread(stack.delete_topics)
    number_of = {subjects.for_id_number(c.id_number): c.id_number for c in evaluation.citizens}
    scores = score(evaluation, _outcomes(evaluation, answers, links, number_of))
    dossier_checks = sum(1 for c in evaluation.checks if c.source == "dossier")
    return [
        Figure(
            "identity.precision", scores.precision, "ratio (mismatch flags, through the processes)"
        ),
        Figure("identity.recall", scores.recall, "ratio (mismatch flags, through the processes)"),
        Figure(
            "identity.duplicate_precision",
            scores.duplicate_precision,
            "ratio (through the processes)",
        ),
        Figure(
            "identity.duplicate_recall", scores.duplicate_recall, "ratio (through the processes)"
        ),
        Figure(
            "identity.demographic_match_rate",
            scores.demographic_match_rate,
            f"ratio of {scores.numberless} numberless people with one record, verified as it",
        ),
        Figure(
            "identity.review_cases_per_1k_dossiers",
            1000 * cases / max(1, len(evaluation.checks)),
            "cases per 1,000 checked dossiers and registrations (through the processes)",
        ),
        Figure("identity.labelled_checks", float(len(evaluation.checks)), "checks"),
        Figure("identity.e2e_answered", len(answers) / max(1, len(evaluation.checks)), "ratio"),
        Figure(
            "identity.verifications_e2e_per_s",
            total / elapsed if elapsed > 0 else 0.0,
            f"verifications/s (Kafka in, registry, Kafka out; {total} in a burst, "
            f"{dossier_checks} dossiers)",
        ),
        Figure(
            "identity.e2e_cpu_ms_per_verification",
            1000 * cpu / max(1, total),
            "ms CPU of identity + registry per verification",
        ),
    ]
