"""MIP alerts domain."""
