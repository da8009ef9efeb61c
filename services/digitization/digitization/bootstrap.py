"""Composition root of the digitization store: the one place its parts are built and wired."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from fastapi import FastAPI

from digitization.adapters.blobstore import BlobStore, FilesystemBlobStore, S3BlobStore
from digitization.adapters.pdf import PdfInspector, PdfSigner, ensure_dev_signing_pair
from digitization.adapters.sigv4 import Credentials
from digitization.config import DigitizationSettings
from digitization.domain.events import EMITTED
from digitization.entrypoints import api
from digitization.service_layer.handlers import HANDLERS, Dependencies
from lienthong.bus import MessageBus
from lienthong.http import Runtime, create_service_app
from lienthong.service import Platform

MIGRATIONS = Path(__file__).parent / "migrations"


def build_blob_store(settings: DigitizationSettings) -> BlobStore:
    if settings.blob_backend == "s3":
        assert settings.s3_endpoint and settings.s3_bucket
        assert settings.s3_access_key and settings.s3_secret_key
        return S3BlobStore(
            settings.s3_endpoint,
            settings.s3_bucket,
            Credentials(settings.s3_access_key, settings.s3_secret_key, settings.s3_region),
        )
    return FilesystemBlobStore(Path(settings.data_dir))


def build_signer(settings: DigitizationSettings) -> PdfSigner:
    if settings.signing_key_path and settings.signing_cert_path:
        key, cert = Path(settings.signing_key_path), Path(settings.signing_cert_path)
    else:
        key, cert = ensure_dev_signing_pair(Path(settings.data_dir) / "signing")
    passphrase = settings.signing_key_passphrase
    return PdfSigner(key, cert, passphrase.encode() if passphrase else None)


def _load_certificates(paths: str) -> list[asn1_x509.Certificate]:
    certs = []
    for name in filter(None, (p.strip() for p in paths.split(","))):
        data = Path(name).read_bytes()
        for _, _, der in pem.unarmor(data, multiple=True) if pem.detect(data) else [(0, 0, data)]:
            certs.append(asn1_x509.Certificate.load(der))
    return certs


def build_dependencies(settings: DigitizationSettings) -> Dependencies:
    signer = build_signer(settings)
    return Dependencies(
        blobs=build_blob_store(settings),
        inspector=PdfInspector([signer.certificate, *_load_certificates(settings.trust_roots)]),
        signer=signer,
        staging=Path(settings.data_dir) / "staging",
        max_upload_bytes=settings.max_upload_bytes,
    )


def create_app(settings: DigitizationSettings) -> FastAPI:
    async def startup(app: FastAPI) -> Runtime:
        platform = await Platform.connect(settings, MIGRATIONS, EMITTED)
        dependencies = build_dependencies(settings)
        app.state.pool = platform.pool
        app.state.subjects = platform.subjects
        app.state.bus = MessageBus(HANDLERS, dependencies, platform.outbox)
        runtime = platform.runtime()
        runtime.on_shutdown.append(dependencies.blobs.close)
        return runtime

    app = create_service_app(
        title="lienthong digitization",
        description="Signed, content-addressed documents and results, reused once-only.",
        settings=settings,
        startup=startup,
    )
    app.include_router(api.router)
    return app
