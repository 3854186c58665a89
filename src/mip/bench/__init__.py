"""MIP bench domain."""
