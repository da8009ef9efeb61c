"""Key-encryption keys (KEK): the master keys that wrap every citizen's data key.

Why this exists: data keys live in PostgreSQL only wrapped; whoever unwraps them needs the
KEK. ``MasterKey`` is the small interface a KMS plugs in behind. ``LocalMasterKeys`` takes
the KEKs from configuration (a Kubernetes Secret mounted as ``PERSONAL_DATA_MASTER_KEYS``),
newest first, and wraps with AES-256-GCM bound to the subject id; ``TransitMasterKey`` asks a
Vault-compatible Transit engine (HashiCorp Vault or OpenBao) to wrap and unwrap, so the KEK
never leaves the KMS. Rotation: add a new KEK (a new Secret entry, or ``transit/keys/<name>/
rotate``), then rewrap every data key (``lienthong keys rotate``); the data keys themselves,
and so everything sealed on Kafka, stay as they are.
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Sequence
from typing import Protocol

import httpx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_LOCAL = struct.Struct(">BI")  # format 1, KEK version
_NONCE = 12


class MasterKeyError(RuntimeError):
    """A data key could not be wrapped or unwrapped (wrong KEK, KMS unreachable...)."""


class MasterKey(Protocol):
    """Wraps and unwraps data keys; ``context`` (the subject id) is bound to each wrap."""

    @property
    def description(self) -> str: ...

    async def wrap(self, keys: Sequence[bytes], contexts: Sequence[str]) -> list[bytes]: ...

    async def unwrap(self, wrapped: Sequence[bytes], contexts: Sequence[str]) -> list[bytes]: ...

    def version_of(self, wrapped: bytes) -> int:
        """The KEK version a wrapped key was made with."""
        ...

    @property
    def current_version(self) -> int: ...


def parse_master_keys(text: str) -> dict[int, bytes]:
    """``"3:<base64 32 bytes>,2:<base64>"`` → {3: key, 2: key}; the highest version wraps."""
    keys: dict[int, bytes] = {}
    for item in text.replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        version, _, encoded = item.partition(":")
        try:
            material = base64.b64decode(encoded, validate=True)
            number = int(version)
        except ValueError as exc:
            raise ValueError("PERSONAL_DATA_MASTER_KEYS: expected '<version>:<base64>'") from exc
        if len(material) != 32 or number < 1:
            raise ValueError("PERSONAL_DATA_MASTER_KEYS: each key is 32 bytes, version >= 1")
        keys[number] = material
    if not keys:
        raise ValueError("PERSONAL_DATA_MASTER_KEYS is empty")
    return keys


def new_master_key_entry(version: int) -> str:
    """A fresh ``<version>:<base64>`` entry for the Secret (``lienthong keys new-kek``)."""
    return f"{version}:{base64.b64encode(os.urandom(32)).decode()}"


class LocalMasterKeys:
    """KEKs from configuration; AES-256-GCM key wrap with the subject id as associated data."""

    def __init__(self, keys: dict[int, bytes]) -> None:
        self._keys = {version: AESGCM(material) for version, material in keys.items()}
        self._current = max(keys)

    @property
    def description(self) -> str:
        return f"local KEK from configuration (versions {sorted(self._keys)})"

    @property
    def current_version(self) -> int:
        return self._current

    def version_of(self, wrapped: bytes) -> int:
        return int(_LOCAL.unpack_from(wrapped)[1])

    async def wrap(self, keys: Sequence[bytes], contexts: Sequence[str]) -> list[bytes]:
        aead = self._keys[self._current]
        out = []
        for material, context in zip(keys, contexts, strict=True):
            nonce = os.urandom(_NONCE)
            header = _LOCAL.pack(1, self._current)
            out.append(header + nonce + aead.encrypt(nonce, material, header + context.encode()))
        return out

    async def unwrap(self, wrapped: Sequence[bytes], contexts: Sequence[str]) -> list[bytes]:
        out = []
        for blob, context in zip(wrapped, contexts, strict=True):
            _, version = _LOCAL.unpack_from(blob)
            aead = self._keys.get(version)
            if aead is None:
                raise MasterKeyError(f"KEK version {version} is not configured")
            header = blob[: _LOCAL.size]
            nonce = blob[_LOCAL.size : _LOCAL.size + _NONCE]
            try:
                out.append(
                    aead.decrypt(nonce, blob[_LOCAL.size + _NONCE :], header + context.encode())
                )
            except InvalidTag as exc:
                raise MasterKeyError("a wrapped data key does not open with its KEK") from exc
        return out


class TransitMasterKey:
    """A Vault-compatible Transit engine holds the KEK (``aes256-gcm96``); batch calls.

    The wrapped form is Transit's own ciphertext text (``vault:v<N>:...``), stored as bytes.
    """

    def __init__(self, address: str, token: str, key_name: str, *, mount: str = "transit") -> None:
        self._client = httpx.AsyncClient(
            base_url=address.rstrip("/") + f"/v1/{mount}",
            headers={"X-Vault-Token": token},
            timeout=10.0,
        )
        self._key = key_name
        self._current = 1

    @property
    def description(self) -> str:
        return f"Transit key {self._key!r} at {self._client.base_url}"

    @property
    def current_version(self) -> int:
        return self._current

    def version_of(self, wrapped: bytes) -> int:
        return int(wrapped.split(b":", 2)[1].removeprefix(b"v"))

    async def refresh(self) -> None:
        """Learn the key's newest version (after a rotation in the KMS)."""
        data = await self._call("GET", f"keys/{self._key}", None)
        self._current = int(data["latest_version"])

    async def _call(self, method: str, path: str, body: dict[str, object] | None) -> dict:  # type: ignore[type-arg]
        try:
            response = await self._client.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise MasterKeyError(f"KMS unreachable: {exc}") from exc
        if response.status_code >= 400:
            raise MasterKeyError(f"KMS refused {path}: {response.status_code} {response.text}")
        return dict(response.json()["data"])

    async def wrap(self, keys: Sequence[bytes], contexts: Sequence[str]) -> list[bytes]:
        if not keys:
            return []
        data = await self._call(
            "POST",
            f"encrypt/{self._key}",
            {"batch_input": [{"plaintext": base64.b64encode(k).decode()} for k in keys]},
        )
        results = data["batch_results"]
        return [str(item["ciphertext"]).encode() for item in results]

    async def unwrap(self, wrapped: Sequence[bytes], contexts: Sequence[str]) -> list[bytes]:
        if not wrapped:
            return []
        data = await self._call(
            "POST",
            f"decrypt/{self._key}",
            {"batch_input": [{"ciphertext": w.decode()} for w in wrapped]},
        )
        out = []
        for item in data["batch_results"]:
            if item.get("error"):
                raise MasterKeyError(f"KMS could not unwrap a data key: {item['error']}")
            out.append(base64.b64decode(item["plaintext"]))
        return out

    async def close(self) -> None:
        await self._client.aclose()
