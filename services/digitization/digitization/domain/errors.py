"""Errors of the digitization store, each mapped to one problem ``type`` at the HTTP edge."""

from __future__ import annotations


class DigitizationError(Exception):
    status = 400
    type = "digitization-error"
    title = "The document could not be processed"

    def __init__(self, detail: str, pointer: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.pointer = pointer


class UnsupportedContent(DigitizationError):
    status = 415
    type = "unsupported-document-type"
    title = "Only PDF, JPEG and PNG documents are accepted"


class MislabeledContent(DigitizationError):
    status = 422
    type = "mislabeled-document"
    title = "The file's content does not match its declared type"


class CorruptContent(DigitizationError):
    status = 422
    type = "corrupt-document"
    title = "The file is corrupt or truncated"


class HashMismatch(DigitizationError):
    status = 422
    type = "hash-mismatch"
    title = "The file's SHA-256 differs from the declared one"


class TooLarge(DigitizationError):
    status = 413
    type = "document-too-large"
    title = "The file exceeds the size limit"


class InvalidUpload(DigitizationError):
    status = 422
    type = "validation-error"
    title = "The upload has invalid fields"


class DocumentNotFound(DigitizationError):
    status = 404
    type = "document-not-found"
    title = "No such document (or not visible to you)"


class NotOffered(DigitizationError):
    status = 409
    type = "document-not-reusable"
    title = "The document is expired, revoked or failed verification and cannot be reused"


class Forbidden(DigitizationError):
    status = 403
    type = "forbidden"
    title = "This caller may not do that"
