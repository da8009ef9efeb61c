"""PAdES signing of results and verification of signed PDFs, with pyHanko.

Why this exists: an electronic result has the legal value of the paper one only when the
issuing agency signs it (Decree 45/2020); a signed PDF a citizen uploads is worth reusing
only if its signature still covers every byte. Blocking work: call through a thread.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import ValidationContext

from digitization.domain.events import SignatureStatus
from digitization.domain.model import Signature

log = logging.getLogger(__name__)

DEV_KEY = "dev-signing-key.pem"
DEV_CERT = "dev-signing-cert.pem"


@dataclass(frozen=True)
class PdfFacts:
    page_count: int | None
    signature: Signature


def ensure_dev_signing_pair(directory: Path, agency: str = "lienthong dev") -> tuple[Path, Path]:
    """A self-signed RSA key and certificate for local runs, created once and then reused."""
    key_path, cert_path = directory / DEV_KEY, directory / DEV_CERT
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency),
            x509.NameAttribute(NameOID.COMMON_NAME, "lienthong development signer (not valid)"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    # Written beside and renamed, so two processes starting at once never read half a file.
    suffix = f".{os.getpid()}.tmp"
    key_tmp, cert_tmp = key_path.with_suffix(suffix), cert_path.with_suffix(suffix + "c")
    key_tmp.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_tmp.chmod(0o600)
    cert_tmp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    if key_path.exists() and cert_path.exists():
        key_tmp.unlink()
        cert_tmp.unlink()
    else:
        os.replace(key_tmp, key_path)
        os.replace(cert_tmp, cert_path)
    return key_path, cert_path


def certificate_sha256(cert: asn1_x509.Certificate) -> str:
    return hashlib.sha256(cert.dump()).hexdigest()


def _signer_name(cert: asn1_x509.Certificate) -> str:
    subject = cert.subject.native
    parts = [subject.get(k) for k in ("common_name", "organization_name") if subject.get(k)]
    return ", ".join(str(p) for p in parts) or cert.subject.human_friendly


class PdfSigner:
    """Signs results with the agency's key (PAdES baseline B)."""

    def __init__(self, key_path: Path, cert_path: Path, passphrase: bytes | None = None) -> None:
        signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
            str(key_path), str(cert_path), key_passphrase=passphrase
        )
        if signer is None:
            raise ValueError(f"cannot load the signing key {key_path} or certificate {cert_path}")
        self._signer = signer
        cert = signer.signing_cert
        assert cert is not None
        self.certificate = cert
        self.certificate_sha256 = certificate_sha256(cert)
        self.name = _signer_name(cert)

    def sign(self, source: Path, target: Path, reason: str) -> None:
        with source.open("rb") as inf, target.open("wb") as outf:
            writer = IncrementalPdfFileWriter(inf, strict=False)
            meta = signers.PdfSignatureMetadata(
                field_name="AgencySignature",
                reason=reason,
                subfilter=fields.SigSeedSubFilter.PADES,
                md_algorithm="sha256",
            )
            signers.sign_pdf(writer, meta, signer=self._signer, output=outf)


class PdfInspector:
    """Page count and signature verification of a PDF on disk."""

    def __init__(self, trust_roots: list[asn1_x509.Certificate]) -> None:
        self._trust_roots = trust_roots

    def inspect(self, path: Path) -> PdfFacts:
        with path.open("rb") as f:
            reader = PdfFileReader(f, strict=False)
            pages = int(reader.root["/Pages"]["/Count"])
            embedded = reader.embedded_signatures
            if not embedded:
                return PdfFacts(pages, Signature(SignatureStatus.UNSIGNED))
            return PdfFacts(pages, self._verify(embedded))

    def _verify(self, embedded: list[EmbeddedPdfSignature]) -> Signature:
        context = ValidationContext(trust_roots=self._trust_roots, allow_fetching=False)
        cert = embedded[-1].signer_cert
        problems: list[str] = []
        trusted = True
        for sig in embedded:
            try:
                status = validate_pdf_signature(sig, context)
            except Exception as exc:  # a malformed signature is a failed one
                problems.append(f"{sig.field_name}: {type(exc).__name__}")
                continue
            coverage = status.coverage.name if status.coverage is not None else "NONE"
            if not (status.intact and status.valid):
                problems.append(f"{sig.field_name}: content altered after signing")
            elif coverage != "ENTIRE_FILE" and not (
                coverage == "ENTIRE_REVISION" and status.docmdp_ok
            ):
                problems.append(f"{sig.field_name}: changed after signing ({coverage})")
            trusted = trusted and bool(status.trusted)
        return Signature(
            SignatureStatus.INVALID if problems else SignatureStatus.VALID,
            _signer_name(cert),
            certificate_sha256(cert),
            trusted and not problems,
            "; ".join(problems) or None,
        )
