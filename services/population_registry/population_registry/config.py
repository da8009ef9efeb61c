"""Population registry settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class PopulationRegistrySettings(ServiceSettings):
    service_name: str = Field("population_registry", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8101
