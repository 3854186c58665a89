"""Per-tenant cache of sensor metadata (id, tag path, machine, site, limits) for ingest and stream."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from mip.platform.db import Database


@dataclass(frozen=True, slots=True)
class SensorInfo:
    id: uuid.UUID
    path: str
    name: str
    unit: str
    machine_id: uuid.UUID
    site_id: uuid.UUID | None
    low_limit: float | None
    high_limit: float | None
    safety: bool


@dataclass
class TenantSensors:
    by_id: dict[uuid.UUID, SensorInfo] = field(default_factory=dict)
    by_path: dict[str, SensorInfo] = field(default_factory=dict)
    loaded_at: float = 0.0

    def resolve(self, ref: str) -> SensorInfo | None:
        hit = self.by_path.get(ref)
        if hit is not None:
            return hit
        try:
            return self.by_id.get(uuid.UUID(ref))
        except ValueError:
            return None


_QUERY = """
select s.id, s.path, s.name, s.unit, s.machine_id, s.low_limit, s.high_limit, s.safety, site.id as site_id
from sensors s
left join assets site on site.tenant_id = s.tenant_id and site.kind = 'site'
     and site.path = split_part(s.path, '/', 1)
"""


class SensorDirectory:
    """Cached per tenant for ``ttl_s``; writes in this process call :meth:`invalidate`."""

    def __init__(self, db: Database, ttl_s: float = 5.0) -> None:
        self.db = db
        self.ttl_s = ttl_s
        self._tenants: dict[uuid.UUID, TenantSensors] = {}

    def invalidate(self, tenant_id: uuid.UUID) -> None:
        self._tenants.pop(tenant_id, None)

    async def get(self, tenant_id: uuid.UUID, *, max_age_s: float | None = None) -> TenantSensors:
        entry = self._tenants.get(tenant_id)
        age = self.ttl_s if max_age_s is None else max_age_s
        if entry is not None and time.monotonic() - entry.loaded_at < age:
            return entry
        async with self.db.tenant_tx(tenant_id) as conn:
            cur = await conn.execute(_QUERY)
            rows = await cur.fetchall()
        fresh = TenantSensors(loaded_at=time.monotonic())
        for r in rows:
            info = SensorInfo(**r)
            fresh.by_id[info.id] = info
            fresh.by_path[info.path] = info
        self._tenants[tenant_id] = fresh
        return fresh
