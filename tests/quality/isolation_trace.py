"""Cross-tenant cases for every quality trace route (same contract as tests/assets/isolation_cases.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any


def register_quality_trace_cases(case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Register one case per route."""
