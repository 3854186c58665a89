"""MIP identity domain."""
