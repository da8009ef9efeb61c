"""Identity quality and speed on a labelled synthetic set of Vietnamese birth records.

Why this exists: the issue asks how often identity's flags are right (precision) and how
many real problems it catches (recall), for both kinds of flag, and how many checks one
worker makes per second. The set is generated here (seeded, so every run sees the same
one) from realistic names: family names drawn with Vietnam's family-name distribution,
middle and given names including the ones whose tone placement varies (Hoà/Hòa, Thuỷ/Thủy).

Mismatch flags — a stated person compared with the population record of the number given:
  not flagged (the same data written differently): NFD, old tone placement, TCVN3 and VNI
  mojibake, upper case and extra spaces, the ``Ð`` look-alike, no diacritics at all, family
  name written last;
  flagged (the data differ): a typo (one letter changed), another person's name, day and
  month swapped, another birth date in the same year, the other gender, a deceased person,
  a number the registry does not hold.
Duplicate flags — a record compared with the records the registry's blocking returns
(same sorted name key and birth date or swapped day/month, same mother and birth date, or
same family name, gender and birth date; reproduced here in memory):
  duplicates (one child registered twice): the second record with any corruption above,
  including a typo, and the mother known on one or both records;
  not duplicates: same name and birth date with different mothers (two people), a twin
  (same mother and birth date, another given name), same name and birth date but the other
  gender, another name on the same birth date.
Every record carries its mother's ID number, as birth records do. Two strangers with the
same name and birth date whose mothers are unknown are suspected on purpose (an officer
decides); they are left out of the labelled set.

``identity.verifications_per_s`` times the core function (``precheck`` then ``assess`` on
the registry's answer), one process, no I/O: the throughput of one worker's CPU, above
which the database and Kafka set the pace.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from identity.domain.duplicates import Reference, duplicate_reason
from identity.domain.events import (
    CitizenRecord,
    CitizenStatus,
    CitizenVerificationAnswered,
    Gender,
    MatchedBy,
    PersonRole,
    SubmittedPerson,
)
from identity.domain.verification import assess, precheck
from lienthong.vn.id_numbers import build_id_number
from lienthong.vn.legacy_encodings import encode_legacy_text
from lienthong.vn.names import ascii_fold, name_key
from lienthong_tools.bench.runner import Figure

# Approximate shares of Vietnam's most common family names (the rest share "other").
FAMILY_NAMES = (
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.0),
    ("Huỳnh", 2.1), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Trương", 0.6),
    ("Đinh", 0.6), ("Đoàn", 0.6), ("Lâm", 0.5), ("Mai", 0.5), ("Trịnh", 0.5), ("Cao", 0.4),
)  # fmt: skip
MALE_MIDDLE = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Gia", "Hoàng", "Công", "Ngọc")
FEMALE_MIDDLE = ("Thị", "Ngọc", "Thanh", "Mỹ", "Thuỳ", "Khánh", "Bảo", "Hoài", "Kim", "Diệu")
MALE_GIVEN = (
    "Hùng", "Dũng", "Tuấn", "Đức", "Sơn", "Khôi", "Bảo", "Khoa", "Huy", "Long", "Nam", "Phúc",
    "Quý", "Thuỵ", "Hoà", "Toàn", "Cường", "Thắng", "Nghĩa", "Hoàng", "Việt", "Lộc", "Tú", "An",
)  # fmt: skip
FEMALE_GIVEN = (
    "Lan", "Hương", "Ánh", "Linh", "Thuỷ", "Hoà", "Thuý", "Quỳnh", "Loan", "Ngọc", "Trang",
    "Hằng", "Nhung", "Mai", "Hoè", "Uyên", "Yến", "Thảo", "Vy", "Hạnh", "Nguyệt", "Khuê",
)  # fmt: skip
OLD_STYLE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uỷ": "ủy",
             "uý": "úy", "uỳ": "ùy", "uỵ": "ụy", "oè": "òe"}  # fmt: skip


@dataclass(frozen=True)
class Person:
    name: str
    born: date
    gender: str
    id_number: str
    mother: str


def _family(rng: random.Random) -> str:
    names = [name for name, _ in FAMILY_NAMES]
    weights = [weight for _, weight in FAMILY_NAMES]
    chosen: str = rng.choices(names, weights)[0]
    return chosen


def make_person(rng: random.Random, gender: str | None = None) -> Person:
    gender = gender or rng.choice(("MALE", "FEMALE"))
    male = gender == "MALE"
    middle = rng.choice(MALE_MIDDLE if male else FEMALE_MIDDLE)
    given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
    born = date(2012, 1, 1) + timedelta(days=rng.randrange(365 * 14))
    number = build_id_number(rng.choice(("051", "001", "079", "048")), gender, born,
                             rng.randrange(10**6))  # fmt: skip
    mother = build_id_number("051", "FEMALE", date(1985, 1, 1), rng.randrange(10**6))
    return Person(f"{_family(rng)} {middle} {given}", born, gender, number, mother)


def old_tone_placement(name: str) -> str:
    for new, old in OLD_STYLE.items():
        name = name.replace(new, old)
    return name


def typo(rng: random.Random, name: str) -> str:
    words = name.split()
    word = words[-1]
    positions = [i for i, ch in enumerate(word) if ch.isascii() and ch.isalpha()]
    i = rng.choice(positions)
    letters = [c for c in "bcdghklmnpqrstvx" if c != word[i].lower()]
    words[-1] = word[:i] + rng.choice(letters) + word[i + 1 :]
    return " ".join(words)


def swapped(born: date) -> date | None:
    if born.day > 12 or born.day == born.month:
        return None
    return date(born.year, born.day, born.month)


SAME_NAME_VARIANTS: dict[str, Callable[[random.Random, str], str]] = {
    "exact": lambda rng, n: n,
    "nfd": lambda rng, n: unicodedata.normalize("NFD", n),
    "old_tone_placement": lambda rng, n: old_tone_placement(n),
    "tcvn3": lambda rng, n: encode_legacy_text(n, "tcvn3"),
    "vni": lambda rng, n: encode_legacy_text(n, "vni"),
    "case_and_spacing": lambda rng, n: "  " + n.upper().replace(" ", "   "),
    "d_look_alike": lambda rng, n: n.replace("Đ", "Ð").replace("đ", "ð"),
    "no_diacritics": lambda rng, n: ascii_fold(n),
    "family_name_last": lambda rng, n: " ".join(n.split()[1:] + n.split()[:1]),
}


def _record(p: Person, status: CitizenStatus = CitizenStatus.ALIVE) -> CitizenRecord:
    return CitizenRecord(
        "sub_" + p.id_number, p.id_number, p.name, p.born, Gender[p.gender], status, p.mother
    )


def _answer(record: CitizenRecord | None) -> CitizenVerificationAnswered:
    return CitizenVerificationAnswered(
        "00000000-0000-0000-0000-000000000000",
        "sub",
        MatchedBy.ID_NUMBER if record else MatchedBy.NONE,
        record,
        (),
        datetime.now(UTC),
    )


@dataclass(frozen=True)
class Case:
    stated: SubmittedPerson
    answer: CitizenVerificationAnswered
    flagged: bool  # the label: should identity raise a mismatch?
    kind: str


def mismatch_cases(rng: random.Random, n: int) -> list[Case]:
    cases: list[Case] = []
    kinds_same = list(SAME_NAME_VARIANTS)
    kinds_differ = ["typo", "other_name", "swapped_day_month", "other_day", "other_gender",
                    "deceased", "not_found"]  # fmt: skip
    while len(cases) < n:
        p = make_person(rng)
        record = _record(p)
        name, born, gender, label = p.name, p.born, p.gender, True
        if rng.random() < 0.5:
            kind = rng.choice(kinds_same)
            name, label = SAME_NAME_VARIANTS[kind](rng, p.name), False
        else:
            kind = rng.choice(kinds_differ)
            if kind == "typo":
                name = typo(rng, p.name)
            elif kind == "other_name":
                name = make_person(rng, p.gender).name
                if name_key(name) == name_key(p.name):
                    continue
            elif kind == "swapped_day_month":
                other = swapped(p.born)
                if other is None:
                    continue
                born = other
            elif kind == "other_day":
                born = p.born + timedelta(days=rng.choice((1, -1, 7)))
                if born.year != p.born.year:
                    continue
            elif kind == "other_gender":
                gender = "FEMALE" if p.gender == "MALE" else "MALE"
            elif kind == "deceased":
                record = _record(p, CitizenStatus.DECEASED)
        stated = SubmittedPerson(PersonRole.APPLICANT, "sub_" + p.id_number, p.id_number, name,
                                 born, Gender[gender])  # fmt: skip
        answer = _answer(None if kind == "not_found" else record)
        cases.append(Case(stated, answer, label, kind))
    return cases


def flag_mismatch(case: Case) -> bool:
    finding = precheck(case.stated) or assess(case.stated, case.answer)
    return not finding.verified


@dataclass(frozen=True)
class Pair:
    a: CitizenRecord
    b: CitizenRecord
    duplicate: bool
    kind: str


def duplicate_pairs(rng: random.Random, n: int) -> list[Pair]:
    pairs: list[Pair] = []
    while len(pairs) < n:
        p = make_person(rng)
        second = replace(p, id_number=build_id_number("051", p.gender, p.born,
                                                      rng.randrange(10**6)))  # fmt: skip
        if rng.random() < 0.5:
            kind = rng.choice([*SAME_NAME_VARIANTS, "typo", "swapped_day_month"])
            if kind == "typo":
                second = replace(second, name=typo(rng, p.name))
            elif kind == "swapped_day_month":
                other = swapped(p.born)
                if other is None:
                    continue
                second = replace(second, born=other)
            else:
                second = replace(second, name=SAME_NAME_VARIANTS[kind](rng, p.name))
            a = _record(p)
            b = _record(second)
            if rng.random() < 0.3:  # the older record lacks the mother
                b = replace(b, mother_id_number=None)
            pairs.append(Pair(a, b, True, kind))
            continue
        kind = rng.choice(["other_mother", "twin", "other_gender", "other_name"])
        if kind == "other_mother":
            second = replace(second, mother=build_id_number("051", "FEMALE", date(1986, 2, 2),
                                                            rng.randrange(10**6)))  # fmt: skip
        elif kind == "twin":
            twin = make_person(rng, p.gender)
            if name_key(twin.name.split()[-1]) == name_key(p.name.split()[-1]):
                continue
            second = replace(second, name=" ".join(p.name.split()[:-1] + twin.name.split()[-1:]))
        elif kind == "other_gender":
            other_gender = "FEMALE" if p.gender == "MALE" else "MALE"
            second = replace(second, gender=other_gender, id_number=build_id_number(
                "051", other_gender, p.born, rng.randrange(10**6)))  # fmt: skip
        else:
            stranger = make_person(rng, p.gender)
            if name_key(stranger.name) == name_key(p.name):
                continue
            second = replace(second, name=stranger.name, mother=stranger.mother)
        pairs.append(Pair(_record(p), _record(second), False, kind))
    return pairs


def _block_key(name: str) -> str:
    return " ".join(sorted(name_key(name).split()))


def blocked(a: CitizenRecord, b: CitizenRecord) -> bool:
    """The registry's blocking (adapters/repository.duplicate_candidates), in memory."""
    dates = {a.birth_date, swapped(a.birth_date)}
    by_name = _block_key(a.full_name) == _block_key(b.full_name) and b.birth_date in dates
    by_mother = a.mother_id_number is not None and a.mother_id_number == b.mother_id_number
    by_family = (
        name_key(a.full_name).split()[:1] == name_key(b.full_name).split()[:1]
        and a.gender == b.gender
    )
    return by_name or ((by_mother or by_family) and a.birth_date == b.birth_date)


