"""Names from outside become plain, harmless file names, the same way everywhere."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nex_automat.filenames import MAX_NAME_CHARS, safe_filename


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Faktúra č. 7.pdf", "Faktúra č. 7.pdf"),
        ("FV-1.pdf", "FV-1.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\jan\\FV-2.pdf", "FV-2.pdf"),
        ("FV\x00-3\n.pdf", "FV_-3_.pdf"),
        ('a"b;c\r\nd.pdf', "a_b_c_d.pdf"),
        ("faktura\u202efdp.exe", "faktura_fdp.exe"),
        ("zero\u200bwidth.pdf", "zero_width.pdf"),
        ("a:b*c?d<e>f|g%h.pdf", "a_b_c_d_e_f_g_h.pdf"),
        ("   many    spaces .pdf  ", "many spaces .pdf"),
        (".htaccess", "htaccess"),
        ("CON.pdf", "document-CON.pdf"),
        ("nul", "document-nul"),
        ("..", "document"),
        ("", "document"),
        (None, "document"),
        ("e\u0301.pdf", "é.pdf"),
    ],
)
def test_a_name_from_outside_becomes_a_plain_file_name(name: str | None, expected: str) -> None:
    assert safe_filename(name) == expected


def test_the_fallback_is_the_callers() -> None:
    assert safe_filename("///", "attachment-3") == "attachment-3"


def test_a_long_name_is_shortened_keeping_its_extension() -> None:
    name = safe_filename("a" * 400 + ".pdf")
    assert name == "a" * (MAX_NAME_CHARS - 4) + ".pdf"
    assert safe_filename("b" * 400) == "b" * MAX_NAME_CHARS


@settings(max_examples=300, derandomize=True, deadline=None)
@given(name=st.text(max_size=400))
def test_any_name_is_a_single_harmless_component(name: str) -> None:
    safe = safe_filename(name)
    assert safe
    assert len(safe) <= MAX_NAME_CHARS
    assert not set(safe) & set('/\\:*?"<>|;,%')
    assert all(ch.isprintable() for ch in safe)
    assert not safe.startswith(".") and safe not in ("..", ".")
    assert safe_filename(safe) == safe
