"""Cross-tenant cases for the assets routes (registered into test_tenant_isolation's table)."""

from tests.assets.isolation_cases import register_asset_cases

__all__ = ["register_asset_cases"]
