"""The compression job: hourly hot partitions (and late rows in ``readings_default``) become chunks.

One hour of one partition is compressed in **one transaction** on the owner's maintenance connection:

1. ``EXCLUSIVE`` lock on the hour's ``readings`` and ``rollup_1m`` partitions (readers go on; a late
   writer to that hour waits; nothing else is blocked);
2. its rows are read with binary COPY, ordered by (tenant, sensor, ts), in keyset pages of BLOCK_ROWS
   (bounded memory) and parsed with numpy;
3. each (tenant, sensor, hour) becomes one chunk - merged with an existing chunk of that hour if late
   data arrived after an earlier compression (decode, union, dedup by ts keeping the stored reading);
4. chunks are upserted, and that hour's ``rollup_1h`` row is set to the chunk's exact summary;
5. ``TRUNCATE`` of both partitions (locks only them), then COMMIT.

A crash before COMMIT leaves everything as it was; after it, the readings are in chunks only - a reading
is never visible in both tiers nor in neither, and re-running is idempotent. Emptied partitions are
dropped afterwards in a separate short transaction (``partitions.drop_empty_hot``), which is the only
step that needs an exclusive lock on the parent tables.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg
from psycopg import sql

from mip.platform.settings import Settings
from mip.telemetry.codec import TS_DOD, EncodedChunk, decode_chunk, encode_chunk
from mip.telemetry.partitions import (
    DAY_NS,
    HOUR_NS,
    MAINTENANCE_LOCK,
    OwnerConn,
    Partition,
    apply_retention,
    drop_empty_hot,
    ensure_partition,
    ensure_partitions,
    floor_hour,
    list_partitions,
)
from mip.telemetry.store import COPY_ROW

log = logging.getLogger(__name__)

BLOCK_ROWS = 500_000  # rows parsed and encoded at a time (memory stays bounded for big partitions)
_COPY_HEADER_LEN = 19
_CHUNK_COLS = (
    "tenant_id, sensor_id, start_ts, first_ts, last_ts, n, ts_codec, val_codec, val_scale, ts_data, val_data, "
    "q_data, min, max, sum, first_value, last_value, last_quality"
)
_CHUNK_STAGE = (
    "create temp table if not exists chunk_stage (like reading_chunks including defaults) on commit delete rows"
)
_UPSERT_CHUNKS = f"""
insert into reading_chunks ({_CHUNK_COLS}) select {_CHUNK_COLS} from chunk_stage
on conflict (tenant_id, sensor_id, start_ts) do update set
  first_ts = excluded.first_ts, last_ts = excluded.last_ts, n = excluded.n, ts_codec = excluded.ts_codec,
  val_codec = excluded.val_codec, val_scale = excluded.val_scale, ts_data = excluded.ts_data,
  val_data = excluded.val_data, q_data = excluded.q_data, min = excluded.min, max = excluded.max,
  sum = excluded.sum, first_value = excluded.first_value, last_value = excluded.last_value,
  last_quality = excluded.last_quality
"""
_SET_ROLLUP_1H = """
insert into rollup_1h (tenant_id, sensor_id, bucket, min, max, sum, count, last_ts, last_value)
select tenant_id, sensor_id, start_ts, min, max, sum, n, last_ts, last_value from chunk_stage
on conflict (tenant_id, sensor_id, bucket) do update set min = excluded.min, max = excluded.max,
  sum = excluded.sum, count = excluded.count, last_ts = excluded.last_ts, last_value = excluded.last_value
