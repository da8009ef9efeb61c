"""National portal settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class NationalPortalSettings(ServiceSettings):
    service_name: str = Field("national_portal", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8106
