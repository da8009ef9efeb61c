"""AWS Signature Version 4 for S3-compatible object stores (AWS S3, MinIO, Ceph RGW...).

Why this exists: the blob store needs four calls (PUT, GET, HEAD of one object), which a
few lines of request signing over ``httpx`` cover without an SDK. Pure functions: tested
against AWS's published examples.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    region: str
    service: str = "s3"


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def canonical_uri(path: str) -> str:
    """S3 encodes each path segment once (RFC 3986 unreserved characters kept)."""
    return quote(path, safe="/~")


def canonical_query(params: Mapping[str, str]) -> str:
    return "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(params.items()))


def sign(
    method: str,
    host: str,
    path: str,
    headers: Mapping[str, str],
    payload_sha256: str,
    credentials: Credentials,
    now: datetime,
    query: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers to send: ``headers`` plus host, x-amz-date, x-amz-content-sha256 and
    Authorization. ``now`` must be UTC."""
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = now.strftime("%Y%m%d")
    all_headers = {k.lower(): " ".join(str(v).split()) for k, v in headers.items()}
    all_headers["host"] = host
    all_headers["x-amz-date"] = amz_date
    if credentials.service == "s3":
        all_headers["x-amz-content-sha256"] = payload_sha256
    signed = sorted(all_headers)
    canonical_request = "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(query or {}),
            "".join(f"{name}:{all_headers[name]}\n" for name in signed),
            ";".join(signed),
            payload_sha256,
        ]
    )
    scope = f"{day}/{credentials.region}/{credentials.service}/aws4_request"
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            amz_date,
            scope,
            hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
        ]
    )
    key = _hmac(("AWS4" + credentials.secret_key).encode("utf-8"), day)
    key = _hmac(key, credentials.region)
    key = _hmac(key, credentials.service)
    key = _hmac(key, "aws4_request")
    signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    all_headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{scope}, "
        f"SignedHeaders={';'.join(signed)}, Signature={signature}"
    )
    return all_headers
