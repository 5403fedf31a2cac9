"""A bounded fuzz run over the PDF reader: damaged real PDFs read or are refused with a code.

The seeds are the reader tests' own PDFs (text, scans, rotated pages, many pages, an
encrypted one, compressed streams) and hybrid PDFs carrying ISDOC and Factur-X files.
Hypothesis mutates them under a fixed seed; every outcome must be a document or one of
our errors with a stable code, never another exception, and every example must finish
quickly (a hang fails the deadline). What reads is also run through the extractor, so the
words of a damaged page (huge coordinates, odd characters) are exercised as well.
"""

from __future__ import annotations

import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from nex_automat.errors import DocumentError
from nex_automat.extract.document import extract_text_document
from nex_automat.extract.layout import TextDocument
from nex_automat.extract.pdf import read_pdf
from nex_automat.formats.attachments import find_structured_attachment
from tests.extract import pdfs
from tests.formats.containers import isdocx, pdf_with_attachments
from tests.mutations import ARCHIVE_CODES, TimeBudget, assert_clear_refusal, mutated, note

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"

READER_CODES = frozenset(
    {
        "not_a_pdf",
        "empty_document",
        "encrypted_pdf",
        "unreadable",
        "too_many_pages",
        "document_too_large",
    }
)
ATTACHMENT_CODES = READER_CODES | ARCHIVE_CODES
EXTRACTION_CODES = frozenset({"no_invoice_found"})

PDF_TOKENS: tuple[bytes, ...] = (
    b"obj",
    b"endobj",
    b"stream\n",
    b"\nendstream",
    b" 0 R",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"(",
    b"\\",
    b"/Length 2147483647",
    b"/Count 2147483647",
    b"/Filter /FlateDecode",
    b"/Filter [/FlateDecode /ASCIIHexDecode /LZWDecode]",
    b"/DecodeParms << /Predictor 15 /Columns 65535 >>",
    b"/Kids [3 0 R 3 0 R 2 0 R]",
    b"/Parent 1 0 R",
    b"/Pages 3 0 R",
    b"/Encrypt 2 0 R",
    b"/Rotate 45",
    b"/MediaBox [0 0 0 0]",
    b"/MediaBox [0 0 1e38 1e38]",
    b"/CropBox [1e38 -1e38 0 0]",
    b"/Type /EmbeddedFile",
    b"/EmbeddedFiles << /Names [(a.isdoc) 1 0 R] >>",
    b"xref\n0 1\n",
    b"trailer\n<< /Root 1 0 R /Size 2147483647 >>\n",
    b"startxref\n0\n%%EOF\n",
    b"%PDF-1.7\n",
    b"BT /F1 1e30 Tf 1e30 0 0 1e30 0 0 Tm (x) Tj ET",
    b"<FEFF00",
    b"\x00",
)
"""Pieces of PDF syntax whose misplacement or misuse readers stumble on."""


def _seeds() -> list[bytes]:
    isdoc = (SAMPLES / "isdoc" / "sample.isdoc").read_bytes()
    return [
        pdfs.invoice_pdf(),
        pdfs.many_pages_pdf(3),
        pdfs.image_only_pdf(),
        pdfs.rotated_page_pdf(90, [(40, 60, "Faktura 2024001")], crop_box=(10, 10, 390, 590)),
        pdfs.decomposed_accent_pdf(),
        pdfs.encrypted_pdf("", "vlastnik"),
        pdfs.content_pdf(
            zlib.compress(b"BT /F1 12 Tf 72 770 Td (Faktura 2024001) Tj ET"),
            b"/Filter /FlateDecode",
        ),
        pdf_with_attachments({"faktura.isdoc": isdoc}),
        pdf_with_attachments({"faktura.isdocx": isdocx({"faktura.isdoc": isdoc})}),
    ]


SEEDS = _seeds()
BUDGET = TimeBudget(seconds=40)


def read_or_refuse(data: bytes) -> TextDocument | None:
    try:
        document = read_pdf(data)
    except DocumentError as error:
        assert_clear_refusal(error, READER_CODES)
        note(f"refused: {error.code}")
        return None
    note("read")
    return document


@pytest.mark.parametrize("seed", range(len(SEEDS)))
def test_every_seed_reads_cleanly(seed: int) -> None:
    """The fuzz run starts from documents the reader accepts, or it tests only refusals."""
    assert read_pdf(SEEDS[seed]).page_count >= 1


@settings(
    max_examples=1000,
    derandomize=True,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=mutated(SEEDS, PDF_TOKENS, keep=len(b"%PDF-1.")))
def test_damaged_pdfs_are_read_or_refused_with_a_code(data: bytes) -> None:
    if BUDGET.exhausted():
        return
    document = read_or_refuse(data)
    if document is None:
        return
    assert document.page_count >= 1
    try:
        extract_text_document(document)
    except DocumentError as error:
        assert_clear_refusal(error, EXTRACTION_CODES)
        note(f"extraction refused: {error.code}")
    try:
        found = find_structured_attachment(data)
    except DocumentError as error:
        assert_clear_refusal(error, ATTACHMENT_CODES)
        note(f"attachment refused: {error.code}")
    else:
        note(f"attachment: {found[0] if found else None}")
