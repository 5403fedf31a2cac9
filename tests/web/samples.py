"""Documents the API tests send: generated supplier PDFs and an ISDOC that needs review."""

from __future__ import annotations

import base64
from functools import cache

from nex_automat.formats.isdoc import write_isdoc
from tests.invoicegen import generate
from tests.store.factories import make_invoice

FAMILIES = ("pohoda_sk", "money_cz", "abra_cz", "omega_sk")


@cache
def invoice_pdf(seed: int = 0) -> bytes:
    """A text PDF of a complete, consistent invoice (one of a few supplier layouts)."""
    return generate(seed, FAMILIES[seed % len(FAMILIES)]).pdf


@cache
def isdoc_needing_review() -> bytes:
    """An ISDOC invoice whose lines do not add up and whose ids fail their checksums."""
    return write_isdoc(make_invoice("2024001"))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
