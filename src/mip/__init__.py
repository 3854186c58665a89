"""MIP - the Manufacturing Intelligence Platform."""

__version__ = "0.1.0"
