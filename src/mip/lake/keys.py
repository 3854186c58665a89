"""Per-tenant master keys and Parquet modular encryption (envelope encryption).

Every lake file is encrypted with Parquet modular encryption (AES-GCM, footer and all columns): pyarrow
generates random data keys (DEKs) per file, wraps them with key-encryption keys (double wrapping), and
asks our KMS client to wrap those with the **tenant's master key**. The wrapped keys travel in the file
footer; the master key never leaves the key provider, which keeps it outside the lake.

``LocalKeyProvider``: one 256-bit key per tenant in ``<key dir>/<tenant>.key`` (directory 0700, files 0600).
Deleting it (``shred``) makes every file of that tenant undecryptable (crypto-shredding); a tombstone
keeps a new key from being created for a shredded tenant. A cloud KMS provider implements the same
``wrap``/``unwrap``/``shred`` against the KMS (the master key then never leaves it).

Key wrapping uses only the standard library (no AES in the runtime dependencies): HMAC-SHA256 as a PRF in
counter mode for confidentiality, encrypt-then-MAC with HMAC-SHA256 over (key id, nonce, ciphertext),
keys derived from the master key per purpose.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import threading
import uuid
from abc import ABC, abstractmethod
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet.encryption as pe

from mip.lake.errors import TenantKeyMissing

_VERSION = b"\x01"


def _derive(master: bytes, purpose: bytes) -> bytes:
    return hmac.new(master, b"mip-lake-kw:" + purpose, hashlib.sha256).digest()


def wrap_key(master: bytes, key_id: str, key: bytes) -> str:
    nonce = secrets.token_bytes(16)
    enc, mac = _derive(master, b"enc"), _derive(master, b"mac")
    stream = b"".join(
        hmac.new(enc, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(len(key) // 32 + 1)
    )
    ct = bytes(a ^ b for a, b in zip(key, stream, strict=False))
    tag = hmac.new(mac, key_id.encode() + _VERSION + nonce + ct, hashlib.sha256).digest()
    return base64.b64encode(_VERSION + nonce + ct + tag).decode()


def unwrap_key(master: bytes, key_id: str, wrapped: str) -> bytes:
    raw = base64.b64decode(wrapped)
    if raw[:1] != _VERSION or len(raw) < 1 + 16 + 32:
        raise ValueError("unknown key wrapping format")
    nonce, ct, tag = raw[1:17], raw[17:-32], raw[-32:]
    enc, mac = _derive(master, b"enc"), _derive(master, b"mac")
    expect = hmac.new(mac, key_id.encode() + _VERSION + nonce + ct, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expect):
        raise ValueError("wrapped key does not authenticate under this master key")
    stream = b"".join(
        hmac.new(enc, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(len(ct) // 32 + 1)
    )
    return bytes(a ^ b for a, b in zip(ct, stream, strict=False))


def key_id(tenant_id: uuid.UUID) -> str:
    return f"tenant:{tenant_id}"


class KeyProvider(ABC):
    """Master keys per tenant, and the Parquet encryption/decryption properties built on them."""

    def __init__(self, cache_lifetime_s: float = 60.0) -> None:
        self._lifetime = timedelta(seconds=max(1.0, cache_lifetime_s))
        self._factory = pe.CryptoFactory(lambda config: _Kms(self, config))

    # -- what a provider implements -------------------------------------------------------------
    @abstractmethod
    def wrap(self, tenant_id: uuid.UUID, key: bytes) -> str:
        """Wrap a key with the tenant's master key (created on first use unless the tenant was shredded)."""

    @abstractmethod
    def unwrap(self, tenant_id: uuid.UUID, wrapped: str) -> bytes:
        """Unwrap; raises TenantKeyMissing when the master key is gone."""

    @abstractmethod
    def has_key(self, tenant_id: uuid.UUID) -> bool: ...

    @abstractmethod
    def is_shredded(self, tenant_id: uuid.UUID) -> bool: ...

    @abstractmethod
    def _destroy(self, tenant_id: uuid.UUID) -> bool: ...

    # -- shared ---------------------------------------------------------------------------------
    def shred(self, tenant_id: uuid.UUID) -> bool:
        """Destroy the tenant's master key: its lake files stay but can no longer be decrypted."""
        existed = self._destroy(tenant_id)
        self._factory.remove_cache_entries_for_all_tokens()
        return existed

    def _kms_config(self, tenant_id: uuid.UUID) -> pe.KmsConnectionConfig:
        return pe.KmsConnectionConfig(kms_instance_id=str(tenant_id), custom_kms_conf={"tenant": str(tenant_id)})

    def encryption_properties(self, tenant_id: uuid.UUID) -> Any:
        if self.is_shredded(tenant_id):
            raise TenantKeyMissing(f"tenant {tenant_id} was crypto-shredded; nothing is written for it")
        config = pe.EncryptionConfiguration(
            footer_key=key_id(tenant_id),
            uniform_encryption=True,
            plaintext_footer=False,
            double_wrapping=True,
            cache_lifetime=self._lifetime,
            data_key_length_bits=256,
        )
        return self._factory.file_encryption_properties(self._kms_config(tenant_id), config)

    def decryption_properties(self, tenant_id: uuid.UUID) -> Any:
        if not self.has_key(tenant_id):
            raise TenantKeyMissing(f"tenant {tenant_id} has no lake master key (shredded or never written)")
        config = pe.DecryptionConfiguration(cache_lifetime=self._lifetime)
        return self._factory.file_decryption_properties(self._kms_config(tenant_id), config)


