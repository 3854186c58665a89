"""Cross-tenant cases for every planning route, for the route table in tests/api/test_tenant_isolation.py
(same contract as tests/assets/isolation_cases.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any


def register_planning_cases(case: Callable[[str, str], Any], is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Register one case per route of this domain."""
