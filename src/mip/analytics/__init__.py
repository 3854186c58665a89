"""Analytics: read-only SQL (DuckDB) over the tenant's own lake data."""
