"""Insurance settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class InsuranceSettings(ServiceSettings):
    service_name: str = Field("insurance", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8104
