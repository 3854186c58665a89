"""MIP tenancy domain."""
