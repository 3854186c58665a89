"""Per-tenant master keys and Parquet modular encryption (envelope encryption).

Every lake file is encrypted with Parquet modular encryption (AES-GCM, footer and all columns): pyarrow
generates random data keys (DEKs) per file, wraps them with key-encryption keys (KEKs, double wrapping),
and asks our KMS client to wrap those KEKs with the **tenant's master key**. The wrapped keys travel in the
file footer; the master key never leaves the key provider, which keeps it outside the lake.

Key wrapping (``wrap_key``/``unwrap_key``) is AES-256-GCM from ``cryptography`` under the 256-bit master
key: a random 96-bit nonce per wrap, the 128-bit tag checked on unwrap. The associated data binds the
wrapped key to its context - format, tenant id, master key id and key version - so a key wrapped for
tenant A never unwraps as tenant B's (not even if both were wrapped under the same master key, as a
shared cloud KMS key could be), and a tampered or truncated wrapped key is refused (``WrappedKeyInvalid``).
Master-key wraps are rare (one per KEK, and pyarrow caches KEKs for ``lake_key_cache_s``), far below the
2^32 random-nonce limit of GCM per key.

``LocalKeyProvider``: one 256-bit key per tenant in ``<key dir>/<tenant>.key`` (directory 0700, files 0600).
Deleting it (``shred``) makes every file of that tenant undecryptable (crypto-shredding); a tombstone
keeps a new key from being created for a shredded tenant. A cloud KMS provider implements the same
``wrap``/``unwrap``/``has_key``/``is_shredded``/``_destroy`` against the KMS (the master key then never
leaves it; its encrypt call takes the same associated data as encryption context).
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import struct
import threading
import uuid
from abc import ABC, abstractmethod
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet.encryption as pe
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mip.lake.errors import TenantKeyMissing

FORMAT = 2  # 1 was the pre-release HMAC construction (never deployed; not readable any more)
KEY_VERSION = 1  # the local provider's master key version (a rotating provider would keep several)
_NONCE = 12
_TAG = 16
_HEADER = struct.Struct(">BI")  # format, master key version


class WrappedKeyInvalid(ValueError):
    """A wrapped key that does not authenticate: tampered, truncated, or wrapped for another tenant/key."""


def key_id(tenant_id: uuid.UUID) -> str:
    return f"tenant:{tenant_id}"


def _aad(tenant_id: uuid.UUID, version: int) -> bytes:
    return b"mip-lake-key-wrap|" + _HEADER.pack(FORMAT, version) + tenant_id.bytes + key_id(tenant_id).encode()


def wrap_key(master: bytes, tenant_id: uuid.UUID, key: bytes, version: int = KEY_VERSION) -> str:
    """AES-256-GCM-wrap ``key`` under ``master``, bound to (tenant, key id, version); base64 text."""
    if len(master) != 32:
        raise ValueError("a lake master key is 256 bits")
    nonce = secrets.token_bytes(_NONCE)
    sealed = AESGCM(master).encrypt(nonce, key, _aad(tenant_id, version))
    return base64.b64encode(_HEADER.pack(FORMAT, version) + nonce + sealed).decode()


def wrapped_version(wrapped: str) -> int:
    """The master key version a wrapped key names (to pick the key; authenticated by ``unwrap_key``)."""
    try:
        raw = base64.b64decode(wrapped, validate=True)
    except ValueError:
        raise WrappedKeyInvalid("wrapped key is not base64") from None
    if len(raw) < _HEADER.size + _NONCE + _TAG or raw[0] != FORMAT:
        raise WrappedKeyInvalid("unknown or truncated key wrapping format")
    return int(_HEADER.unpack_from(raw)[1])


def unwrap_key(master: bytes, tenant_id: uuid.UUID, wrapped: str) -> bytes:
    """The key, if ``wrapped`` was made by ``wrap_key`` with this master key for this tenant, else raise."""
    version = wrapped_version(wrapped)
    raw = base64.b64decode(wrapped)
    nonce, sealed = raw[_HEADER.size : _HEADER.size + _NONCE], raw[_HEADER.size + _NONCE :]
    try:
        return AESGCM(master).decrypt(nonce, sealed, _aad(tenant_id, version))
    except InvalidTag:
        raise WrappedKeyInvalid(
            f"wrapped key does not authenticate as tenant {tenant_id}'s (master key version {version})"
        ) from None


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
        return wrap_key(self._load(tenant_id, create=True), tenant_id, key, KEY_VERSION)

    def unwrap(self, tenant_id: uuid.UUID, wrapped: str) -> bytes:
        if wrapped_version(wrapped) != KEY_VERSION:
            raise WrappedKeyInvalid(f"tenant {tenant_id} has no master key version {wrapped_version(wrapped)}")
        return unwrap_key(self._load(tenant_id, create=False), tenant_id, wrapped)

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
