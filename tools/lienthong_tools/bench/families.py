"""Synthetic families for load: distinct parents in the reference population registry, and
the birth dossiers of their newborns.

Why this exists: a load of thousands of births by the demo's three couples is not a load
the platform meets in life. Each newborn of one mother with the same name and birth date is
a suspected duplicate of all her earlier ones, so identity's work grows with the square of
the count and the figure measures the test data. Here every family is its own couple with
names drawn with real family-name frequencies, ID numbers of Quảng Ngãi (051), and a child
born in the last month; the parents are loaded into the stack's population registry (the
stand-in for the National Population Database) before the run, as its demo population is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import asyncpg

from lienthong.subjects import SubjectIds
from lienthong.vn.id_numbers import build_id_number
from lienthong_tools.bench.identity_set import random_name

PROVINCE = "051"  # Quảng Ngãi: the unit of the demo officer (51)


@dataclass(frozen=True)
class Parent:
    id_number: str
    full_name: str
    birth_date: date
    gender: str


@dataclass(frozen=True)
class Family:
    father: Parent
    mother: Parent
    child_name: str
    child_born: date
    child_gender: str


def _parent(rng: random.Random, gender: str, serial: int, family: str | None = None) -> Parent:
    born = date(1980, 1, 1) + timedelta(days=rng.randrange(365 * 20))
    return Parent(
        build_id_number(PROVINCE, gender, born, serial),
        random_name(rng, gender, family),
        born,
        gender,
    )


def families(n: int, seed: int = 19, today: date | None = None) -> list[Family]:
    """``n`` couples with one newborn each; ID-number serials are distinct within the set."""
    rng = random.Random(seed)
    today = today or date.today()
    serials = rng.sample(range(10**6), 2 * n)
    made = []
    for i in range(n):
        father = _parent(rng, "MALE", serials[2 * i])
        child_gender = rng.choice(("MALE", "FEMALE"))
        made.append(
            Family(
                father=father,
                mother=_parent(rng, "FEMALE", serials[2 * i + 1]),
                child_name=random_name(rng, child_gender, father.full_name.split()[0]),
                child_born=today - timedelta(days=rng.randrange(1, 30)),
                child_gender=child_gender,
            )
        )
    return made


def _person(role: str, p: Parent) -> dict[str, Any]:
    return {
        "role": role,
        "full_name": p.full_name,
        "id_number": p.id_number,
        "birth_date": p.birth_date.isoformat(),
        "gender": p.gender.lower(),
    }


def birth_dossier(family: Family, unit_code: str = "51") -> dict[str, Any]:
    """The linked birth dossier (``BIRTH_LINKED``) the father submits at the counter."""
    return {
        "procedure_code": "BIRTH_LINKED",
        "channel": "counter",
        "unit_code": unit_code,
        "persons": [
            _person("applicant", family.father),
            _person("father", family.father),
            _person("mother", family.mother),
            {
                "role": "child",
                "full_name": family.child_name,
                "birth_date": family.child_born.isoformat(),
                "gender": family.child_gender.lower(),
            },
        ],
    }


async def load_parents(registry_db: str, subject_key: str, made: list[Family]) -> None:
    """Upsert every parent into the population registry's citizens (as its demo data is)."""
    from population_registry.adapters.repository import upsert_citizen
    from population_registry.domain.model import Citizen

    subjects = SubjectIds(subject_key)
    conn = await asyncpg.connect(registry_db)
    try:
        async with conn.transaction():
            for f in made:
                for p in (f.father, f.mother):
                    citizen = Citizen(p.id_number, p.full_name, p.birth_date, p.gender)
                    await upsert_citizen(conn, citizen, subjects)
    finally:
        await conn.close()
