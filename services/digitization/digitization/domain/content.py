"""What a stored file is: its type from its magic bytes, and whether it is whole.

Why this exists: a portal's declared ``Content-Type`` and file name are claims; the bytes
decide. A file is recognised from its first bytes and checked for its format's end marker,
so a truncated scan or a renamed file is refused before it enters the warehouse.
"""

from __future__ import annotations

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ACCEPTED = (PDF, JPEG, PNG)

HEAD_BYTES = 16
TAIL_BYTES = 1024

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PNG_END = b"IEND\xaeB`\x82"


def sniff(head: bytes) -> str | None:
    """The media type the first bytes announce, or None for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_PNG_MAGIC):
        return PNG
    return None


def is_complete(content_type: str, tail: bytes) -> bool:
    """Whether the file ends as its format requires (truncated uploads do not)."""
    stripped = tail.rstrip(b"\r\n\t \x00")
    if content_type == PDF:
        return b"%%EOF" in tail[-TAIL_BYTES:]
    if content_type == JPEG:
        return stripped.endswith(b"\xff\xd9")
    if content_type == PNG:
        return tail.endswith(_PNG_END)
    return False


def declared_matches(declared: str | None, actual: str) -> bool:
    """A missing or generic declaration is accepted; a specific wrong one is not."""
    if declared is None:
        return True
    declared = declared.split(";")[0].strip().lower()
    if declared in ("", "application/octet-stream"):
        return True
    return declared == actual or (actual == JPEG and declared == "image/jpg")
