"""What a document is, from its bytes alone."""

from __future__ import annotations

import io
import zipfile

import pytest

from nex_automat.errors import UnsupportedMediaType
from nex_automat.extract.images import JPEG, PNG, TIFF
from nex_automat.extract.media import PDF, XML, ZIP, require_media_type, sniff_media_type


def test_pdf_is_known_by_its_header() -> None:
    assert sniff_media_type(b"%PDF-1.7\n...") == PDF


def test_pdf_header_behind_some_junk_in_the_first_kilobyte_is_a_pdf() -> None:
    assert sniff_media_type(b"\r\n\x00garbage" * 10 + b"%PDF-1.4\n") == PDF


def test_pdf_header_after_the_first_kilobyte_is_not_a_pdf() -> None:
    assert sniff_media_type(b"x" * 1024 + b"%PDF-1.4\n") is None


@pytest.mark.parametrize(
    "data",
    [
        b"<?xml version='1.0'?><Invoice/>",
        b"\n\t  <Invoice/>",
        b"\xef\xbb\xbf<?xml version='1.0'?><Invoice/>",
        b"\xff\xfe" + "<?xml version='1.0'?>".encode("utf-16-le"),
        b"\xfe\xff" + "  <Invoice/>".encode("utf-16-be"),
    ],
)
def test_xml_starts_with_a_tag_after_a_byte_order_mark_and_whitespace(data: bytes) -> None:
    assert sniff_media_type(data) == XML


def test_zip_is_known_by_its_local_file_header() -> None:
    assert sniff_media_type(b"PK\x03\x04\x14\x00rest of an isdocx") == ZIP


def test_zip_whose_first_entry_is_a_stored_pdf_is_a_zip() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("faktura.pdf", b"%PDF-1.7\n%%EOF\n")
    assert sniff_media_type(buffer.getvalue()) == ZIP


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", JPEG),
        (b"II*\x00\x08\x00\x00\x00", TIFF),
        (b"MM\x00*\x00\x00\x00\x08", TIFF),
    ],
)
def test_scans_and_photos_are_known_by_their_magic_bytes(data: bytes, media_type: str) -> None:
    assert sniff_media_type(data) == media_type


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a",
        b"Dobry den, v prilohe posielame fakturu.",
        b"\xef\xbb\xbfplain text with a bom",
        b"PK\x05\x06 empty zip",
    ],
)
def test_anything_else_is_unsupported(data: bytes) -> None:
    assert sniff_media_type(data) is None
    with pytest.raises(UnsupportedMediaType) as refused:
        require_media_type(data)
    assert refused.value.code == "unsupported_media_type"
