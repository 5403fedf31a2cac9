"""A bounded fuzz run over the XML readers: damaged e-invoices read or are refused with a code.

The seeds are the published ISDOC and UBL samples, a CII invoice, an ISDOCX package and a
Factur-X PDF. Two kinds of damage are drawn under a fixed seed: raw byte mutations (mostly
malformed XML, which the hardened parser must refuse) and edits of well-formed trees, where
element texts become hostile values (NaN, huge exponents, impossible dates, long digit
runs), elements are dropped or repeated and attributes changed, which reach the readers'
own logic. Each document goes through :func:`extract_document`, as intake's job does, so the
checks run on whatever was read. Every outcome is an invoice or one of our errors with a
stable code, never another exception.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from nex_automat.errors import DocumentError
from nex_automat.extract.document import extract_document
from nex_automat.extract.result import ExtractionResult
from nex_automat.formats.cii import write_cii
from tests.formats.containers import isdocx
from tests.formats.invoices import slovak_invoice
from tests.formats.test_cii import EN16931_XML
from tests.mutations import (
    ARCHIVE_CODES,
    HOSTILE_NUMBERS,
    TimeBudget,
    assert_clear_refusal,
    mutated,
    note,
)

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"

REFUSAL_CODES = ARCHIVE_CODES | frozenset(
    {
        "invalid_xml",
        "xml_entities_refused",
        "xml_too_large",
        "xml_too_deep",
        "empty_document",
        "not_a_pdf",
        "unreadable",
        "incomplete_invoice",
    }
)

XML_TOKENS: tuple[bytes, ...] = (
    b"<",
    b">",
    b"</",
    b"/>",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#xFFFF;",
    b"&xxe;",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"<![CDATA[",
    b"]]>",
    b"<?xml version='1.0' encoding='utf-16'?>",
    b"<?xml version='1.0' encoding='x-unknown'?>",
    b"xmlns=''",
    b'xmlns:cbc="urn:x"',
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"\xe2\x82",
    *HOSTILE_NUMBERS,
)

HOSTILE_TEXTS: tuple[str, ...] = (
    *(number.decode() for number in HOSTILE_NUMBERS),
    "",
    "   ",
    "1,5",
    "1 234.56",
    "12.",
    ".5",
    "+-1",
    "0x10",
    "1_000",
    "2025-02-30",
    "2025-13-01",
    "0000-01-01",
    "99999-01-01",
    "2025-01-01T25:00:00",
    "20250101",
    "9" * 400,
    "ž" * 300,
    "\u202e\u200b",
    "380",
    "381",
    "S",
    "AE",
    "XXX",
)
"""Element texts that no honest e-invoice carries but a broken or hostile one may."""


def _seeds() -> list[bytes]:
    files = sorted((SAMPLES / "isdoc").glob("*.isdoc")) + sorted((SAMPLES / "ubl").glob("*.xml"))
    xml = [path.read_bytes() for path in files]
    return [
        *xml,
        EN16931_XML,
        write_cii(slovak_invoice()),
        isdocx({"faktura.isdoc": (SAMPLES / "isdoc" / "sample.isdoc").read_bytes()}),
    ]


SEEDS = _seeds()
XML_SEEDS = [seed for seed in SEEDS if seed.lstrip().startswith(b"<")]
BUDGET = TimeBudget(seconds=45)


@st.composite
def edited_trees(draw: st.DrawFn) -> bytes:
    """A sample whose tree was edited: texts, elements and attributes made hostile."""
    root = etree.fromstring(draw(st.sampled_from(XML_SEEDS)))
    elements = [element for element in root.iter() if isinstance(element.tag, str)]
    for _ in range(draw(st.integers(1, 8))):
        element = elements[draw(st.integers(0, len(elements) - 1))]
        action = draw(st.sampled_from(["text", "text", "text", "drop", "repeat", "attribute"]))
        parent = element.getparent()
        if action == "text" or parent is None:
            element.text = draw(st.sampled_from(HOSTILE_TEXTS))
        elif action == "drop":
            parent.remove(element)
        elif action == "repeat":
            for _ in range(draw(st.integers(1, 3))):
                parent.append(etree.fromstring(etree.tostring(element)))
        else:
            name = draw(st.sampled_from(["currencyID", "unitCode", "schemeID", "format"]))
            element.set(name, draw(st.sampled_from(HOSTILE_TEXTS[:20])))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def extract_or_refuse(data: bytes) -> ExtractionResult | None:
    try:
        result = extract_document(data)
    except DocumentError as error:
        assert_clear_refusal(error, REFUSAL_CODES)
        note(f"refused: {error.code}")
        return None
    note(f"read as {result.method}")
    return result


@pytest.mark.parametrize("seed", range(len(SEEDS)))
def test_every_seed_is_read_or_refused_with_a_code(seed: int) -> None:
    extract_or_refuse(SEEDS[seed])


FUZZ_SETTINGS = settings(
    max_examples=500,
    derandomize=True,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ_SETTINGS
@given(data=mutated(SEEDS, XML_TOKENS, keep=1))
def test_damaged_xml_bytes_are_read_or_refused_with_a_code(data: bytes) -> None:
    if not BUDGET.exhausted():
        extract_or_refuse(data)


@FUZZ_SETTINGS
@given(data=edited_trees())
def test_hostile_values_in_well_formed_invoices_are_read_or_refused_with_a_code(
    data: bytes,
) -> None:
    if BUDGET.exhausted():
        return
    result = extract_or_refuse(data)
    if result is not None:
        for value in (result.invoice.total_gross, result.invoice.amount_due):
            assert value is None or value.is_finite()
