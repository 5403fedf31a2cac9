"""Document files kept by their SHA-256, written so that a crash never leaves half a file.

A file is at ``root/ab/cd/<sha256>``: the name is the content's hash, never the name the
sender gave it, so nothing a sender controls reaches the file system. Writing goes to a
temporary file in the same directory, is flushed and fsynced, renamed into place and the
directory fsynced: once :meth:`DocumentFiles.put` returns, the bytes survive a power cut,
and until then no reader can see a partial file under the final name.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from nex_automat.errors import NexError
from nex_automat.files import write_atomically

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"\.[a-z0-9]+(\.[a-z0-9]+)*")


class InvalidFileKey(NexError):
    """A SHA-256 or derived-file suffix that is not of the strict expected form."""

    code = "invalid_file_key"


class StoredFileMissing(NexError):
    code = "stored_file_missing"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_sha256(sha256: str) -> str:
    if not _SHA256.fullmatch(sha256):
        raise InvalidFileKey(f"not a lower-case hex SHA-256: {sha256!r}")
    return sha256


def _check_suffix(suffix: str) -> str:
    if not _SUFFIX.fullmatch(suffix):
        raise InvalidFileKey(f"a derived file suffix looks like '.isdoc.xml', got {suffix!r}")
    return suffix


class DocumentFiles:
    """The data directory's document store."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        _check_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def derived_path(self, sha256: str, suffix: str) -> Path:
        """Where a file generated from a document lives, e.g. ``<sha256>.isdoc.xml``."""
        original = self.path(sha256)
        return original.with_name(original.name + _check_suffix(suffix))

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and return its SHA-256; storing the same bytes again is free."""
        sha256 = sha256_hex(data)
        target = self.path(sha256)
        if not target.is_file():
            write_atomically(target, data, mode=0o640)
        return sha256

    def put_derived(self, sha256: str, suffix: str, data: bytes) -> Path:
        """Store (or replace) a generated file beside the document it came from."""
        target = self.derived_path(sha256, suffix)
        write_atomically(target, data, mode=0o640)
        return target

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def get(self, sha256: str) -> bytes:
        return self._read(self.path(sha256))

    def get_derived(self, sha256: str, suffix: str) -> bytes:
        return self._read(self.derived_path(sha256, suffix))

    @staticmethod
    def _read(path: Path) -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise StoredFileMissing(f"no stored file {path.name}") from None
