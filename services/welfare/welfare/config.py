"""Welfare settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class WelfareSettings(ServiceSettings):
    service_name: str = Field("welfare", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8105
