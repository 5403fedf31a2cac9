"""ZIP archives from strangers: every bomb and every kind of damage ends in its own code."""

from __future__ import annotations

import random
import time
import zipfile

import pytest

from nex_automat.errors import (
    ArchiveCompressionRatio,
    ArchiveTooLarge,
    ArchiveTooManyEntries,
    DamagedArchive,
    DocumentError,
    EncryptedArchive,
    UnsupportedFormat,
)
from nex_automat.extract.document import extract_document
from nex_automat.formats.archive import (
    ZipLimits,
    check_declared_size,
    file_entries,
    open_archive,
    read_entry,
)
from nex_automat.formats.isdoc import read_isdoc
from nex_automat.pipeline.mail_parts import NESTED_REASON, unpack_archive
from tests.formats.containers import isdocx
from tests.pipeline.test_mail_parts import PDF, zip_of

MIB = 1024 * 1024


def read_all(data: bytes, limits: ZipLimits) -> list[bytes]:
    """Every entry as the archive module reads it, under ``limits``."""
    with open_archive(data) as archive:
        entries = file_entries(archive, limits)
        check_declared_size(entries, limits)
        return [
            read_entry(archive, entry, max_bytes=limits.max_total_bytes, max_ratio=limits.max_ratio)
            for entry in entries
        ]


def with_declared_size(data: bytes, size: int) -> bytes:
    """The archive with every header claiming ``size`` unpacked bytes (headers can lie)."""
    patched = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = patched.find(signature)
        while start >= 0:
            patched[start + offset : start + offset + 4] = size.to_bytes(4, "little")
            start = patched.find(signature, start + 4)
    return bytes(patched)


def refused(data: bytes, limits: ZipLimits, error: type[DocumentError]) -> DocumentError:
    started = time.perf_counter()
    with pytest.raises(error) as caught:
        read_all(data, limits)
    assert time.perf_counter() - started < 1.0
    assert caught.value.code == error.code
    assert caught.value.message
    return caught.value


def test_honest_entries_come_back_whole() -> None:
    assert read_all(zip_of({"a.pdf": PDF, "b.pdf": PDF * 3}), ZipLimits()) == [PDF, PDF * 3]


def test_a_ratio_bomb_is_refused_by_its_headers() -> None:
    bomb = zip_of({"bomb.pdf": PDF + bytes(50 * MIB)})
    assert len(bomb) < 100_000
    error = refused(bomb, ZipLimits(max_total_bytes=100 * MIB), ArchiveCompressionRatio)
    assert "bomb.pdf" in error.message


def test_headers_that_understate_the_size_make_the_archive_damaged_not_a_bomb() -> None:
    """Nothing is inflated beyond the size the headers state, so a lie stops at it."""
    bomb = with_declared_size(zip_of({"bomb.pdf": PDF + bytes(50 * MIB)}), 1000)
    refused(bomb, ZipLimits(max_total_bytes=100 * MIB, max_ratio=10**6), DamagedArchive)


def test_an_archive_over_the_total_size_is_refused_before_reading() -> None:
    archive = zip_of({f"{n}.pdf": PDF * 1000 for n in range(3)})
    refused(archive, ZipLimits(max_total_bytes=2 * len(PDF) * 1000), ArchiveTooLarge)


def test_an_entry_over_the_size_left_is_refused() -> None:
    archive = zip_of({"a.pdf": bytes(range(256)) * 8000})
    with open_archive(archive) as opened:
        [entry] = file_entries(opened, ZipLimits())
        with pytest.raises(ArchiveTooLarge):
            read_entry(opened, entry, max_bytes=100_000, max_ratio=10**6)


def test_an_archive_of_too_many_entries_is_refused() -> None:
    archive = zip_of({f"{n}.pdf": PDF for n in range(11)})
    error = refused(archive, ZipLimits(max_entries=10), ArchiveTooManyEntries)
    assert "11 files" in error.message


