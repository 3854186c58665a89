"""Analytics limits. Read from ``Settings`` (``MIP_ANALYTICS_*``) when those fields exist, else defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class AnalyticsConfig:
    default_max_rows: int = 1_000
    max_rows_limit: int = 100_000  # a request may ask for at most this many rows
    timeout_s: float = 30.0  # default per-query time limit
    max_timeout_s: float = 120.0
    default_range_days: float = 7.0  # no start/end: the last 7 days
    max_range_days: float = 400.0
    memory_limit: str = "512MB"  # DuckDB's memory limit per query
    threads: int = 2  # DuckDB threads per query
    max_scan_bytes: int = 2 * 1024**3  # decrypted Arrow bytes one query may load
    max_concurrent: int = 2  # queries running at once per process; more wait, then 429
    cache_bytes: int = 256 * 1024**2  # decrypted lake files kept in memory (0: off)
    cache_ttl_s: float = 60.0  # default: the lake key cache lifetime (lake_key_cache_s)

    @classmethod
    def from_settings(cls, settings: Any) -> AnalyticsConfig:
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = getattr(settings, f"analytics_{f.name}", None)
            if value is not None:
                values[f.name] = value
        if "cache_ttl_s" not in values and getattr(settings, "lake_key_cache_s", None) is not None:
            values["cache_ttl_s"] = float(settings.lake_key_cache_s)
        if "threads" not in values:
            values["threads"] = max(1, min(cls.threads, os.cpu_count() or 1))
        return cls(**values)
