"""Orchestrator settings."""

from __future__ import annotations

from pydantic import Field

from lienthong.settings import ServiceSettings


class OrchestratorSettings(ServiceSettings):
    service_name: str = Field("orchestrator", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8004
    step_retry_after_s: float = Field(
        300.0, validation_alias="STEP_RETRY_AFTER_S", description="first resend of a command"
    )
    step_max_attempts: int = Field(5, validation_alias="STEP_MAX_ATTEMPTS")
    consumer_instances: int = Field(
        3, ge=1, le=12, validation_alias="ORCHESTRATOR_CONSUMERS", description="≤ partitions"
    )
    deadline_scan_interval_s: float = Field(30.0, validation_alias="DEADLINE_SCAN_INTERVAL_S")
    batch_transactions: bool = Field(
        True,
        validation_alias="ORCHESTRATOR_BATCH_TRANSACTIONS",
        description="one commit per fetched batch (ADR 0033)",
    )
