"""MIP streaming domain."""
