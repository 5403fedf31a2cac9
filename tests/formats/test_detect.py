"""Telling ISDOC, UBL and CII apart by their root, and reading whichever it is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nex_automat.domain.model import Invoice
from nex_automat.errors import UnsupportedFormat, XmlEntitiesRefused
from nex_automat.formats.cii import write_cii
from nex_automat.formats.detect import detect_xml_format, read_structured
from nex_automat.formats.isdoc import read_isdoc, write_isdoc
from nex_automat.formats.ubl import write_ubl
from tests.formats.containers import isdocx
from tests.formats.invoices import slovak_credit_note, slovak_invoice

Writer = Callable[[Invoice], bytes]
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


@pytest.mark.parametrize(
    ("write", "fmt"), [(write_isdoc, "isdoc"), (write_ubl, "ubl"), (write_cii, "cii")]
)
def test_our_own_output_is_recognised(write: Writer, fmt: str) -> None:
    assert detect_xml_format(write(slovak_invoice())) == fmt
    assert detect_xml_format(write(slovak_credit_note())) == fmt


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("isdoc/sample.isdoc", "isdoc"),
        ("isdoc/sample-no-reference.isdoc", "isdoc"),
        ("ubl/base-example.xml", "ubl"),
        ("ubl/base-creditnote-correction.xml", "ubl"),
    ],
)
def test_samples_are_recognised(path: str, fmt: str) -> None:
    assert detect_xml_format((SAMPLES / path).read_bytes()) == fmt


def test_isdocx_package_is_isdoc() -> None:
    xml = (SAMPLES / "isdoc" / "sample.isdoc").read_bytes()
    assert detect_xml_format(isdocx({"faktura.isdoc": xml})) == "isdoc"
    assert read_structured(isdocx({"faktura.isdoc": xml})) == read_isdoc(xml)


def test_common_document_is_refused_naming_its_root() -> None:
    data = (SAMPLES / "isdoc" / "sample-commondocument.isdoc").read_bytes()
    with pytest.raises(UnsupportedFormat, match="CommonDocument"):
        detect_xml_format(data)


@pytest.mark.parametrize(
    ("xml", "root"),
    [
        (b"<Invoice><Total>5</Total></Invoice>", "Invoice"),
        (b'<Order xmlns="urn:example:orders"/>', "{urn:example:orders}Order"),
    ],
)
def test_unknown_xml_is_refused_naming_its_root(xml: bytes, root: str) -> None:
    with pytest.raises(UnsupportedFormat, match=root):
        detect_xml_format(xml)


def test_detection_uses_the_hardened_parser() -> None:
    with pytest.raises(XmlEntitiesRefused):
        detect_xml_format(b'<!DOCTYPE x [<!ENTITY e "e">]><Invoice>&e;</Invoice>')


@pytest.mark.parametrize("write", [write_isdoc, write_ubl, write_cii])
def test_read_structured_gives_the_invoice_whatever_the_format(write: Writer) -> None:
    invoice = read_structured(write(slovak_invoice()))
    assert (invoice.number, invoice.total_gross, len(invoice.lines)) == (
        "2026000123",
        slovak_invoice().total_gross,
        2,
    )


def test_read_structured_with_a_known_format_skips_detection() -> None:
    xml = write_ubl(slovak_credit_note())
    assert read_structured(xml, "ubl").total_gross == slovak_credit_note().total_gross
    with pytest.raises(UnsupportedFormat, match="not a CII"):
        read_structured(xml, "cii")
    with pytest.raises(UnsupportedFormat, match="unknown structured format"):
        read_structured(xml, "edifact")
