"""MIP sim domain."""
