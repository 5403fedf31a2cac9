"""Broken, hostile and unusual files end in one of our errors, quickly, or read cleanly."""

from __future__ import annotations

import random
import time

import pytest

from nex_automat.errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedPdf,
    NotAPdf,
    TooManyPages,
    UnreadableDocument,
)
from nex_automat.extract.layout import TextDocument
from nex_automat.extract.pdf import has_text, read_pdf, text_char_counts
from tests.extract import pdfs

FAST = 1.0
"""Seconds: a hostile file must be refused well within this, never by doing the work."""


@pytest.fixture(scope="module")
def valid_pdf() -> bytes:
    return pdfs.invoice_pdf()


def refused(data: bytes, error: type[DocumentError], **limits: int) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        read_pdf(data, **limits)
    assert type(caught.value) is error
    assert caught.value.code == error.code
    assert caught.value.message
    return caught.value


def read_or_refused_as_unreadable(data: bytes) -> TextDocument | None:
    try:
        return read_pdf(data)
    except DocumentError as error:
        assert type(error) is UnreadableDocument, error
        return None


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "], ids=["zero_bytes", "whitespace"])
def test_empty_file_is_an_empty_document(data: bytes) -> None:
    refused(data, EmptyDocument)


def test_random_bytes_are_not_a_pdf() -> None:
    data = random.Random(7).randbytes(4096)

    refused(data, NotAPdf)


def test_text_file_is_not_a_pdf() -> None:
    refused("Faktúra č. 2024001\nSpolu: 12,50 €\n".encode() * 50, NotAPdf)


def test_pdf_header_after_the_first_kilobyte_is_not_a_pdf(valid_pdf: bytes) -> None:
    refused(b" " * 1024 + valid_pdf, NotAPdf)


def test_pdf_header_behind_a_little_junk_is_still_read(valid_pdf: bytes) -> None:
    document = read_pdf(b"junk from a mail gateway\r\n" + valid_pdf)

    assert document.page_count == 1
    assert has_text(document)


def test_garbage_behind_a_pdf_header_is_unreadable() -> None:
    refused(b"%PDF-1.7\n" + random.Random(3).randbytes(2048), UnreadableDocument)


@pytest.mark.parametrize("fraction", [0.4, 0.7, 0.95])
def test_truncated_pdf_is_unreadable_or_read(valid_pdf: bytes, fraction: float) -> None:
    read_or_refused_as_unreadable(valid_pdf[: int(len(valid_pdf) * fraction)])


@pytest.mark.parametrize("source", ["reportlab", "hand_written"])
def test_damaged_bytes_never_escape_as_another_exception(valid_pdf: bytes, source: str) -> None:
    original = valid_pdf if source == "reportlab" else pdfs.many_pages_pdf(3)
    rng = random.Random(11)
    for _ in range(30):
        damaged = bytearray(original)
        for _ in range(5):
            damaged[rng.randrange(16, len(damaged))] = rng.randrange(256)
        read_or_refused_as_unreadable(bytes(damaged))


def test_pdf_with_a_user_password_is_encrypted() -> None:
    error = refused(pdfs.encrypted_pdf("tajne", "vlastnik"), EncryptedPdf)

    assert "password" in error.message


def test_pdf_with_only_an_owner_password_opens() -> None:
    document = read_pdf(pdfs.encrypted_pdf("", "vlastnik"))

    assert [word.text for word in document.pages[0].words] == ["Faktúra", "č.", "2024001"]


def test_image_only_pdf_reads_with_no_words() -> None:
    document = read_pdf(pdfs.image_only_pdf())

    assert document.page_count == 1
    assert document.pages[0].words == []
    assert document.pages[0].lines == []
    assert text_char_counts(document) == [0]
    assert not has_text(document)


@pytest.mark.parametrize("repeat_kids", [False, True], ids=["count_lies", "same_page_repeated"])
def test_page_bomb_is_refused_before_any_page_is_loaded(repeat_kids: bool) -> None:
    data = pdfs.page_bomb_pdf(100_000, repeat_kids=repeat_kids)

    started = time.perf_counter()
    error = refused(data, TooManyPages)

    assert time.perf_counter() - started < FAST
    assert "100,000" in error.message


def test_document_with_thousands_of_real_pages_is_refused_quickly() -> None:
    data = pdfs.many_pages_pdf(5000)

    started = time.perf_counter()
    refused(data, TooManyPages)

    assert time.perf_counter() - started < FAST


def test_page_limit_is_inclusive() -> None:
    data = pdfs.many_pages_pdf(3)

    assert read_pdf(data, max_pages=3).page_count == 3
    refused(data, TooManyPages, max_pages=2)


def test_file_over_the_size_limit_is_refused_before_parsing(valid_pdf: bytes) -> None:
    refused(valid_pdf, DocumentTooLarge, max_bytes=len(valid_pdf) - 1)
    assert read_pdf(valid_pdf, max_bytes=len(valid_pdf)).page_count == 1


def test_default_size_limit_is_fifty_megabytes() -> None:
    data = b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024)

    started = time.perf_counter()
    refused(data, DocumentTooLarge)

    assert time.perf_counter() - started < FAST


def test_pdf_without_pages_is_unreadable() -> None:
    data = pdfs.raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )

    error = refused(data, UnreadableDocument)

    assert "no pages" in error.message


def test_page_that_does_not_exist_makes_the_document_unreadable() -> None:
    data = pdfs.raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [9 0 R] /Count 1 >>"]
    )

    refused(data, UnreadableDocument)
