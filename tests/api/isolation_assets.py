"""Cross-tenant cases for the assets routes (registered into test_tenant_isolation's table)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any


def register_asset_cases(case: Callable[[str, str], Callable[[Any], Any]],
                         is_404: Callable[[Any], Awaitable[None]]) -> None:
    """Filled in once the assets routes exist."""
