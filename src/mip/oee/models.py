"""oee tables."""

from mip.platform.schema import metadata

__all__ = ["metadata"]
