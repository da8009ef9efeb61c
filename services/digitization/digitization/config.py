"""Digitization settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class DigitizationSettings(ServiceSettings):
    service_name: str = Field("digitization", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8002
    data_dir: str = ".local/digitization"
