"""MIP cli domain."""
