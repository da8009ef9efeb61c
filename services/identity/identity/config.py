"""Identity settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    service_name: str = Field("identity", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8003
