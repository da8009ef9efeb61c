"""Plausible bounds of the dates the domain carries.

Why this exists: a birth in the year 136 passed the civil registry's validation and broke
the population registry downstream. The bounds are domain rules, stated once and applied
at every edge: HTTP validation, the reference agencies' command handlers, and the semantic
check of every consumed event.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

#: No living person's civil record starts before this day.
EARLIEST_BIRTH = date(1900, 1, 1)
#: Clock skew allowed between agency systems for "not in the future".
FUTURE_SKEW = timedelta(days=1)


def birth_date_problem(value: date, today: date | None = None) -> str | None:
    """Why ``value`` is not a plausible birth date, or None when it is."""
    today = today or datetime.now(UTC).date()
    if value < EARLIEST_BIRTH:
        return f"is before {EARLIEST_BIRTH.isoformat()}"
    if value > today + FUTURE_SKEW:
        return "is in the future"
    return None


def event_date_problem(value: date, today: date | None = None) -> str | None:
    """Why ``value`` is not a plausible date of a civil event (death, change), or None."""
    return birth_date_problem(value, today)


def plausible_birth_date(value: date | None) -> date | None:
    """A pydantic ``AfterValidator``: refuse implausible birth dates with the reason."""
    if value is not None and (problem := birth_date_problem(value)) is not None:
        raise ValueError(problem)
    return value


def plausible_event_date(value: date | None) -> date | None:
    if value is not None and (problem := event_date_problem(value)) is not None:
        raise ValueError(problem)
    return value
