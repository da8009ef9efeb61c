"""Intake settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings
from lienthong.vn.units import REFORM_DATE, Level, units


class IntakeSettings(ServiceSettings):
    service_name: str = Field("intake", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8001
    overdue_scan_interval_s: float = Field(
        5.0,
        validation_alias="INTAKE_OVERDUE_SCAN_INTERVAL_S",
        description="how often the deadline timer looks for deadlines that passed",
    )
    served_provinces: str = Field(
        "",
        validation_alias="INTAKE_SERVED_PROVINCES",
        description=(
            "comma-separated 2025 province codes whose units' dossiers are accepted "
            "(legacy units count by the province they lie in today); empty: the whole country"
        ),
    )
    max_request_bytes: int = Field(
        65536,
        validation_alias="INTAKE_MAX_REQUEST_BYTES",
        description="largest request body accepted; a larger one is a 413 problem",
    )

    def served_province_codes(self) -> frozenset[str]:
        """The configured province codes, each checked against the 2025 layout."""
        codes = frozenset(c.strip() for c in self.served_provinces.split(",") if c.strip())
        directory = units()
        unknown = sorted(
            c
            for c in codes
            if (u := directory.get(c, REFORM_DATE)) is None or u.level is not Level.PROVINCE
        )
        if unknown:
            raise ValueError(f"INTAKE_SERVED_PROVINCES: not 2025 province codes: {unknown}")
        return codes
