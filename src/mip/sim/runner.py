"""Drive a simulated plant against a MIP ingest endpoint at a target rate.

A producer wakes every ``tick_s``, generates the readings owed since the start (``rate x elapsed``, so the
rate holds on average even when a tick runs late), stamps them evenly between the previous tick and the
wall clock now, and queues them as JSON batches. A few senders POST the batches; a 429 is retried after
its ``Retry-After`` with the same ``Idempotency-Key``, so a retry never stores a reading twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import asdict, dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import numpy as np
import orjson

from mip.sim.plant import Plant
from mip.sim.signals import PlantSignals, Signals
from mip.telemetry.arrow_format import ARROW_TYPE, encode_arrow

INGEST_PATH = "/api/v1/ingest/readings"


@dataclass(frozen=True)
class RunnerConfig:
    url: str
    api_key: str
    rate: float  # readings per second, all sensors together
    duration_s: float | None = None  # None: until stopped
    seed: int = 0
    fault_rate_per_hour: float = 1.0  # per machine
    spike_rate_per_hour: float = 4.0  # per machine
    tick_s: float = 0.2
    max_batch_rows: int = 10_000
    concurrency: int = 4
    max_lag_s: float = 5.0  # never owe more than this many seconds of readings; the rest is skipped
    max_error_attempts: int = 8  # network errors / 5xx before a batch is dropped (429s retry until stop)
    drain_timeout_s: float = 30.0
    request_timeout_s: float = 30.0
    wire_format: str = "json"  # or "arrow" (Arrow IPC stream)


@dataclass
class RunStats:
    rate_target: float
    generated: int = 0  # readings generated
    sent: int = 0  # readings POSTed (each batch counted once, however often it was retried)
    accepted: int = 0
    rejected: int = 0
    retries: int = 0  # re-POSTs of a batch
    throttled: int = 0  # 429 responses
    errors: int = 0  # failed attempts: network errors, 5xx, unexpected 4xx
    dropped: int = 0  # readings of batches given up on
    skipped: int = 0  # readings never generated because the producer fell more than max_lag_s behind
    batches: int = 0
    elapsed_s: float = 0.0
    stopped: bool = False  # ended by stop() / Ctrl-C rather than the duration
    error_samples: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        out = asdict(self)
        out["accepted_per_s"] = round(self.accepted / self.elapsed_s, 1) if self.elapsed_s else 0.0
        out["elapsed_s"] = round(self.elapsed_s, 3)
        return out

    def record_error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(text[:300])


@dataclass
class _Batch:
    body: bytes
    rows: int
    key: str


def retry_after_s(resp: httpx.Response, default: float = 1.0) -> float:
    """Seconds from a Retry-After header (delta seconds or an HTTP date)."""
    value = resp.headers.get("retry-after", "").strip()
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return default


def encode_rows(paths: list[str], signals: Signals) -> list[dict[str, Any]]:
    """JSON rows ``{"sensor": tag path, "ts": epoch ns, "value": float}``, timestamp-major."""
    n = signals.ts.shape[0]
    ts = np.repeat(signals.ts, len(paths)).tolist()
    values = np.round(signals.values, 4).ravel().tolist()
    return [{"sensor": p, "ts": t, "value": v} for p, t, v in zip(paths * n, ts, values, strict=True)]


def encode_batches(paths: list[str], signals: Signals, max_rows: int, wire_format: str) -> list[tuple[bytes, int]]:
    """Request bodies of at most ``max_rows`` readings each, as JSON or as an Arrow IPC stream."""
    if wire_format == "arrow":
        n = signals.ts.shape[0]
        sensors = paths * n
        ts = np.repeat(signals.ts, len(paths))
        values = np.round(signals.values, 4).ravel()
        return [
            (
                encode_arrow(sensors[i : i + max_rows], ts[i : i + max_rows], values[i : i + max_rows]),
                min(max_rows, len(sensors) - i),
            )
            for i in range(0, len(sensors), max_rows)
        ]
    rows = encode_rows(paths, signals)
    return [(orjson.dumps(rows[i : i + max_rows]), len(rows[i : i + max_rows])) for i in range(0, len(rows), max_rows)]


class SimulationRunner:
    def __init__(self, plant: Plant, config: RunnerConfig, *, client: httpx.AsyncClient | None = None) -> None:
        if config.rate <= 0:
            raise ValueError("rate must be positive")
        self.plant = plant
        self.config = config
        self.stats = RunStats(rate_target=config.rate)
        self._client = client
        self._stop = asyncio.Event()
        self._abort = asyncio.Event()
        self._run_id = uuid.uuid4().hex[:12]
        self._seq = 0

    def stop(self) -> None:
        """Stop producing; queued batches get one more attempt each, retries (429, errors) are abandoned."""
        self.stats.stopped = True
        self._stop.set()
        self._abort.set()

    async def run(self) -> RunStats:
        cfg = self.config
        ctype = ARROW_TYPE if cfg.wire_format == "arrow" else "application/json"
        headers = {"Authorization": f"Bearer {cfg.api_key}", "Content-Type": ctype}
        client = self._client or httpx.AsyncClient(
            timeout=cfg.request_timeout_s, limits=httpx.Limits(max_connections=cfg.concurrency)
        )
        queue: asyncio.Queue[_Batch | None] = asyncio.Queue(maxsize=max(2, 2 * cfg.concurrency))
        url = cfg.url.rstrip("/") + INGEST_PATH
        started = time.monotonic()
        senders = [
            asyncio.create_task(self._sender(client, url, headers, queue), name=f"sim-sender-{i}")
            for i in range(cfg.concurrency)
        ]
        try:
            await self._produce(queue)
        finally:
            for _ in senders:
                await queue.put(None)
            done, pending = await asyncio.wait(senders, timeout=cfg.drain_timeout_s)
            if pending:
                self._abort.set()
                await asyncio.wait(pending, timeout=cfg.request_timeout_s + 1)
                for task in pending:
                    task.cancel()
            for task in senders:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self.stats.elapsed_s = time.monotonic() - started
            if self._client is None:
                await client.aclose()
        return self.stats

    async def _produce(self, queue: asyncio.Queue[_Batch | None]) -> None:
        cfg = self.config
        signals = PlantSignals(
            self.plant,
            start_ns=time.time_ns(),
            seed=cfg.seed,
            fault_rate_per_hour=cfg.fault_rate_per_hour,
            spike_rate_per_hour=cfg.spike_rate_per_hour,
        )
        paths = signals.paths
        width = len(paths)
        t0 = time.monotonic()
        owed_done = 0.0  # readings generated or skipped so far
        last_ns = signals.start_ns
        while True:
            elapsed = time.monotonic() - t0
            final = self._stop.is_set() or (cfg.duration_s is not None and elapsed >= cfg.duration_s)
            if cfg.duration_s is not None:
                elapsed = min(elapsed, cfg.duration_s)
            owed = cfg.rate * elapsed - owed_done
            if owed > cfg.rate * cfg.max_lag_s:
                skip = int(owed - cfg.rate * cfg.max_lag_s)
                self.stats.skipped += skip
                owed_done += skip
                owed -= skip
            k = int(owed // width)  # timestamps this tick; every sensor gets one reading per timestamp
            if k > 0 and not self._stop.is_set():
                now_ns = max(time.time_ns(), last_ns + k)
                ts = last_ns + (np.arange(1, k + 1, dtype=np.int64) * (now_ns - last_ns)) // k
                last_ns = int(ts[-1])
                generated = signals.generate(ts)
                n_rows = k * width
                owed_done += n_rows
                self.stats.generated += n_rows
                for body, rows in encode_batches(paths, generated, cfg.max_batch_rows, cfg.wire_format):
                    self._seq += 1
                    await queue.put(_Batch(body, rows, f"sim-{self._run_id}-{self._seq}"))
            if final:
                return
            next_tick = t0 + (int(elapsed / cfg.tick_s) + 1) * cfg.tick_s
            if cfg.duration_s is not None:
                next_tick = min(next_tick, t0 + cfg.duration_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), max(0.0, next_tick - time.monotonic()))

    async def _sender(
        self,
        client: httpx.AsyncClient,
        url: str,
        headers: dict[str, str],
        queue: asyncio.Queue[_Batch | None],
    ) -> None:
        while True:
            batch = await queue.get()
            if batch is None:
                return
            await self._post(client, url, headers, batch)

    async def _post(self, client: httpx.AsyncClient, url: str, headers: dict[str, str], batch: _Batch) -> None:
        cfg = self.config
        st = self.stats
        st.sent += batch.rows
        st.batches += 1
        failures = 0
        backoff = 0.25
        while True:
            delay = backoff
            try:
                resp = await client.post(url, content=batch.body, headers={**headers, "Idempotency-Key": batch.key})
            except httpx.HTTPError as exc:
                st.record_error(f"{type(exc).__name__}: {exc}")
                failures += 1
                backoff = min(backoff * 2, 5.0)
            else:
                code = resp.status_code
                if code == 202:
                    body = resp.json()
                    st.accepted += int(body.get("accepted", 0))
                    st.rejected += len(body.get("rejected", ()))
                    return
                if code == 429:
                    st.throttled += 1
                    delay = retry_after_s(resp)
                elif code == 422 and _problem_code(resp) == "all_rows_rejected":
                    st.rejected += batch.rows
                    return
                elif code >= 500:
                    st.record_error(f"HTTP {code}: {resp.text}")
                    failures += 1
                    backoff = min(backoff * 2, 5.0)
                else:  # 4xx: retrying the same request cannot help
                    st.record_error(f"HTTP {code}: {resp.text}")
                    st.dropped += batch.rows
                    return
            if failures < cfg.max_error_attempts and not self._abort.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._abort.wait(), delay)
            if failures >= cfg.max_error_attempts or self._abort.is_set():
                st.dropped += batch.rows
                return
            st.retries += 1


def _problem_code(resp: httpx.Response) -> str | None:
    try:
        body = resp.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


async def run_simulation(plant: Plant, config: RunnerConfig, *, client: httpx.AsyncClient | None = None) -> RunStats:
    """Run until ``config.duration_s`` elapses; returns the counts."""
    return await SimulationRunner(plant, config, client=client).run()