def test_folders_do_not_count_as_entries() -> None:
    archive = zip_of({**{f"d{n}/": b"" for n in range(20)}, "a.pdf": PDF})
    assert read_all(archive, ZipLimits(max_entries=1)) == [PDF]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data.replace(b"faktura", b"faktur\x00", 1),
        lambda data: data[:40] + bytes(200) + data[240:],
        lambda data: b"PK\x03\x04" + bytes(100),
    ],
    ids=["truncated", "name_differs", "deflate_data_broken", "no_directory"],
)
def test_damaged_archives_are_damaged_archive(damage: object) -> None:
    assert callable(damage)
    archive = zip_of({"faktura.pdf": PDF * 200 + bytes(range(256)) * 4})
    refused(damage(archive), ZipLimits(), DamagedArchive)


def test_a_broken_crc_is_damage() -> None:
    archive = bytearray(zip_of({"faktura.pdf": PDF * 10}, zipfile.ZIP_STORED))
    archive[archive.find(PDF)] ^= 0xFF
    refused(bytes(archive), ZipLimits(), DamagedArchive)


def test_an_encrypted_entry_is_encrypted_archive() -> None:
    archive = bytearray(zip_of({"faktura.pdf": PDF}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        archive[archive.find(signature) + offset] |= 0x1
    refused(bytes(archive), ZipLimits(), EncryptedArchive)


def test_an_unknown_compression_method_is_unsupported() -> None:
    archive = bytearray(zip_of({"faktura.pdf": PDF}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        archive[archive.find(signature) + offset] = 99
    refused(bytes(archive), ZipLimits(), UnsupportedFormat)


# --- where archives arrive -----------------------------------------------------------


def test_an_isdocx_bomb_ends_in_its_code_through_extraction() -> None:
    bomb = isdocx({"faktura.isdoc": b"<Invoice>" + b" " * 5_000_000 + b"</Invoice>"})
    with pytest.raises(ArchiveCompressionRatio) as caught:
        extract_document(bomb)
    assert caught.value.code == "archive_compression_ratio"


def test_a_damaged_isdocx_is_damaged_archive() -> None:
    data = isdocx({"faktura.isdoc": b"<Invoice>" + bytes(range(256)) * 40 + b"</Invoice>"})
    with pytest.raises(DamagedArchive):
        read_isdoc(data[:200] + bytes(100) + data[300:])


def test_an_archive_inside_an_archive_is_opened_only_to_the_allowed_depth() -> None:
    inner = zip_of({"FV-1.pdf": PDF})
    outer = zip_of({"inner.zip": inner, "FV-2.pdf": PDF})

    documents, skipped = unpack_archive("faktury.zip", outer, ZipLimits(max_depth=1))
    assert [part.filename for part in documents] == ["FV-2.pdf"]
    assert [(part.reason, part.code) for part in skipped] == [(NESTED_REASON, "nested_archive")]

    documents, skipped = unpack_archive("faktury.zip", outer, ZipLimits(max_depth=2))
    assert [part.filename for part in documents] == ["FV-1.pdf", "FV-2.pdf"]
    assert skipped == []


def test_nested_archives_share_one_size_budget() -> None:
    inner = zip_of({"big.pdf": PDF + random.Random(5).randbytes(100_000)})
    outer = zip_of({"a.zip": inner, "b.zip": inner}, zipfile.ZIP_STORED)
    limits = ZipLimits(max_depth=2, max_total_bytes=len(inner) * 2 + 150_000)

    documents, skipped = unpack_archive("faktury.zip", outer, limits)

    assert documents == []
    assert [part.code for part in skipped] == ["archive_too_large"]


def test_an_isdocx_inside_an_archive_is_a_document_not_a_nested_archive() -> None:
    package = isdocx({"faktura.isdoc": b"<Invoice/>"})
    documents, skipped = unpack_archive(
        "faktury.zip", zip_of({"FV-3.isdocx": package}), ZipLimits()
    )
    assert [(part.filename, part.data) for part in documents] == [("FV-3.isdocx", package)]
    assert skipped == []


def test_a_mail_archive_beyond_a_limit_is_skipped_with_the_limits_code() -> None:
    bomb = zip_of({"bomb.pdf": PDF + bytes(MIB)})
    documents, skipped = unpack_archive("faktury.zip", bomb, ZipLimits())
    assert documents == []
    assert [part.code for part in skipped] == ["archive_compression_ratio"]
