"""Specification of working-time arithmetic for statutory deadlines.

Dates are chosen so that the expected answer can be checked on a paper calendar: June 2022
has no public holiday; Monday 20 June 2022 starts an ordinary week.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from lienthong.vn.working_time import (
    ACKNOWLEDGEMENT_WORKING_HOURS,
    OfficeHours,
    TimeUnit,
    WorkingCalendar,
)


@dataclass(frozen=True)
class ProcessingTime:
    amount: int
    unit: TimeUnit


VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


# --- working days --------------------------------------------------------------------------


class TestWorkingDays:
    def test_monday_to_friday_are_working_days_and_the_weekend_is_not(
        self, calendar: WorkingCalendar
    ) -> None:
        week = [date(2022, 6, 20) + timedelta(days=i) for i in range(7)]
        assert [calendar.is_working_day(d) for d in week] == [True] * 5 + [False] * 2

    def test_tet_nguyen_dan_2027_closes_thursday_4_to_wednesday_10_february(
        self, calendar: WorkingCalendar
    ) -> None:
        tet = [date(2027, 2, 4) + timedelta(days=i) for i in range(7)]
        assert not any(calendar.is_working_day(d) for d in tet)
        assert calendar.is_working_day(date(2027, 2, 3))
        assert calendar.is_working_day(date(2027, 2, 11))
        assert calendar.holiday_name(date(2027, 2, 6)) == "Tết Nguyên Đán"

    def test_reunification_and_labour_day_2025_include_the_bridge_friday(
        self, calendar: WorkingCalendar
    ) -> None:
        for day in (date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)):
            assert not calendar.is_working_day(day), day

    def test_a_saturday_swapped_for_a_bridge_holiday_is_a_working_day(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.is_working_day(date(2025, 4, 26))  # worked in exchange for 2/5/2025
        assert calendar.is_working_day(date(2024, 5, 4))  # worked in exchange for 29/4/2024
        assert not calendar.is_working_day(date(2025, 4, 19))  # an ordinary Saturday

    def test_a_holiday_on_a_sunday_gives_a_compensatory_monday(
        self, calendar: WorkingCalendar
    ) -> None:
        assert not calendar.is_working_day(date(2022, 4, 11))  # Giỗ Tổ fell on Sunday 10/4
        assert calendar.holiday_name(date(2022, 4, 11)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"

    @pytest.mark.parametrize("year", range(2022, 2031))
    def test_every_statutory_holiday_is_known_for_2022_to_2030(
        self, calendar: WorkingCalendar, year: int
    ) -> None:
        names = {
            name
            for offset in range(366)
            if (day := date(year, 1, 1) + timedelta(days=offset)).year == year
            and (name := calendar.holiday_name(day)) is not None
        }
        for expected in (
            "Tết Dương lịch",
            "Tết Nguyên Đán",
            "Ngày Giỗ Tổ Hùng Vương",
            "Ngày Chiến thắng",
            "Ngày Quốc tế Lao động",
            "Quốc khánh",
        ):
            assert any(name.startswith(expected) for name in names), (year, expected)

    @pytest.mark.parametrize("year", range(2022, 2031))
    def test_tet_closes_at_least_five_weekdays_every_year(
        self, calendar: WorkingCalendar, year: int
    ) -> None:
        january_and_february = [date(year, 1, 15) + timedelta(days=i) for i in range(45)]
        closed_weekdays = [
            d for d in january_and_february if d.weekday() < 5 and not calendar.is_working_day(d)
        ]
        assert len(closed_weekdays) >= 5

    def test_national_day_is_two_days_off(self, calendar: WorkingCalendar) -> None:
        assert not calendar.is_working_day(date(2025, 9, 1))
        assert not calendar.is_working_day(date(2025, 9, 2))

    def test_next_working_day_skips_weekends_and_holidays(self, calendar: WorkingCalendar) -> None:
        assert calendar.next_working_day(date(2022, 6, 17)) == date(2022, 6, 20)
        assert calendar.next_working_day(date(2027, 2, 3)) == date(2027, 2, 11)

    def test_extra_holidays_and_extra_working_days_override_the_package(self) -> None:
        calendar = WorkingCalendar(
            extra_holidays=frozenset({date(2022, 6, 17)}),
            extra_working_days=frozenset({date(2022, 6, 18)}),
        )
        assert not calendar.is_working_day(date(2022, 6, 17))
        assert calendar.holiday_name(date(2022, 6, 17)) == "Ngày nghỉ bổ sung"
        assert calendar.is_working_day(date(2022, 6, 18))

    def test_a_date_cannot_be_both_an_extra_holiday_and_an_extra_working_day(self) -> None:
        with pytest.raises(ValueError, match="2022-06-17"):
            WorkingCalendar(
                extra_holidays=frozenset({date(2022, 6, 17)}),
                extra_working_days=frozenset({date(2022, 6, 17)}),
            )


# --- counting start ------------------------------------------------------------------------


class TestCountingStart:
    def test_a_dossier_received_during_office_hours_counts_from_that_moment(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.counting_start(at(2022, 6, 20, 9, 15)) == at(2022, 6, 20, 9, 15)

    def test_a_dossier_received_at_19_00_counts_from_the_next_morning(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.counting_start(at(2022, 6, 14, 19, 0)) == at(2022, 6, 15, 7, 30)

    def test_a_dossier_received_before_opening_counts_from_opening(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.counting_start(at(2022, 6, 20, 6, 45)) == at(2022, 6, 20, 7, 30)

    def test_a_dossier_received_at_lunch_counts_from_the_afternoon_opening(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.counting_start(at(2022, 6, 20, 12, 0)) == at(2022, 6, 20, 13, 30)
        assert calendar.counting_start(at(2022, 6, 20, 11, 30)) == at(2022, 6, 20, 13, 30)

    def test_a_sunday_submission_counts_from_monday_morning(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.counting_start(at(2022, 6, 19, 10, 0)) == at(2022, 6, 20, 7, 30)

    def test_a_submission_during_tet_counts_from_the_first_morning_after_tet(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.counting_start(at(2027, 2, 6, 9, 0)) == at(2027, 2, 11, 7, 30)

    def test_office_time_is_judged_in_vietnam_time_whatever_the_input_zone(
        self, calendar: WorkingCalendar
    ) -> None:
        one_am_utc = datetime(2022, 6, 14, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
        assert calendar.is_office_time(one_am_utc)
        assert calendar.counting_start(one_am_utc) == at(2022, 6, 14, 8, 0)
        assert calendar.counting_start(one_am_utc).tzinfo == VN


# --- deadlines in working days -------------------------------------------------------------


class TestAddWorkingDays:
    def test_friday_afternoon_plus_one_working_day_is_monday_at_the_same_time(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.add_working_days(at(2022, 6, 17, 15, 0), 1) == at(2022, 6, 20, 15, 0)

    def test_days_are_counted_across_tet_2027(self, calendar: WorkingCalendar) -> None:
        received = at(2027, 2, 3, 10, 0)  # Wednesday before 29 Tết
        assert calendar.add_working_days(received, 1) == at(2027, 2, 11, 10, 0)
        assert calendar.add_working_days(received, 3) == at(2027, 2, 15, 10, 0)

    def test_days_are_counted_across_30_april_and_1_may(self, calendar: WorkingCalendar) -> None:
        assert calendar.add_working_days(at(2025, 4, 29, 9, 0), 1) == at(2025, 5, 5, 9, 0)
        assert calendar.add_working_days(at(2026, 4, 29, 9, 0), 1) == at(2026, 5, 4, 9, 0)

    def test_a_swapped_working_saturday_counts_as_a_day(self, calendar: WorkingCalendar) -> None:
        assert calendar.add_working_days(at(2025, 4, 25, 15, 0), 1) == at(2025, 4, 26, 15, 0)

    def test_an_evening_submission_counts_from_the_next_morning(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.add_working_days(at(2022, 6, 14, 19, 0), 1) == at(2022, 6, 16, 7, 30)

    def test_a_sunday_submission_counts_from_monday(self, calendar: WorkingCalendar) -> None:
        assert calendar.add_working_days(at(2022, 6, 19, 10, 0), 3) == at(2022, 6, 23, 7, 30)

    def test_zero_days_is_the_counting_start(self, calendar: WorkingCalendar) -> None:
        assert calendar.add_working_days(at(2022, 6, 19, 10, 0), 0) == at(2022, 6, 20, 7, 30)

    @pytest.mark.parametrize("bad", [-1, True])
    def test_the_number_of_days_must_be_a_non_negative_int(
        self, calendar: WorkingCalendar, bad: int
    ) -> None:
        with pytest.raises(ValueError):
            calendar.add_working_days(at(2022, 6, 20, 9, 0), bad)


# --- deadlines in working hours ------------------------------------------------------------


class TestWorkingHours:
    def test_hours_skip_the_lunch_break(self, calendar: WorkingCalendar) -> None:
        assert calendar.add_working_hours(at(2022, 6, 20, 10, 30), 2) == at(2022, 6, 20, 14, 30)
        assert calendar.working_hours_between(
            at(2022, 6, 20, 10, 30), at(2022, 6, 20, 14, 30)
        ) == pytest.approx(2.0)

    def test_a_deadline_at_the_end_of_a_period_stays_there(self, calendar: WorkingCalendar) -> None:
        assert calendar.add_working_hours(at(2022, 6, 20, 7, 30), 4) == at(2022, 6, 20, 11, 30)

    def test_a_working_day_has_seven_and_a_half_office_hours(
        self, calendar: WorkingCalendar
    ) -> None:
        assert calendar.office_hours.hours_per_day == pytest.approx(7.5)
        assert calendar.working_hours_between(
            at(2022, 6, 20, 0, 0), at(2022, 6, 21, 0, 0)
        ) == pytest.approx(7.5)

    def test_hours_between_ignore_the_weekend(self, calendar: WorkingCalendar) -> None:
        friday_16h, monday_8h30 = at(2022, 6, 17, 16, 0), at(2022, 6, 20, 8, 30)
        assert calendar.working_hours_between(friday_16h, monday_8h30) == pytest.approx(2.0)

    def test_hours_between_is_negative_when_the_end_comes_first(
        self, calendar: WorkingCalendar
    ) -> None:
        friday_16h, monday_8h30 = at(2022, 6, 17, 16, 0), at(2022, 6, 20, 8, 30)
        assert calendar.working_hours_between(monday_8h30, friday_16h) == pytest.approx(-2.0)

    def test_hours_outside_office_time_count_for_nothing(self, calendar: WorkingCalendar) -> None:
        assert calendar.working_hours_between(
            at(2022, 6, 18, 8, 0), at(2022, 6, 19, 20, 0)
        ) == pytest.approx(0.0)

    @pytest.mark.parametrize("bad", [-0.5, float("nan"), float("inf")])
    def test_hours_must_be_finite_and_non_negative(
        self, calendar: WorkingCalendar, bad: float
    ) -> None:
        with pytest.raises(ValueError):
            calendar.add_working_hours(at(2022, 6, 20, 9, 0), bad)


class TestAcknowledgementDeadline:
    def test_an_online_dossier_must_be_acknowledged_within_8_working_hours(
        self, calendar: WorkingCalendar
    ) -> None:
        assert ACKNOWLEDGEMENT_WORKING_HOURS == 8
        # Friday 15:00-17:00 (2 h), Monday 07:30-11:30 (4 h), 13:30-15:30 (2 h).
        assert calendar.acknowledgement_deadline(at(2022, 6, 17, 15, 0)) == at(2022, 6, 20, 15, 30)

    def test_an_evening_dossier_is_acknowledged_early_the_day_after_next(
        self, calendar: WorkingCalendar
    ) -> None:
        # Counts from Wednesday 07:30; 7.5 h that day, the last half hour on Thursday.
        assert calendar.acknowledgement_deadline(at(2022, 6, 14, 19, 0)) == at(2022, 6, 16, 8, 0)


class TestTimezoneDiscipline:
    def test_naive_datetimes_are_rejected_everywhere(self, calendar: WorkingCalendar) -> None:
        naive = datetime(2022, 6, 20, 9, 0)
        one_day = ProcessingTime(1, TimeUnit.WORKING_DAYS)
        calls: list[Callable[[], object]] = [
            lambda: calendar.counting_start(naive),
            lambda: calendar.is_office_time(naive),
            lambda: calendar.is_working_day(naive),
            lambda: calendar.add_working_days(naive, 1),
            lambda: calendar.add_working_hours(naive, 1),
            lambda: calendar.working_hours_between(naive, at(2022, 6, 21)),
            lambda: calendar.appointment_for(naive, one_day),
            lambda: calendar.acknowledgement_deadline(naive),
        ]
        for call in calls:
            with pytest.raises(ValueError, match="naive"):
                call()


class TestOfficeHours:
    def test_office_hours_are_configurable(self) -> None:
        calendar = WorkingCalendar(OfficeHours(periods=((time(8, 0), time(16, 0)),)))
        assert calendar.acknowledgement_deadline(at(2022, 6, 20, 8, 0)) == at(2022, 6, 20, 16, 0)
        assert calendar.counting_start(at(2022, 6, 20, 12, 0)) == at(2022, 6, 20, 12, 0)

    @pytest.mark.parametrize(
        "periods",
        [
            (),
            ((time(11, 0), time(8, 0)),),
            ((time(7, 30), time(11, 30)), (time(11, 0), time(17, 0))),
            ((time(13, 30), time(17, 0)), (time(7, 30), time(11, 30))),
            ((time(7, 30, tzinfo=UTC), time(11, 30)),),
        ],
        ids=["empty", "reversed", "overlapping", "unsorted", "aware"],
    )
    def test_malformed_periods_are_rejected(self, periods: tuple[tuple[time, time], ...]) -> None:
        with pytest.raises(ValueError):
            OfficeHours(periods=periods)

    def test_an_unknown_time_zone_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="time zone"):
            OfficeHours(timezone="Asia/Atlantis")
