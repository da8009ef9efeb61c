"""Intake settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    service_name: str = Field("intake", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8001
    overdue_scan_interval_s: float = Field(
        5.0,
        validation_alias="INTAKE_OVERDUE_SCAN_INTERVAL_S",
        description="how often the deadline timer looks for deadlines that passed",
    )
    max_request_bytes: int = Field(
        65536,
        validation_alias="INTAKE_MAX_REQUEST_BYTES",
        description="largest request body accepted; a larger one is a 413 problem",
    )