def flag_duplicate(pair: Pair) -> bool:
    a = pair.a
    reference = Reference(a.subject_id, a.full_name, a.birth_date, a.gender.name,
                          a.mother_id_number)  # fmt: skip
    return blocked(a, pair.b) and duplicate_reason(reference, pair.b) is not None


def _precision_recall(labels: list[bool], flags: list[bool]) -> tuple[int, int, int]:
    tp = sum(1 for label, flag in zip(labels, flags, strict=True) if label and flag)
    fp = sum(1 for label, flag in zip(labels, flags, strict=True) if flag and not label)
    fn = sum(1 for label, flag in zip(labels, flags, strict=True) if label and not flag)
    return tp, fp, fn


def misclassified(n: int = 4000, seed: int = 6) -> dict[str, int]:
    """Errors per kind (for looking into the figures)."""
    rng = random.Random(seed)
    errors: dict[str, int] = {}
    for case in mismatch_cases(rng, n):
        if flag_mismatch(case) != case.flagged:
            errors["mismatch." + case.kind] = errors.get("mismatch." + case.kind, 0) + 1
    for pair in duplicate_pairs(rng, n):
        if flag_duplicate(pair) != pair.duplicate:
            errors["duplicate." + pair.kind] = errors.get("duplicate." + pair.kind, 0) + 1
    return errors


