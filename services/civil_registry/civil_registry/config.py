"""Civil registry settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class CivilRegistrySettings(ServiceSettings):
    service_name: str = Field("civil_registry", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8102