"""


@dataclass
class CompressStats:
    partitions: int = 0  # hourly partitions compressed
    default_rows: int = 0  # late rows swept from readings_default
    readings: int = 0  # readings moved into chunks
    chunks: int = 0  # chunks written
    merged: int = 0  # chunks that were merged with an existing chunk
    duplicates: int = 0  # readings found in both tiers (kept once)
    dropped: int = 0  # emptied hourly partitions dropped


@dataclass
class _Rows:
    tenant: npt.NDArray[np.void]
    sensor: npt.NDArray[np.void]
    ts: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    quality: npt.NDArray[np.int16]

    @classmethod
    def parse(cls, data: bytes | bytearray | memoryview) -> _Rows:
        rows = np.frombuffer(data, dtype=COPY_ROW)
        return cls(
            rows["tenant"].copy(),
            rows["sensor"].copy(),
            rows["ts"].astype(np.int64),
            rows["value"].astype(np.float64),
            rows["quality"].astype(np.int16),
        )

    def __len__(self) -> int:
        return int(self.ts.shape[0])

    def take(self, sel: slice) -> _Rows:
        return _Rows(self.tenant[sel], self.sensor[sel], self.ts[sel], self.value[sel], self.quality[sel])

    @staticmethod
    def concat(a: _Rows, b: _Rows) -> _Rows:
        return _Rows(*(np.concatenate([getattr(a, f), getattr(b, f)]) for f in _Rows.__dataclass_fields__))

    def group_starts(self) -> npt.NDArray[np.intp]:
        """Start index of every (tenant, sensor, hour) run (rows are ordered by tenant, sensor, ts)."""
        hour = self.ts - self.ts % HOUR_NS
        change = (self.tenant[1:] != self.tenant[:-1]) | (self.sensor[1:] != self.sensor[:-1])
        change |= hour[1:] != hour[:-1]
        return np.flatnonzero(np.r_[True, change])


async def _pages(conn: OwnerConn, table: str, where: sql.Composable, params: list[Any]) -> AsyncIterator[_Rows]:
    """Rows of ``table`` ordered by (tenant, sensor, ts), BLOCK_ROWS at a time, each page one complete
    binary COPY keyed after the previous page (so the caller may run queries between pages)."""
    after: list[Any] = []
    while True:
        cond = where if not after else sql.SQL("{} and (tenant_id, sensor_id, ts) > (%s, %s, %s)").format(where)
        query = sql.SQL(
            "copy (select tenant_id, sensor_id, ts, value, quality from {} where {} "
            "order by tenant_id, sensor_id, ts limit {}) to stdout (format binary)"
        ).format(sql.Identifier(table), cond, sql.Literal(BLOCK_ROWS))
        buf = bytearray()
        async with conn.cursor().copy(query, params + after) as copy:
            async for data in copy:
                buf += data
        size = COPY_ROW.itemsize
        n = max(len(buf) - _COPY_HEADER_LEN, 0) // size  # the 2-byte trailer is not a row
        if n == 0:
            return
        rows = _Rows.parse(buf[_COPY_HEADER_LEN : _COPY_HEADER_LEN + n * size])
        yield rows
        if n < BLOCK_ROWS:
            return
        after = [uuid.UUID(bytes=bytes(rows.tenant[-1])), uuid.UUID(bytes=bytes(rows.sensor[-1])), int(rows.ts[-1])]


def _encode_groups(rows: _Rows, existing: dict[tuple[bytes, bytes, int], Any]) -> tuple[list[Any], int]:
    """One chunk row per (tenant, sensor, hour) group; merges with existing chunks. CPU only."""
    starts = rows.group_starts()
    ends = np.r_[starts[1:], len(rows)]
    out: list[Any] = []
    duplicates = 0
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        tenant, sensor, hour = bytes(rows.tenant[a]), bytes(rows.sensor[a]), int(rows.ts[a] - rows.ts[a] % HOUR_NS)
        ts, value, quality = rows.ts[a:b], rows.value[a:b], rows.quality[a:b]
        old = existing.get((tenant, sensor, hour))
        if old is not None:
            o_ts, o_val, o_q = decode_chunk(old["ts_data"], old["val_data"], old["q_data"])
            ts, value, quality = np.r_[o_ts, ts], np.r_[o_val, value], np.r_[o_q, quality]
            order = np.argsort(ts, kind="stable")  # the chunk's copy first: the stored reading wins
            ts, value, quality = ts[order], value[order], quality[order]
            first = np.r_[True, ts[1:] != ts[:-1]]
            duplicates += int((~first).sum())
            ts, value, quality = ts[first], value[first], quality[first]
        chunk = encode_chunk(ts, value, quality)
        out.append((uuid.UUID(bytes=tenant), uuid.UUID(bytes=sensor), hour, chunk, old is not None))
    return out, duplicates


async def _existing_chunks(conn: OwnerConn, rows: _Rows) -> dict[tuple[bytes, bytes, int], Any]:
    starts = rows.group_starts()
    hours = sorted({int(h) for h in (rows.ts[starts] - rows.ts[starts] % HOUR_NS).tolist()})
    cur = await conn.execute(
        "select tenant_id, sensor_id, start_ts, ts_data, val_data, q_data from reading_chunks "
        "where start_ts = any(%s::bigint[]) and (tenant_id, sensor_id, start_ts) in "
        "(select * from unnest(%s::uuid[], %s::uuid[], %s::bigint[]))",
        [
            hours,
            [uuid.UUID(bytes=bytes(t)) for t in rows.tenant[starts]],
            [uuid.UUID(bytes=bytes(s)) for s in rows.sensor[starts]],
            (rows.ts[starts] - rows.ts[starts] % HOUR_NS).tolist(),
        ],
    )
    return {
        (r[0].bytes, r[1].bytes, r[2]): dict(zip(("ts_data", "val_data", "q_data"), r[3:], strict=True))
        for r in await cur.fetchall()
    }


async def _write_chunks(conn: OwnerConn, encoded: list[Any]) -> None:
    await conn.execute(_CHUNK_STAGE)
    async with conn.cursor().copy(f"copy chunk_stage ({_CHUNK_COLS}) from stdin") as copy:
        for tenant, sensor, hour, c, _merged in encoded:
            ch: EncodedChunk = c
            await copy.write_row(
                (
                    tenant,
                    sensor,
                    hour,
                    ch.first_ts,
                    ch.last_ts,
                    ch.n,
                    TS_DOD,
                    ch.val_codec,
                    ch.val_scale,
                    ch.ts_data,
                    ch.val_data,
                    ch.q_data,
                    ch.min,
                    ch.max,
                    ch.sum,
                    ch.first_value,
                    ch.last_value,
                    ch.last_quality,
                )
            )
    await conn.execute(_UPSERT_CHUNKS)
    await conn.execute(_SET_ROLLUP_1H)
    await conn.execute("delete from chunk_stage")


async def _compress_rows(
    conn: OwnerConn, table: str, where: sql.Composable, params: list[Any], stats: CompressStats
) -> int:
    """Rows of ``table`` matching ``where`` into chunks, page by page; returns the number of rows read."""
    carry: _Rows | None = None
    total = 0

    async def flush(rows: _Rows) -> None:
        existing = await _existing_chunks(conn, rows)
        encoded, dups = await asyncio.to_thread(_encode_groups, rows, existing)
        await _write_chunks(conn, encoded)
        stats.chunks += len(encoded)
        stats.merged += sum(1 for e in encoded if e[4])
        stats.duplicates += dups
        stats.readings += len(rows) - dups

    async for block in _pages(conn, table, where, params):
        total += len(block)
        rows = block if carry is None else _Rows.concat(carry, block)
        last = int(rows.group_starts()[-1])  # the last group may continue in the next block
        if last:
            await flush(rows.take(slice(0, last)))
        carry = rows.take(slice(last, None))
    if carry is not None and len(carry):
        await flush(carry)
    return total


async def _compress_partition(conn: OwnerConn, p: Partition, stats: CompressStats) -> None:
    twin = "rollup_1m" + p.name.removeprefix("readings")
    async with conn.transaction():
        await conn.execute("select pg_advisory_xact_lock(%s)", [MAINTENANCE_LOCK])
        cur = await conn.execute("select to_regclass(%s) is not null, to_regclass(%s) is not null", [p.name, twin])
        row = await cur.fetchone()
        if not row or not row[0]:
            return  # compressed and dropped meanwhile
        tables = [p.name] + ([twin] if row[1] else [])
        names = sql.SQL(", ").join(sql.Identifier(t) for t in tables)
        await conn.execute(sql.SQL("lock table {} in exclusive mode").format(names))
        if await _compress_rows(conn, p.name, sql.SQL("true"), [], stats):
            await conn.execute(sql.SQL("truncate {}").format(names))
            stats.partitions += 1


async def _sweep_default(conn: OwnerConn, lo: int, cutoff: int, stats: CompressStats) -> None:
    """Late rows of hours without a partition (in readings_default) into chunks; delete them there."""
    async with conn.transaction():
        await conn.execute("select pg_advisory_xact_lock(%s)", [MAINTENANCE_LOCK])
        await conn.execute("lock table readings_default, rollup_1m_default in exclusive mode")
        n = await _compress_rows(conn, "readings_default", sql.SQL("ts >= %s and ts < %s"), [lo, cutoff], stats)
        if n:
            await conn.execute("delete from readings_default where ts >= %s and ts < %s", [lo, cutoff])
            await conn.execute("delete from rollup_1m_default where bucket >= %s and bucket < %s", [lo, cutoff])
            stats.default_rows += n


async def _default_days(conn: OwnerConn, lo: int, cutoff: int) -> list[int]:
    cur = await conn.execute(
        "select distinct ts - mod(ts, %s) from readings_default where ts >= %s and ts < %s", [DAY_NS, lo, cutoff]
    )
    return [int(r[0]) for r in await cur.fetchall()]


async def compress_ready(
    conn: OwnerConn, *, grace_s: float, now_ns: int | None = None, from_ns: int = 0
) -> CompressStats:
    """Compress every hour in [from_ns, ...) that ended at least ``grace_s`` before ``now_ns``.

    ``conn``: an autocommit connection as the tables' owner. Idempotent and safe to run concurrently
    (one maintenance transaction at a time), and safe to interrupt at any point.
    """
    now = time.time_ns() if now_ns is None else now_ns
    cutoff = floor_hour(now - int(grace_s * 1e9))
    lo = floor_hour(from_ns)
    stats = CompressStats()
    ready = [p for p in await list_partitions(conn, "readings") if p.lo >= lo and p.hi <= cutoff]
    days = {p.lo - p.lo % DAY_NS for p in ready} | set(await _default_days(conn, lo, cutoff))
    for day in sorted(days):
        await ensure_partition(conn, "reading_chunks", day, day + DAY_NS)
    for p in ready:
        await _compress_partition(conn, p, stats)
    if cutoff > lo:
        await _sweep_default(conn, lo, cutoff, stats)
    stats.dropped = await drop_empty_hot(conn, ready)
    return stats


async def maintain(conn: OwnerConn, settings: Settings, *, now_ns: int | None = None) -> dict[str, Any]:
    """One round: partitions ahead, compression, retention."""
    now = time.time_ns() if now_ns is None else now_ns
    created = await ensure_partitions(conn, floor_hour(now), now + settings.partition_ahead_hours * HOUR_NS)
    stats = await compress_ready(conn, grace_s=settings.compress_after_s, now_ns=now)
    dropped = await apply_retention(
        conn,
        now_ns=now,
        raw_retention_days=settings.raw_retention_days,
        rollup_retention_days=settings.rollup_retention_days,
    )
    return {"partitions_created": created, **asdict(stats), "retention_dropped": dropped}


async def run_compressor(owner_url: str, settings: Settings, stop: asyncio.Event) -> None:
    """The stream role's periodic maintenance task (one round every ``compress_interval_s``)."""
    while not stop.is_set():
        try:
            async with await psycopg.AsyncConnection.connect(owner_url, autocommit=True) as conn:
                while not stop.is_set():
                    result = await maintain(conn, settings)
                    if result["partitions"] or result["default_rows"] or result["retention_dropped"]:
                        log.info("time-series maintenance", extra={"mip_result": result})
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), settings.compress_interval_s)
        except (psycopg.Error, OSError):
            log.exception("time-series maintenance failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), min(settings.compress_interval_s, 30.0))
