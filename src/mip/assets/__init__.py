"""MIP assets domain."""
