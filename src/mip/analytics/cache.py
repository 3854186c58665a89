"""Decrypted lake files kept briefly in memory, so repeated queries (dashboards) skip decryption.

Lake data files are immutable (a rewrite commits a new path), so (tenant, dataset, path, columns) names
the same rows for as long as the file is committed; the engine only asks for paths the current manifests
list. Entries expire after ``ttl_s`` - the lake key cache lifetime, so a crypto-shredded tenant's data stops
being served within the same bound as its cached keys - and the cache holds at most ``max_bytes``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict

import pyarrow as pa

Key = tuple[uuid.UUID, str, str, tuple[str, ...]]


class FileCache:
    def __init__(self, max_bytes: int, ttl_s: float) -> None:
        self.max_bytes = max_bytes
        self.ttl_s = ttl_s
        self._items: OrderedDict[Key, tuple[float, pa.Table]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Key) -> pa.Table | None:
        if self.max_bytes <= 0:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is None or time.monotonic() - hit[0] > self.ttl_s:
                if hit is not None:
                    self._drop(key)
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return hit[1]

    def put(self, key: Key, table: pa.Table) -> None:
        size = table.nbytes
        if self.max_bytes <= 0 or size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic(), table)
            self._bytes += size
            while self._bytes > self.max_bytes and self._items:
                self._drop(next(iter(self._items)))

    def forget_tenant(self, tenant_id: uuid.UUID) -> None:
        with self._lock:
            for key in [k for k in self._items if k[0] == tenant_id]:
                self._drop(key)

    def _drop(self, key: Key) -> None:
        _, table = self._items.pop(key)
        self._bytes -= table.nbytes

    @property
    def nbytes(self) -> int:
        return self._bytes
