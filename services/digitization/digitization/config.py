"""Digitization settings (environment names ``DIGITIZATION_*``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, Field, model_validator

from lienthong.settings import DEV_ENVIRONMENTS, ServiceSettings


def _env(name: str, default: Any) -> Any:
    return Field(default, validation_alias=AliasChoices(f"DIGITIZATION_{name.upper()}", name))


class DigitizationSettings(ServiceSettings):
    service_name: str = Field("digitization", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8002
    data_dir: str = _env("data_dir", ".local/digitization")
    max_upload_bytes: int = _env("max_upload_bytes", 50 * 1024 * 1024)
    blob_backend: Literal["filesystem", "s3"] = _env("blob_backend", "filesystem")
    s3_endpoint: str | None = _env("s3_endpoint", None)
    s3_bucket: str | None = _env("s3_bucket", None)
    s3_region: str = _env("s3_region", "us-east-1")
    s3_access_key: str | None = _env("s3_access_key", None)
    s3_secret_key: str | None = _env("s3_secret_key", None)
    signing_key_path: str | None = _env("signing_key_path", None)
    signing_cert_path: str | None = _env("signing_cert_path", None)
    signing_key_passphrase: str | None = _env("signing_key_passphrase", None)
    trust_roots: str = _env("trust_roots", "")
    """Comma-separated PEM files of the CAs whose signatures count as trusted."""

    @model_validator(mode="after")
    def _complete(self) -> DigitizationSettings:
        if self.blob_backend == "s3":
            missing = [
                n
                for n in ("s3_endpoint", "s3_bucket", "s3_access_key", "s3_secret_key")
                if not getattr(self, n)
            ]
            if missing:
                raise ValueError(f"the s3 blob backend needs DIGITIZATION_{missing[0].upper()}")
        if bool(self.signing_key_path) != bool(self.signing_cert_path):
            raise ValueError("set both DIGITIZATION_SIGNING_KEY_PATH and _SIGNING_CERT_PATH")
        if self.lienthong_env not in DEV_ENVIRONMENTS and not self.signing_key_path:
            raise ValueError("outside dev/test, configure the agency's signing key and cert")
        return self
