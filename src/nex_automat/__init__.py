"""NEX Automat: supplier invoices in, checked structured data out."""

__version__ = "0.1.0"
