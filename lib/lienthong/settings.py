"""Process settings, read from the environment (twelve-factor).

Why this exists: every process gets its own environment (Procfile, compose, Helm), so names
are flat and the same in every service: ``KAFKA_BOOTSTRAP_SERVERS``, ``DATABASE_URL``,
``HTTP_PORT``... Required values have no default: a missing one stops the process at start
with the variable's name. Placeholder secrets are refused outside ``dev``/``test``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"changeme", "change-me", "dev-secret", "secret", ""})
DEV_ENVIRONMENTS = frozenset({"dev", "test"})


class KafkaSettings(BaseSettings):
    """Connection to the broker; security is configuration, never code."""

    model_config = SettingsConfigDict(env_prefix="KAFKA_", extra="ignore")

    bootstrap_servers: str
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = None
    ssl_ca_location: str | None = None
    topic_prefix: str = ""
    group_prefix: str = ""

    def client_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "bootstrap.servers": self.bootstrap_servers,
            "security.protocol": self.security_protocol,
        }
        optional = {
            "sasl.mechanism": self.sasl_mechanism,
            "sasl.username": self.sasl_username,
            "sasl.password": self.sasl_password,
            "ssl.ca.location": self.ssl_ca_location,
        }
        config.update({k: v for k, v in optional.items() if v})
        return config


class ServiceSettings(BaseSettings):
    """What every lienthong process needs. Services subclass it to add their own."""

    model_config = SettingsConfigDict(extra="ignore")

    lienthong_env: Literal["dev", "test", "prod"] = "prod"
    service_name: str = Field(validation_alias="OTEL_SERVICE_NAME")
    database_url: str
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    subject_id_key: str
    keys_database_url: str | None = None
    """The key service's database; unset: personal fields are written in clear."""
    personal_data_master_keys: str | None = None
    """KEKs from the Kubernetes Secret: ``<version>:<base64 32 bytes>``, comma-separated."""
    personal_data_kms_address: str | None = None
    """A Vault-compatible Transit engine holding the KEK instead (OpenBao, Vault)."""
    personal_data_kms_token: str | None = None
    personal_data_kms_key: str = "lienthong-kek"
    personal_data_key_cache_seconds: float = 300.0
    auth_jwt_secret: str | None = None
    auth_jwks_url: str | None = None
    auth_issuer: str = "lienthong"
    auth_audience: str = "lienthong"
    #: Longest accepted token lifetime (exp - iat), seconds.
    auth_max_token_lifetime_s: int = Field(default=12 * 3600, ge=60)
    #: Abuse limits (``limits`` notation): unauthenticated routes per client address, look-ups
    #: per looked-up subject, citizen routes per citizen.
    rate_limit_per_client: str = "30/minute"
    rate_limit_per_subject: str = "10/hour"
    rate_limit_per_citizen: str = "120/minute"
    log_level: str = "INFO"
    #: A consumer applies each fetched batch in one transaction (``lienthong.inbox``).
    consumer_batch_transactions: bool = Field(
        default=True, validation_alias="CONSUMER_BATCH_TRANSACTIONS"
    )
    #: ``json`` (one JSON object a line, for log collectors) or ``console`` (one readable
    #: line a record, for a person watching ``make run``); both redact ID numbers.
    log_format: Literal["json", "console"] = "json"
    kafka: KafkaSettings = Field(default_factory=lambda: KafkaSettings())  # type: ignore[call-arg]

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> ServiceSettings:
        if self.auth_jwt_secret is None and self.auth_jwks_url is None:
            raise ValueError("set AUTH_JWT_SECRET or AUTH_JWKS_URL")
        if self.keys_database_url and not (
            self.personal_data_master_keys or self.personal_data_kms_address
        ):
            raise ValueError(
                "KEYS_DATABASE_URL needs PERSONAL_DATA_MASTER_KEYS or PERSONAL_DATA_KMS_ADDRESS"
            )
        if self.lienthong_env not in DEV_ENVIRONMENTS:
            for name in ("subject_id_key", "auth_jwt_secret"):
                value = getattr(self, name)
                if value is not None and (
                    value.lower() in PLACEHOLDER_SECRETS or value.startswith("dev-")
                ):
                    raise ValueError(f"{name.upper()} is a placeholder; set a real secret")
        return self
