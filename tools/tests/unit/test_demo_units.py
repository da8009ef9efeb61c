"""Demo dossiers use real unit codes of the layout in force on their date."""

from __future__ import annotations

from datetime import date, datetime

from intake.domain.procedures import load_procedures
from intake.domain.rules import accepts
from lienthong.vn.units import day_in_vietnam, units
from lienthong_tools.demo import bodies


def test_every_demo_dossier_names_a_unit_that_receives_it_on_its_day() -> None:
    directory, procedures = units(), load_procedures()
    dated = 0
    for body in bodies(births=6, others=24):
        received = body.get("received_at")
        day = day_in_vietnam(datetime.fromisoformat(received)) if received else date.today()
        unit = directory.get(body["unit_code"], day)
        assert unit is not None, body["unit_code"]
        assert accepts(procedures.get(body["procedure_code"]), unit)
        dated += received is not None
    assert dated >= 8  # the 2022 layout is exercised too
