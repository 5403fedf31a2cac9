"""Download names: a sender's file name is reduced to a harmless plain name."""

from __future__ import annotations

import pytest

from nex_automat.web.downloads import ascii_filename, content_disposition, download_filename


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("faktúra.pdf", "faktúra.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\x\\FA 1.pdf", "FA 1.pdf"),
        ('a"b;c\r\nd.pdf', "a_b_c_d.pdf"),
        ("...", "document.pdf"),
        (None, "document.pdf"),
        (".hidden", "hidden.pdf"),
    ],
)
def test_a_name_becomes_a_plain_file_name(given: str | None, expected: str) -> None:
    assert download_filename(given, "application/pdf") == expected


def test_a_long_name_is_shortened_keeping_its_extension() -> None:
    name = download_filename("a" * 400 + ".pdf", "application/pdf")
    assert len(name) <= 150
    assert name.endswith(".pdf")


def test_the_ascii_fallback_drops_accents_and_falls_back_when_nothing_is_left() -> None:
    assert ascii_filename("Faktúra č. 5.pdf") == "Faktura c. 5.pdf"
    assert ascii_filename("請求書.pdf") == "document.pdf"


def test_the_disposition_carries_both_names() -> None:
    assert content_disposition("Faktúra.pdf", "application/pdf") == (
        "attachment; filename=\"Faktura.pdf\"; filename*=UTF-8''Fakt%C3%BAra.pdf"
    )
