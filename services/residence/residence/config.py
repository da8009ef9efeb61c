"""Residence settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class ResidenceSettings(ServiceSettings):
    service_name: str = Field("residence", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8103
