"""Working days, office hours and statutory deadlines (thời hạn giải quyết) in Vietnam.

Why this exists: every procedure has a legal processing time in working days or working
hours, and the appointment date (ngày hẹn trả kết quả) printed on a receipt, the "overdue"
(trễ hạn) flag synced to the National Public Service Portal and the 8-working-hour deadline
for acknowledging an online dossier all come from the same arithmetic. The Project 06
report shows what a wrong "overdue" costs: once synced it cannot be corrected. So the rules
are written down here once, explicitly, and tested.

Rules
-----
1. **Working days** are Monday to Friday, except public holidays as listed by the
   ``holidays`` package for Vietnam: Tết Dương lịch (1/1), Tết Nguyên Đán (five days around
   Lunar New Year), Giỗ Tổ Hùng Vương (10/3 lunar), 30/4, 1/5, Quốc khánh (2/9 and the day
   before or after), Ngày Văn hóa Việt Nam (24/11, from 2026), compensatory days off
   (nghỉ bù) when a holiday falls on a weekend, and days swapped by Government decision.
   A Saturday the Government made a working day in exchange for a bridge holiday (e.g.
   04/5/2024, 26/4/2025) *is* a working day. ``extra_holidays`` and ``extra_working_days``
   override all of this, for announcements the package does not know yet.
2. **Office hours** are the periods of each working day, by default 07:30-11:30 and
   13:30-17:00 in Asia/Ho_Chi_Minh (:class:`OfficeHours` makes them configurable). Periods
   are half-open: 11:30 itself is already lunch.
3. **Counting start.** A dossier received inside an office period counts from the instant
   it was received. One received outside office hours (lunch, evening, weekend, holiday)
   counts from the opening of the next office period: 12:00 counts from 13:30 the same
   day; 19:00 on Tuesday from 07:30 on Wednesday; Sunday from 07:30 on Monday.
4. **N working days** end at the counting start's clock time on the Nth working day after
   the counting start's day. Friday 15:00 + 1 working day = Monday 15:00; Sunday 10:00 +
   1 working day = Tuesday 07:30 (counted from Monday 07:30).
5. **N working hours** are consumed from office time only, starting at the counting start.
   A deadline that falls exactly at the end of a period stays there (11:30, not 13:30).
6. Only timezone-aware datetimes are accepted (a naive one raises ``ValueError``); they may
   be in any zone and are converted. Results are in the office time zone.

The calendar is immutable; the holiday table for a year is computed on first use and
cached, nothing is computed at import.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays


class TimeUnit(StrEnum):
    """Unit of a legal processing time."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"


class ProcessingTime(Protocol):
    """A legal processing time: an amount of working days or working hours."""

    @property
    def amount(self) -> int: ...

    @property
    def unit(self) -> TimeUnit: ...


__all__ = [
    "ACKNOWLEDGEMENT_WORKING_HOURS",
    "DEFAULT_TIMEZONE",
    "OfficeHours",
    "WorkingCalendar",
]

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

#: Decree 45/2020/NĐ-CP: an online dossier must be checked, and accepted or returned for
#: completion, within 8 working hours of arriving.
ACKNOWLEDGEMENT_WORKING_HOURS = 8

#: How far :meth:`WorkingCalendar.next_working_day` looks before giving up.
_MAX_SEARCH_DAYS = 366

Period = tuple[datetime, datetime]


@dataclass(frozen=True)
class OfficeHours:
    """The office periods of a working day, as naive local times in ``timezone``.

    Periods must be non-empty, each start before its end, sorted and non-overlapping.
    """

    periods: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 30), time(17, 0)),
    )
    timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("office hours need at least one period")
        previous_end: time | None = None
        for start, end in self.periods:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office periods are naive local times; set `timezone` instead")
            if not start < end:
                raise ValueError(f"office period {start}-{end} must start before it ends")
            if previous_end is not None and start < previous_end:
                raise ValueError(f"office period {start}-{end} overlaps or is out of order")
            previous_end = end
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.timezone!r}") from error

    @property
    def tzinfo(self) -> ZoneInfo:
        """The office time zone."""
        return ZoneInfo(self.timezone)

    @property
    def hours_per_day(self) -> float:
        """Office hours in one working day (7.5 with the defaults)."""
        total = sum(
            (
                datetime.combine(date.min, end) - datetime.combine(date.min, start)
                for start, end in self.periods
            ),
            timedelta(),
        )
        return total / timedelta(hours=1)


@functools.cache
def _vietnam_year(year: int) -> tuple[Mapping[date, str], frozenset[date]]:
    """Public holidays (with Vietnamese names) and weekend make-up working days of a year."""
    table = holidays.country_holidays("VN", years=year, language="vi")
    names = MappingProxyType({day: str(name) for day, name in table.items() if day.year == year})
    swaps = frozenset(day for day in table.weekend_workdays if day.year == year)
    return names, swaps


