"""ISDOC 6.0.2, the Czech and Slovak invoice exchange format: write, read, validate."""

from __future__ import annotations

from .pdf import extract_isdoc_from_pdf
from .reader import read_isdoc
from .validate import validate_isdoc
from .writer import write_isdoc

__all__ = ["extract_isdoc_from_pdf", "read_isdoc", "validate_isdoc", "write_isdoc"]
