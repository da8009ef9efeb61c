"""Reporting settings."""

from __future__ import annotations

from pydantic import Field, model_validator

from lienthong.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    service_name: str = Field("reporting", validation_alias="OTEL_SERVICE_NAME")
    http_port: int = 8005
    provinces: str = Field(
        "51",
        validation_alias="REPORTING_PROVINCES",
        description=(
            "comma-separated 2025 province codes whose units the dashboard lists (each with "
            "the legacy provinces it absorbed); default 51, Quảng Ngãi"
        ),
    )

    #: The identity provider the dashboard signs in with (OIDC authorization code + PKCE).
    oidc_issuer: str | None = Field(None, validation_alias="DASHBOARD_OIDC_ISSUER")
    oidc_client_id: str = Field("lienthong-dashboard", validation_alias="DASHBOARD_OIDC_CLIENT_ID")
    #: Unset: the dashboard page's own URL (``<origin>/dashboard``).
    oidc_redirect_uri: str | None = Field(None, validation_alias="DASHBOARD_OIDC_REDIRECT_URI")
    #: Serve the local dev provider (``lienthong.dev_identity_provider``) under /dev-idp;
    #: refused unless LIENTHONG_ENV is dev or test. It is the issuer when none is named.
    dev_identity_provider: bool = Field(False, validation_alias="DEV_IDENTITY_PROVIDER")
    dev_identity_provider_password: str = Field(
        "lienthong-dev", validation_alias="DEV_IDENTITY_PROVIDER_PASSWORD"
    )

    @model_validator(mode="after")
    def _dev_provider_only_in_development(self) -> ReportingSettings:
        if self.dev_identity_provider:
            if self.lienthong_env == "prod":
                raise ValueError("DEV_IDENTITY_PROVIDER is for LIENTHONG_ENV=dev or test only")
            if self.auth_jwt_secret is None:
                raise ValueError("DEV_IDENTITY_PROVIDER signs with AUTH_JWT_SECRET; set it")
        return self

    def province_codes(self) -> tuple[str, ...]:
        return tuple(c.strip() for c in self.provinces.split(",") if c.strip())
