"""ISDOC 6.0.2, the Czech and Slovak invoice exchange format: write, read, validate."""

from __future__ import annotations

from .reader import read_isdoc
from .validate import validate_isdoc
from .writer import write_isdoc

__all__ = ["read_isdoc", "validate_isdoc", "write_isdoc"]
