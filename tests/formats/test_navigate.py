"""Numbers in e-invoices are ``xs:decimal``; what else Python's ``Decimal`` reads is refused."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from nex_automat.errors import XmlError
from nex_automat.formats.isdoc import read_isdoc
from nex_automat.formats.navigate import xs_decimal
from nex_automat.formats.ubl import read_ubl

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


@pytest.mark.parametrize(
    ("text", "value"),
    [("12.30", "12.30"), ("-5", "-5"), ("+0.5", "0.5"), (".5", "0.5"), ("7.", "7"), ("007", "7")],
)
def test_the_lexical_forms_of_xs_decimal_read_exactly(text: str, value: str) -> None:
    parsed = xs_decimal(text)
    assert parsed == Decimal(value)
    assert str(parsed) == str(Decimal(text))


@pytest.mark.parametrize(
    "text",
    ["1E+999999", "1e3", "NaN", "Infinity", "-inf", "1_000", "\u0661\u0662", "1,5", "", " 1", "."],
)
def test_what_the_schemas_do_not_allow_is_no_number(text: str) -> None:
    assert xs_decimal(text) is None


@pytest.mark.parametrize("hostile", ["1E+999999", "NaN", "1_000.00"])
def test_readers_refuse_an_amount_the_schema_does_not_allow(hostile: str) -> None:
    ubl = (SAMPLES / "ubl" / "base-example.xml").read_bytes()
    ubl = re.sub(rb"(<cbc:PayableAmount[^>]*>)[^<]*", rb"\g<1>" + hostile.encode(), ubl)
    with pytest.raises(XmlError, match="not a number"):
        read_ubl(ubl)
    isdoc = (SAMPLES / "isdoc" / "sample.isdoc").read_bytes()
    isdoc = re.sub(rb"(<PayableAmount(?:Curr)?>)[^<]*", rb"\g<1>" + hostile.encode(), isdoc)
    with pytest.raises(XmlError, match="not a number"):
        read_isdoc(isdoc)
