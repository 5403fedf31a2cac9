"""UBL 2.1 / Peppol BIS Billing 3.0: read and write."""

from nex_automat.formats.ubl.reader import read_ubl, read_ubl_stated_totals
from nex_automat.formats.ubl.writer import write_ubl

__all__ = ["read_ubl", "read_ubl_stated_totals", "write_ubl"]
