"""Time conventions: UTC everywhere, int64 epoch nanoseconds internally, RFC 3339 at the edges."""

from __future__ import annotations

import math
from datetime import UTC, datetime

NS_PER_S = 1_000_000_000


def now_ns() -> int:
    import time

    return time.time_ns()


def parse_ts(value: object) -> int:
    """RFC 3339 string or epoch nanoseconds (int) -> epoch ns. Raises ValueError with a reason."""
    if isinstance(value, bool):
        raise ValueError("timestamp must be an RFC 3339 string or integer epoch nanoseconds")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("timestamp must not be negative")
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise ValueError("epoch timestamps must be integer nanoseconds")
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        frac_ns = 0
        # keep nanosecond precision that datetime would drop
        if "." in text:
            head, rest = text.split(".", 1)
            digits = ""
            i = 0
            while i < len(rest) and rest[i].isdigit():
                digits += rest[i]
                i += 1
            if not digits:
                raise ValueError(f"invalid RFC 3339 timestamp: {value!r}")
            frac_ns = int((digits + "000000000")[:9])
            text = head + rest[i:]
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"invalid RFC 3339 timestamp: {value!r}") from None
        if dt.tzinfo is None:
            raise ValueError(f"timestamp needs a UTC offset: {value!r}")
        seconds = int(dt.timestamp())
        return seconds * NS_PER_S + frac_ns
    raise ValueError("timestamp must be an RFC 3339 string or integer epoch nanoseconds")


def ns_to_dt(ns: int) -> datetime:
    return datetime.fromtimestamp(ns / NS_PER_S, tz=UTC)


def ns_to_rfc3339(ns: int) -> str:
    seconds, frac = divmod(int(ns), NS_PER_S)
    base = datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        return f"{base}.{frac:09d}".rstrip("0") + "Z"
    return base + "Z"


def dt_to_ns(dt: datetime) -> int:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp()) * NS_PER_S + dt.microsecond * 1000
