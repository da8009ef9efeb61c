"""The free card of a child under 6 (pure rules, no I/O).

Why this exists: the Law on Health Insurance (art. 12) funds the card of every child under
six from the state budget, valid until the day before the sixth birthday. BHXH numbers it
with the object code ``TE``, benefit level 1, the province code and ten digits of the
personal ID number.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

CHILD_OBJECT_CODE = "TE"


@dataclass(frozen=True)
class ChildCard:
    card_number: str
    valid_from: date
    valid_until: date


def sixth_birthday(birth_date: date) -> date:
    try:
        return birth_date.replace(year=birth_date.year + 6)
    except ValueError:  # born on 29 February
        return date(birth_date.year + 6, 3, 1)


def child_card(
    id_number: str, birth_date: date, province_code: str | None, today: date
) -> ChildCard | str:
    """The card to issue, or the reason it cannot be issued. ``province_code`` is the GSO
    code of the province of the unit that asked (``None``: the unit is unknown)."""
    if province_code is None:
        return "UNKNOWN_ADMINISTRATIVE_UNIT"
    if birth_date > today:
        return "BIRTH_DATE_IN_FUTURE"
    until = sixth_birthday(birth_date) - timedelta(days=1)
    if today > until:
        return "NOT_UNDER_SIX"
    return ChildCard(f"{CHILD_OBJECT_CODE}1{province_code}{id_number[-10:]}", birth_date, until)


def card_is_valid(status: str, valid_from: date, valid_until: date, on: date) -> bool:
    return status == "active" and valid_from <= on <= valid_until


def lookup_outcome(
    cards: list[tuple[str, date, date, date | None, str | None]],
    on: date,
    stated_birth_date: date | None,
    stated_name: str | None,
) -> str:
    """What a clinic's look-up found, from the person's cards
    ``(status, valid_from, valid_until, birth_date, full_name)``: a stated birth date or name
    that differs from BHXH's record is a mismatch (the report's "Họ và tên" failures)."""
    if not cards:
        return "NOT_FOUND"
    _, _, _, birth_date, full_name = cards[0]
    if stated_birth_date is not None and birth_date is not None and stated_birth_date != birth_date:
        return "BIRTH_DATE_MISMATCH"
    if (
        stated_name is not None
        and full_name is not None
        and _folded(stated_name) != _folded(full_name)
    ):
        return "NAME_MISMATCH"
    if any(card_is_valid(s, f, u, on) for s, f, u, _, _ in cards):
        return "FOUND_VALID"
    return "NO_VALID_CARD"


def _folded(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())
