"""Live feed for dashboards: the latest value of each sensor, published per tenant at most every
``interval_s`` on ``TOPIC_LIVE``, only for readings whose transaction has committed.

Lossy by design (a snapshot, not a record): a full or unavailable bus drops the snapshot, never the stream.
"""

from __future__ import annotations

import logging
import time
import uuid

import numpy as np
import orjson

from mip.platform.bus import TOPIC_LIVE, Bus, BusError, BusFull
from mip.platform.timeutil import ns_to_rfc3339
from mip.telemetry.batch import ReadingBatch

log = logging.getLogger(__name__)

# tenant -> sensor -> (machine, ts ns, value)
_Pending = dict[uuid.UUID, dict[uuid.UUID, tuple[uuid.UUID, int, float]]]


class LiveFeed:
    def __init__(self, bus: Bus, *, interval_s: float = 0.25) -> None:
        self.bus = bus
        self.interval_s = interval_s
        self._pending: _Pending = {}
        self._last_flush = 0.0
        self.published = 0
        self.dropped = 0

    def add(self, batches: list[ReadingBatch]) -> None:
        """Remember the last reading of each sensor in these (committed) batches."""
        for b in batches:
            n = len(b)
            if n == 0:
                continue
            latest = self._pending.setdefault(b.tenant_id, {})
            rev = b.sensor_idx[::-1]
            idx, first = np.unique(rev, return_index=True)
            for i, j in zip(idx.tolist(), (n - 1 - first).tolist(), strict=True):
                sensor = b.sensors[i]
                ts = int(b.ts[j])
                seen = latest.get(sensor)
                if seen is None or ts >= seen[1]:
                    latest[sensor] = (b.machine_id, ts, float(b.value[j]))

    async def maybe_flush(self, *, force: bool = False) -> None:
        if not self._pending:
            return
        now = time.monotonic()
        if not force and now - self._last_flush < self.interval_s:
            return
        self._last_flush = now
        pending, self._pending = self._pending, {}
        for tenant_id, sensors in pending.items():
            points = [
                {"sensor_id": str(s), "machine_id": str(m), "ts": ns_to_rfc3339(ts), "value": v}
                for s, (m, ts, v) in sensors.items()
                if np.isfinite(v)
            ]
            event = {"type": "readings", "tenant_id": str(tenant_id), "points": points}
            try:
                await self.bus.publish(TOPIC_LIVE, str(tenant_id).encode(), orjson.dumps(event))
                self.published += 1
            except (BusFull, BusError):
                self.dropped += 1
                log.debug("live snapshot dropped (bus full or unavailable)")
