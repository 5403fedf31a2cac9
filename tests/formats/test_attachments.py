"""Finding the structured invoice attached to a hybrid PDF (Factur-X, ISDOC.PDF, UBL)."""

from __future__ import annotations

from pathlib import Path

import facturx
import pytest

from nex_automat.errors import DocumentTooLarge, UnreadableDocument
from nex_automat.formats.attachments import (
    Attachment,
    find_structured_attachment,
    pdf_attachments,
)
from nex_automat.formats.cii import read_cii, write_cii
from nex_automat.formats.isdoc import read_isdoc, write_isdoc
from nex_automat.formats.ubl import write_ubl
from tests.formats.as_carried import as_cii_carries
from tests.formats.containers import isdocx, pdf_with_attachments, printed_pdf
from tests.invoicegen import generate

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


def test_attachments_come_back_with_names_and_bytes_in_order() -> None:
    pdf = pdf_with_attachments({"logo.png": b"\x89PNG", "terms.txt": b"terms"})
    assert pdf_attachments(pdf) == [
        Attachment("logo.png", b"\x89PNG"),
        Attachment("terms.txt", b"terms"),
    ]


def test_attachments_beyond_the_size_limit_are_refused() -> None:
    pdf = pdf_with_attachments({"big.bin": b"x" * 5000})
    with pytest.raises(DocumentTooLarge):
        pdf_attachments(pdf, max_bytes=4096)


def test_bytes_that_are_no_pdf_are_unreadable() -> None:
    with pytest.raises(UnreadableDocument):
        pdf_attachments(b"<Invoice/>")
    with pytest.raises(UnreadableDocument):
        find_structured_attachment(b"not a pdf at all")


def test_pdf_without_invoice_attachment_gives_none() -> None:
    assert find_structured_attachment(pdf_with_attachments({"terms.txt": b"terms"})) is None
    assert find_structured_attachment(printed_pdf()) is None


def test_isdoc_pdf_gives_its_isdoc() -> None:
    xml = (SAMPLES / "isdoc" / "sample.isdoc").read_bytes()
    pdf = pdf_with_attachments({"logo.png": b"\x89PNG", "FV-111999.ISDOC": xml})
    assert find_structured_attachment(pdf) == ("isdoc", xml)


def test_isdocx_attachment_is_unpacked_to_its_isdoc() -> None:
    xml = (SAMPLES / "isdoc" / "sample.isdoc").read_bytes()
    pdf = pdf_with_attachments({"faktura.isdocx": isdocx({"faktura.isdoc": xml})})
    assert find_structured_attachment(pdf) == ("isdoc", xml)


@pytest.mark.parametrize("name", ["zugferd-invoice.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml"])
def test_zugferd_and_xrechnung_names_are_cii(name: str) -> None:
    xml = write_cii(generate(1).invoice)
    assert find_structured_attachment(pdf_with_attachments({name: xml})) == ("cii", xml)


def test_attached_ubl_is_recognised_by_its_root() -> None:
    xml = write_ubl(generate(2).invoice)
    pdf = pdf_with_attachments({"notes.xml": b"<notes/>", "einvoice.xml": xml})
    assert find_structured_attachment(pdf) == ("ubl", xml)


def test_isdoc_is_preferred_when_a_pdf_carries_several_formats() -> None:
    invoice = generate(3).invoice
    pdf = pdf_with_attachments(
        {"factur-x.xml": write_cii(invoice), "faktura.isdoc": write_isdoc(invoice)}
    )
    found = find_structured_attachment(pdf)
    assert found is not None
    assert found[0] == "isdoc"


def test_facturx_pdf_of_a_generated_invoice_reads_back_the_same_invoice() -> None:
    generated = generate(4, family="pohoda_sk")
    xml = write_cii(generated.invoice)
    pdf = facturx.generate_from_binary(generated.pdf, xml, flavor="factur-x", level="en16931")
    found = find_structured_attachment(pdf)
    assert found is not None
    fmt, attached = found
    assert fmt == "cii"
    assert read_cii(attached) == as_cii_carries(generated.invoice)


def test_isdoc_pdf_of_a_generated_invoice_reads_back_the_same_invoice() -> None:
    generated = generate(5)
    pdf = pdf_with_attachments({"faktura.isdoc": write_isdoc(generated.invoice)}, generated.pdf)
    found = find_structured_attachment(pdf)
    assert found is not None
    assert found == ("isdoc", write_isdoc(generated.invoice))
    back = read_isdoc(found[1])
    assert (back.number, back.total_net, back.total_gross) == (
        generated.invoice.number,
        generated.invoice.total_net,
        generated.invoice.total_gross,
    )
    assert len(back.lines) == len(generated.invoice.lines)