@dataclass(frozen=True)
class WorkingCalendar:
    """Working-time arithmetic for statutory deadlines; see the module docstring for rules."""

    office_hours: OfficeHours = field(default_factory=OfficeHours)
    extra_holidays: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra_holidays", frozenset(self.extra_holidays))
        object.__setattr__(self, "extra_working_days", frozenset(self.extra_working_days))
        clash = self.extra_holidays & self.extra_working_days
        if clash:
            days = ", ".join(sorted(d.isoformat() for d in clash))
            raise ValueError(f"dates both extra holidays and extra working days: {days}")

    # --- days ------------------------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on ``day`` (Vietnamese name), or ``None``.

        Covers the package's holidays and ``extra_holidays`` (named "Ngày nghỉ bổ sung").
        """
        day = self._as_date(day)
        if day in self.extra_holidays:
            return "Ngày nghỉ bổ sung"
        return _vietnam_year(day.year)[0].get(day)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (rule 1). A datetime is judged by its local date."""
        day = self._as_date(day)
        if day in self.extra_working_days:
            return True
        if day in self.extra_holidays:
            return False
        names, swaps = _vietnam_year(day.year)
        if day in swaps:
            return True
        return day.weekday() < 5 and day not in names

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day = self._as_date(day)
        for offset in range(1, _MAX_SEARCH_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days after {day}")

    # --- office periods --------------------------------------------------------------------

    def office_periods(self, day: date) -> tuple[Period, ...]:
        """The office periods of ``day`` as aware datetimes; empty on a non-working day."""
        day = self._as_date(day)
        if not self.is_working_day(day):
            return ()
        tz = self.office_hours.tzinfo
        return tuple(
            (datetime.combine(day, start, tz), datetime.combine(day, end, tz))
            for start, end in self.office_hours.periods
        )

    def is_office_time(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside an office period of a working day."""
        local = self._localize(moment)
        return any(start <= local < end for start, end in self.office_periods(local.date()))

    def counting_start(self, received_at: datetime) -> datetime:
        """When a dossier received at ``received_at`` starts counting (rule 3)."""
        local = self._localize(received_at)
        for start, end in self.office_periods(local.date()):
            if local < start:
                return start
            if local < end:
                return local
        return self.office_periods(self.next_working_day(local.date()))[0][0]

    # --- deadlines -------------------------------------------------------------------------

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """``n`` working days after ``start`` (rules 3 and 4); 0 gives the counting start."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"working days must be a non-negative int, got {n!r}")
        begin = self.counting_start(start)
        day = begin.date()
        for _ in range(n):
            day = self.next_working_day(day)
        return datetime.combine(day, begin.timetz())

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """``hours`` of office time after ``start`` (rules 3 and 5)."""
        if isinstance(hours, bool) or not math.isfinite(hours) or hours < 0:
            raise ValueError(f"working hours must be a finite non-negative number, got {hours!r}")
        cursor = self.counting_start(start)
        remaining = timedelta(hours=hours)
        day = cursor.date()
        while True:
            for period_start, period_end in self.office_periods(day):
                if period_end <= cursor:
                    continue
                begin = max(cursor, period_start)
                available = period_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = self.next_working_day(day)

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        """Office hours elapsed from ``a`` to ``b``; negative when ``b`` is before ``a``."""
        start, end = self._localize(a), self._localize(b)
        if end < start:
            return -self.working_hours_between(b, a)
        total = timedelta()
        day = start.date()
        while day <= end.date():
            for period_start, period_end in self.office_periods(day):
                overlap = min(end, period_end) - max(start, period_start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total / timedelta(hours=1)

    def appointment_for(self, received_at: datetime, processing_time: ProcessingTime) -> datetime:
        """The legal deadline for a dossier received at ``received_at``."""
        if processing_time.unit is TimeUnit.WORKING_DAYS:
            return self.add_working_days(received_at, processing_time.amount)
        return self.add_working_hours(received_at, processing_time.amount)

    def acknowledgement_deadline(self, received_at: datetime) -> datetime:
        """Deadline to accept, or return for completion, an online dossier (8 working hours)."""
        return self.add_working_hours(received_at, ACKNOWLEDGEMENT_WORKING_HOURS)

    # --- helpers ---------------------------------------------------------------------------

    def _localize(self, moment: datetime) -> datetime:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r}: a time zone is required")
        return moment.astimezone(self.office_hours.tzinfo)

    def _as_date(self, day: date) -> date:
        if isinstance(day, datetime):
            return self._localize(day).date()
        return day