async def quality(n: int = 4000, seed: int = 6) -> list[Figure]:
    rng = random.Random(seed)
    cases = mismatch_cases(rng, n)
    pairs = duplicate_pairs(rng, n)
    m_tp, m_fp, m_fn = _precision_recall(
        [c.flagged for c in cases], [flag_mismatch(c) for c in cases]
    )
    d_tp, d_fp, d_fn = _precision_recall(
        [p.duplicate for p in pairs], [flag_duplicate(p) for p in pairs]
    )

    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    tp, fp, fn = m_tp + d_tp, m_fp + d_fp, m_fn + d_fn
    started = time.perf_counter()
    rounds = 0
    while time.perf_counter() - started < 2.0:
        for case in cases:
            flag_mismatch(case)
        rounds += 1
    per_s = rounds * len(cases) / (time.perf_counter() - started)
    return [
        Figure("identity.precision", ratio(tp, tp + fp), "ratio"),
        Figure("identity.recall", ratio(tp, tp + fn), "ratio"),
        Figure("identity.mismatch_precision", ratio(m_tp, m_tp + m_fp), "ratio"),
        Figure("identity.mismatch_recall", ratio(m_tp, m_tp + m_fn), "ratio"),
        Figure("identity.duplicate_precision", ratio(d_tp, d_tp + d_fp), "ratio"),
        Figure("identity.duplicate_recall", ratio(d_tp, d_tp + d_fn), "ratio"),
        Figure("identity.labelled_cases", float(len(cases) + len(pairs)), "cases"),
        Figure("identity.verifications_per_s", per_s, "checks/s (core function, 1 worker)"),
    ]


