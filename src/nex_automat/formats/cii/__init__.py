"""Factur-X / ZUGFeRD / XRechnung CII: read and write."""

from nex_automat.formats.cii.reader import read_cii, read_cii_stated_totals
from nex_automat.formats.cii.writer import write_cii

__all__ = ["read_cii", "read_cii_stated_totals", "write_cii"]
