"""Pseudonymous subject ids: the Kafka key of a citizen's stream.

Why this exists: a partition key is visible to every operator of the cluster and is kept
forever, so it must never be the personal ID number. A keyed hash (HMAC-SHA-256 with a
secret kept outside Kafka) gives a stable id per person that cannot be reversed or
recomputed by someone without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

PREFIX = "sub_"


class SubjectIds:
    def __init__(self, key: str | bytes) -> None:
        raw = key.encode() if isinstance(key, str) else key
        if len(raw) < 16:
            raise ValueError("SUBJECT_ID_KEY must be at least 16 bytes")
        self._key = raw

    def _digest(self, message: str) -> str:
        mac = hmac.new(self._key, message.encode("utf-8"), hashlib.sha256).digest()
        return PREFIX + base64.b32encode(mac[:20]).decode("ascii").lower()

    def for_id_number(self, id_number: str) -> str:
        """The subject id of a person known by their 12-digit personal ID number."""
        return self._digest("id:" + id_number.strip())

    def provisional(self, scope: str, local_id: str) -> str:
        """A subject id for a person without an ID number yet (e.g. a newborn in a dossier)."""
        return self._digest(f"provisional:{scope}:{local_id}")
