"""Reporting settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    service_name: str = Field("reporting", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8005
    provinces: str = Field(
        "51",
        validation_alias="REPORTING_PROVINCES",
        description=(
            "comma-separated 2025 province codes whose units the dashboard lists (each with "
            "the legacy provinces it absorbed); default 51, Quảng Ngãi"
        ),
    )

    def province_codes(self) -> tuple[str, ...]:
        return tuple(c.strip() for c in self.provinces.split(",") if c.strip())
