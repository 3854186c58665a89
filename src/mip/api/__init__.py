"""MIP api domain."""
