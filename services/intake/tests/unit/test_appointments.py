"""Appointment dates: a procedure's legal processing time on the Vietnamese working calendar."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intake.domain.procedures import ProcessingTime, TimeSource, load_procedures
from lienthong.vn.working_time import TimeUnit, WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


class TestAppointments:
    def test_permanent_residence_is_due_seven_working_days_later(
        self, calendar: WorkingCalendar
    ) -> None:
        procedure = load_procedures().get("RESIDENCE_PERMANENT")
        assert calendar.appointment_for(at(2022, 6, 20, 9, 0), procedure.processing_time) == at(
            2022, 6, 29, 9, 0
        )

    def test_a_time_in_working_hours_uses_office_hours(self, calendar: WorkingCalendar) -> None:
        eight_hours = ProcessingTime(8, TimeUnit.WORKING_HOURS, TimeSource.ASSUMED)
        received = at(2022, 6, 17, 15, 0)
        assert calendar.appointment_for(received, eight_hours) == at(2022, 6, 20, 15, 30)
