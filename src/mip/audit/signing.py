"""The checkpoint signing key (Ed25519): created on first use under the data dir with mode 0600, or read from
``MIP_AUDIT_SIGNING_KEY_FILE``. Verification trusts the public keys of that key, of any ``*.pem`` under
``<data dir>/audit/trusted-keys/`` (retired keys) and of any key given explicitly (``--public-key``)."""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mip.audit.chain import epoch_us
from mip.audit.errors import InvalidPublicKey, SigningKeyError

KEY_FILE_ENV = "MIP_AUDIT_SIGNING_KEY_FILE"


def checkpoint_message(tenant_id: uuid.UUID | str, seq: int, head: bytes, at: datetime) -> bytes:
    return f"mip-audit-checkpoint/v1\n{tenant_id}\n{seq}\n{head.hex()}\n{epoch_us(at)}".encode()


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise InvalidPublicKey(f"not a PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidPublicKey("the public key is not an Ed25519 key")
    return key


def key_path(data_dir: Path) -> Path:
    configured = os.environ.get(KEY_FILE_ENV)
    return Path(configured) if configured else data_dir / "audit" / "signing-key.pem"


def load_or_create_key(path: Path, *, create: bool = True) -> Ed25519PrivateKey:
    """Read the private key; create it (0600, exclusively, so two processes never make two keys) if missing."""
    if not path.exists():
        if not create:
            raise SigningKeyError(f"no audit signing key at {path}")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process won the race: read its key
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise SigningKeyError(f"cannot read the audit signing key {path}: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 private key")
    return key


@dataclass
class Keyring:
    """The signer (optional) and the public keys verification trusts, by key id."""

    signer: Ed25519PrivateKey | None = None
    trusted: dict[str, Ed25519PublicKey] = field(default_factory=dict)

    @classmethod
    def from_data_dir(cls, data_dir: Path, *, create: bool = True) -> Keyring:
        ring = cls()
        path = key_path(data_dir)
        if create or path.exists():
            ring.signer = load_or_create_key(path, create=create)
            ring.trust(ring.signer.public_key())
        retired = data_dir / "audit" / "trusted-keys"
        if retired.is_dir():
            for pem in sorted(retired.glob("*.pem")):
                ring.trust(load_public_key(pem.read_bytes()))
        return ring

    def trust(self, public: Ed25519PublicKey) -> str:
        kid = key_id(public)
        self.trusted[kid] = public
        return kid

    @property
    def key_id(self) -> str:
        if self.signer is None:
            raise SigningKeyError("no audit signing key")
        return key_id(self.signer.public_key())

    def sign(self, message: bytes) -> bytes:
        if self.signer is None:
            raise SigningKeyError("no audit signing key")
        return self.signer.sign(message)

    def check(self, kid: str, message: bytes, signature: bytes) -> str | None:
        """None when valid, else why not."""
        public = self.trusted.get(kid)
        if public is None:
            return f"signed by unknown key {kid}"
        try:
            public.verify(signature, message)
        except InvalidSignature:
            return f"signature does not verify under key {kid}"
        return None
