"""Key wrapping: AES-256-GCM bound to tenant and key version; wrong tenant, tampering and shredding refused."""

from __future__ import annotations

import base64
import os
import uuid

import pyarrow.parquet as pq
import pytest

from mip.lake.errors import TenantKeyMissing
from mip.lake.keys import KEY_VERSION, LocalKeyProvider, WrappedKeyInvalid, unwrap_key, wrap_key
from mip.lake.reader import LakeReader, write_batch
from mip.lake.store import LakeStore
from tests.lake.helpers import readings

Lake = tuple[LakeStore, LocalKeyProvider]


def _flip(wrapped: str, index: int) -> str:
    raw = bytearray(base64.b64decode(wrapped))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def test_wrap_round_trip_and_fresh_nonce() -> None:
    master, tenant, dek = os.urandom(32), uuid.uuid4(), os.urandom(32)
    w1, w2 = wrap_key(master, tenant, dek), wrap_key(master, tenant, dek)
    assert w1 != w2  # a random nonce per wrap
    assert unwrap_key(master, tenant, w1) == dek == unwrap_key(master, tenant, w2)
    assert dek not in base64.b64decode(w1)
    assert unwrap_key(master, tenant, wrap_key(master, tenant, dek[:16])) == dek[:16]  # 128-bit KEKs too
    with pytest.raises(ValueError, match="256 bits"):
        wrap_key(master[:16], tenant, dek)


def test_a_key_wrapped_for_one_tenant_never_unwraps_as_another_even_under_the_same_master() -> None:
    master, a, b, dek = os.urandom(32), uuid.uuid4(), uuid.uuid4(), os.urandom(32)
    wrapped = wrap_key(master, a, dek)
    with pytest.raises(WrappedKeyInvalid, match=str(b)):
        unwrap_key(master, b, wrapped)
    with pytest.raises(WrappedKeyInvalid):
        unwrap_key(os.urandom(32), a, wrapped)  # another master key
    with pytest.raises(WrappedKeyInvalid, match="version 0"):  # the version is authenticated too
        unwrap_key(master, a, _flip(wrapped, 4))
    other_version = wrap_key(master, a, dek, version=KEY_VERSION + 1)
    assert unwrap_key(master, a, other_version) == dek


def test_tampered_truncated_or_foreign_wrapped_keys_are_refused() -> None:
    master, tenant, dek = os.urandom(32), uuid.uuid4(), os.urandom(32)
    wrapped = wrap_key(master, tenant, dek)
    n = len(base64.b64decode(wrapped))
    for index in (0, 1, 4, 5, 16, 20, n - 17, n - 1):  # format, version, nonce, ciphertext, tag
        with pytest.raises(WrappedKeyInvalid):
            unwrap_key(master, tenant, _flip(wrapped, index))
    for bad in (wrapped[:20], "", "not base64!", base64.b64encode(b"\x01" + os.urandom(80)).decode()):
        with pytest.raises(WrappedKeyInvalid):
            unwrap_key(master, tenant, bad)


def test_provider_binds_tenant_and_refuses_shredded_keys(lake: Lake) -> None:
    _, keys = lake
    a, b, dek = uuid.uuid4(), uuid.uuid4(), os.urandom(32)
    wrapped = keys.wrap(a, dek)
    assert keys.unwrap(a, wrapped) == dek
    keys.ensure_key(b)
    with pytest.raises(WrappedKeyInvalid):
        keys.unwrap(b, wrapped)
    # even if B's master key were A's (a copied key file), A's wrapped key stays A's
    (keys.dir / f"{b}.key").write_text((keys.dir / f"{a}.key").read_text())
    with pytest.raises(WrappedKeyInvalid):
        keys.unwrap(b, wrapped)
    with pytest.raises(WrappedKeyInvalid, match="no master key version"):
        keys.unwrap(a, wrap_key(os.urandom(32), a, dek, version=KEY_VERSION + 1))
    with pytest.raises(TenantKeyMissing):
        keys.unwrap(uuid.uuid4(), wrapped)  # no key was ever created: none is created on unwrap
    assert keys.shred(a) is True
    assert keys.shred(a) is False
    with pytest.raises(TenantKeyMissing):
        keys.unwrap(a, wrapped)
    with pytest.raises(TenantKeyMissing):
        keys.wrap(a, dek)  # no new key for a shredded tenant
    assert not (keys.dir / f"{a}.key").exists()


def test_files_written_under_the_new_wrapping_read_back_and_shred(lake: Lake) -> None:
    store, keys = lake
    tenant, table = uuid.uuid4(), readings(sensors=1, seconds=600)
    path = write_batch(store, keys, tenant, "readings", table).files[0]
    meta = pq.ParquetFile(store.full(path), decryption_properties=keys.decryption_properties(tenant)).metadata
    assert meta.num_rows == 600
    assert LakeReader(store, LocalKeyProvider(keys.dir)).read(tenant, "readings").num_rows == 600  # new process
    keys.shred(tenant)
    fresh = LocalKeyProvider(keys.dir)
    with pytest.raises(TenantKeyMissing):
        LakeReader(store, fresh).read(tenant, "readings")