async def through_database(n: int = 300) -> list[Figure]:
    """Checks per second by one worker through both services' handlers on real PostgreSQL:
    the dossier event (inbox-less: the handler's transaction), the registry's answer, the
    conclusion — three transactions and three outbox rows per check, Kafka left out (its
    raw limit is ``raw.kafka``)."""
    import uuid as uuid_module

    import asyncpg

    from identity.bootstrap import MIGRATIONS as IDENTITY_MIGRATIONS
    from identity.domain import events as identity_events
    from identity.service_layer.handlers import HANDLERS as IDENTITY_HANDLERS
    from identity.service_layer.handlers import Dependencies as IdentityDependencies
    from lienthong.bus import MessageBus
    from lienthong.db import create_pool
    from lienthong.mapping import from_record
    from lienthong.outbox import Outbox
    from lienthong.service import load_codec
    from lienthong.subjects import SubjectIds
    from lienthong_tools.devstack import pg_base
    from population_registry.bootstrap import MIGRATIONS as REGISTRY_MIGRATIONS
    from population_registry.bootstrap import upsert_demo_population
    from population_registry.domain import events as registry_events
    from population_registry.service_layer.handlers import HANDLERS as REGISTRY_HANDLERS
    from population_registry.service_layer.handlers import Dependencies as RegistryDependencies

    codec = load_codec()
    subjects = SubjectIds("bench-subject-key-0123456789")
    admin = await asyncpg.connect(f"{pg_base()}/postgres")
    names = ["bench_" + uuid_module.uuid4().hex[:10] for _ in range(2)]
    pools: list[asyncpg.Pool] = []
    try:
        for name in names:
            await admin.execute(f'CREATE DATABASE "{name}"')
        identity_pool = await create_pool(f"{pg_base()}/{names[0]}", IDENTITY_MIGRATIONS)
        registry_pool = await create_pool(f"{pg_base()}/{names[1]}", REGISTRY_MIGRATIONS)
        pools += [identity_pool, registry_pool]
        await upsert_demo_population(registry_pool, subjects)
        identity_bus = MessageBus(
            IDENTITY_HANDLERS,
            IdentityDependencies(subjects),
            Outbox(codec, "/bench/identity", identity_events.EMITTED),
        )
        registry_bus = MessageBus(
            REGISTRY_HANDLERS,
            RegistryDependencies(subjects),
            Outbox(codec, "/bench/population_registry", registry_events.EMITTED),
        )

        async def deliver(pool: asyncpg.Pool, topic: str, bus: MessageBus[Any],
                          consumed: dict[str, type], target: asyncpg.Pool) -> None:  # fmt: skip
            async with pool.acquire() as conn:
                rows = await conn.fetch(
                    """UPDATE outbox SET published_at = now()
                       WHERE topic = $1 AND published_at IS NULL RETURNING payload""",
                    topic,
                )
            for row in rows:
                decoded = codec.decode(row["payload"])
                message: object = from_record(consumed[decoded.full_name], decoded.record)
                await bus.handle_in_transaction(target, message)

        person = identity_events.SubmittedPerson(
            identity_events.PersonRole.APPLICANT, subjects.for_id_number("051090123456"),
            "051090123456", "Nguyễn Văn Hùng", date(1990, 3, 14), identity_events.Gender.MALE,
        )  # fmt: skip
        started = time.perf_counter()
        for _ in range(n):
            dossier = identity_events.DossierSubmitted(
                str(uuid_module.uuid4()), "RESIDENCE_TEMPORARY", "51", datetime.now(UTC),
                (person,),
            )  # fmt: skip
            await identity_bus.handle_in_transaction(identity_pool, dossier)
            await deliver(identity_pool, "agency.population.verification.requests",
                          registry_bus, registry_events.CONSUMED, registry_pool)  # fmt: skip
            await deliver(registry_pool, "agency.population.verification.replies",
                          identity_bus, identity_events.CONSUMED, identity_pool)  # fmt: skip
        per_s = n / (time.perf_counter() - started)
    finally:
        for pool in pools:
            await pool.close()
        for name in names:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return [
        Figure("identity.verifications_per_s_with_database", per_s,
               "checks/s (1 worker, sequential, 3 transactions each, no Kafka)"),
    ]  # fmt: skip