class _Kms(pe.KmsClient):  # type: ignore[misc]
    def __init__(self, provider: KeyProvider, config: pe.KmsConnectionConfig) -> None:
        super().__init__()
        self.provider = provider
        self.tenant = uuid.UUID(config.custom_kms_conf["tenant"])

    def _check(self, master_key_identifier: str) -> None:
        if master_key_identifier != key_id(self.tenant):
            raise ValueError(f"key {master_key_identifier!r} does not belong to tenant {self.tenant}")

    def wrap_key(self, key_bytes: bytes, master_key_identifier: str) -> str:
        self._check(master_key_identifier)
        return self.provider.wrap(self.tenant, key_bytes)

    def unwrap_key(self, wrapped_key: str | bytes, master_key_identifier: str) -> bytes:
        self._check(master_key_identifier)
        text = wrapped_key.decode() if isinstance(wrapped_key, bytes) else wrapped_key
        return self.provider.unwrap(self.tenant, text)


class LocalKeyProvider(KeyProvider):
    """Master keys as 0600 files in a 0700 directory outside the lake."""

    def __init__(self, directory: Path, cache_lifetime_s: float = 60.0) -> None:
        super().__init__(cache_lifetime_s)
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            self.dir.chmod(0o700)
        self._lock = threading.Lock()

    def _key_path(self, tenant_id: uuid.UUID) -> Path:
        return self.dir / f"{tenant_id}.key"

    def _tomb_path(self, tenant_id: uuid.UUID) -> Path:
        return self.dir / f"{tenant_id}.shredded"

    def _load(self, tenant_id: uuid.UUID, *, create: bool) -> bytes:
        path = self._key_path(tenant_id)
        try:
            return bytes.fromhex(path.read_text().strip())
        except FileNotFoundError:
            if not create or self.is_shredded(tenant_id):
                raise TenantKeyMissing(
                    f"tenant {tenant_id} has no lake master key (shredded or never written)"
                ) from None
        with self._lock:
            key = secrets.token_bytes(32)
            try:  # O_EXCL: two processes creating the key at once agree on one
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return bytes.fromhex(path.read_text().strip())
            with os.fdopen(fd, "w") as f:
                f.write(key.hex())
                f.flush()
                os.fsync(f.fileno())
            return key

    def wrap(self, tenant_id: uuid.UUID, key: bytes) -> str:
        return wrap_key(self._load(tenant_id, create=True), key_id(tenant_id), key)

    def unwrap(self, tenant_id: uuid.UUID, wrapped: str) -> bytes:
        return unwrap_key(self._load(tenant_id, create=False), key_id(tenant_id), wrapped)

    def has_key(self, tenant_id: uuid.UUID) -> bool:
        return self._key_path(tenant_id).exists()

    def is_shredded(self, tenant_id: uuid.UUID) -> bool:
        return self._tomb_path(tenant_id).exists()

    def ensure_key(self, tenant_id: uuid.UUID) -> None:
        self._load(tenant_id, create=True)

    def _destroy(self, tenant_id: uuid.UUID) -> bool:
        path = self._key_path(tenant_id)
        self._tomb_path(tenant_id).touch(mode=0o600)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return False
        with open(path, "r+b") as f:  # overwrite before unlinking (best effort on journaling filesystems)
            f.write(b"\0" * size)
            f.flush()
            os.fsync(f.fileno())
        path.unlink()
        return True
