"""ZIP archives from strangers, opened under limits.

ISDOCX packages and the archives of documents people attach to mail are ZIPs, and ZIPs
are where decompression bombs hide. Every limit is checked before the work it bounds and
again while reading, because the sizes in ZIP headers are written by the sender and can
lie: the number of entries, the total unpacked size, each entry's compression ratio, and
how deep archives may nest. Each refusal has its own error code, and every way the
``zipfile`` module or zlib can fail on damaged bytes ends in :class:`DamagedArchive`.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from nex_automat.errors import (
    ArchiveCompressionRatio,
    ArchiveTooLarge,
    ArchiveTooManyEntries,
    DamagedArchive,
    EncryptedArchive,
    UnsupportedFormat,
)

ZIP_MAGIC = b"PK\x03\x04"

_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    OverflowError,
)
"""What ``zipfile`` raises on broken structure or data (a bad filename encoding is a
``UnicodeDecodeError``, a ``ValueError``)."""


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Bounds on unpacking one archive, and the archives inside it."""

    max_entries: int = 100
    max_total_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 100
    """Unpacked size over compressed size, per entry; real documents stay far below it."""
    max_depth: int = 1
    """Archive levels opened: 1 opens the archive itself, never an archive inside it."""


@contextmanager
def open_archive(data: bytes) -> Iterator[zipfile.ZipFile]:
    """The archive in ``data``; :class:`DamagedArchive` when it is not a readable ZIP."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _DAMAGE as error:
        raise DamagedArchive(f"damaged ZIP archive: {error}") from None
    with archive:
        yield archive


def file_entries(archive: zipfile.ZipFile, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """The archive's files (folders left out), refused when there are too many."""
    entries = [entry for entry in archive.infolist() if not entry.is_dir()]
    if len(entries) > limits.max_entries:
        raise ArchiveTooManyEntries(
            f"ZIP archive has {len(entries)} files, over {limits.max_entries}"
        )
    return entries


def check_declared_size(entries: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Refuse an archive whose headers already admit it unpacks beyond the limit."""
    declared = sum(entry.file_size for entry in entries)
    if declared > limits.max_total_bytes:
        raise ArchiveTooLarge(
            f"ZIP archive unpacks to {declared} bytes, over {limits.max_total_bytes}"
        )


def is_encrypted(entry: zipfile.ZipInfo) -> bool:
    return bool(entry.flag_bits & 0x1)


def read_entry(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, *, max_bytes: int, max_ratio: int
) -> bytes:
    """The unpacked bytes of one entry, at most ``max_bytes`` of them and compressed at
    most ``max_ratio``:1, by its headers and by what it really inflates to."""
    _check_entry(entry, entry.file_size, max_bytes, max_ratio)
    try:
        with archive.open(entry) as stream:
            content = stream.read(max_bytes + 1)
    except NotImplementedError as error:
        raise UnsupportedFormat(f"ZIP entry uses an unknown compression: {error}") from None
    except RuntimeError as error:
        raise EncryptedArchive(f"ZIP entry cannot be read: {error}") from None
    except _DAMAGE as error:
        raise DamagedArchive(f"damaged ZIP archive: {error}") from None
    _check_entry(entry, len(content), max_bytes, max_ratio)
    return content


def _check_entry(entry: zipfile.ZipInfo, size: int, max_bytes: int, max_ratio: int) -> None:
    if size > max_bytes:
        raise ArchiveTooLarge(f"ZIP archive unpacks to more than its limit of {max_bytes} bytes")
    if size > max_ratio * max(entry.compress_size, 1):
        raise ArchiveCompressionRatio(
            f"ZIP entry {entry.filename!r} is compressed suspiciously well "
            f"({size // max(entry.compress_size, 1)}:1, beyond {max_ratio}:1)"
        )
