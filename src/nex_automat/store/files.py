"""Document files, one folder per tenant, kept by their SHA-256 and written so that a crash
never leaves half a file.

A tenant's file is at ``root/<tenant_id>/ab/cd/<sha256>``, and files generated from it
(``<sha256>.isdoc.xml``, page pictures, ...) beside it. The name is the content's hash,
never the name the sender gave it, and the tenant id is checked against the slug rule of
:mod:`nex_automat.store.tenants`, so nothing a sender controls reaches the file system.
Tenants never share a file: two tenants receiving the same bytes each keep a copy, so one
tenant's files can be backed up, moved or removed without touching another's.

Every read and write goes through :meth:`DocumentFiles.tenant`, which is how no caller can
forget whose file it means.

Writing goes to a temporary file in the same directory, is flushed and fsynced, renamed
into place and the directory fsynced: once :meth:`TenantFiles.put` returns, the bytes
survive a power cut, and until then no reader can see a partial file under the final name.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from nex_automat.errors import NexError
from nex_automat.files import write_atomically
from nex_automat.store.tenants import check_tenant_id

_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"\.[a-z0-9]+(\.[a-z0-9]+)*")

FILE_MODE = 0o640


class InvalidFileKey(NexError):
    """A SHA-256 or derived-file suffix that is not of the strict expected form."""

    code = "invalid_file_key"


class StoredFileMissing(NexError):
    code = "stored_file_missing"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_sha256(sha256: str) -> str:
    if not _SHA256.fullmatch(sha256):
        raise InvalidFileKey(f"not a lower-case hex SHA-256: {sha256!r}")
    return sha256


def check_suffix(suffix: str) -> str:
    if not _SUFFIX.fullmatch(suffix):
        raise InvalidFileKey(f"a derived file suffix looks like '.isdoc.xml', got {suffix!r}")
    return suffix


def content_path(root: Path, sha256: str) -> Path:
    """Where the file ``sha256`` lives in a content-addressed folder ``root``.

    Two levels of folders by the hash's first four digits keep any one folder small.
    """
    check_sha256(sha256)
    return root / sha256[:2] / sha256[2:4] / sha256


class DocumentFiles:
    """The data directory's document store: one folder of files per tenant."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def tenant(self, tenant_id: str) -> TenantFiles:
        """The files of ``tenant_id``; :class:`InvalidTenantId` for anything but a slug."""
        return TenantFiles(self.root, tenant_id)


class TenantFiles:
    """One tenant's documents and the files generated from them."""

    def __init__(self, store_root: Path, tenant_id: str) -> None:
        self.tenant_id = check_tenant_id(tenant_id)
        self.root = store_root / tenant_id

    def path(self, sha256: str) -> Path:
        return content_path(self.root, sha256)

    def derived_path(self, sha256: str, suffix: str) -> Path:
        """Where a file generated from a document lives, e.g. ``<sha256>.isdoc.xml``."""
        original = self.path(sha256)
        return original.with_name(original.name + check_suffix(suffix))

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and return its SHA-256; storing the same bytes again is free."""
        sha256 = sha256_hex(data)
        target = self.path(sha256)
        if not target.is_file():
            write_atomically(target, data, mode=FILE_MODE)
        return sha256

    def put_derived(self, sha256: str, suffix: str, data: bytes) -> Path:
        """Store (or replace) a generated file beside the document it came from."""
        target = self.derived_path(sha256, suffix)
        write_atomically(target, data, mode=FILE_MODE)
        return target

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def get(self, sha256: str) -> bytes:
        return _read(self.path(sha256))

    def get_derived(self, sha256: str, suffix: str) -> bytes:
        return _read(self.derived_path(sha256, suffix))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise StoredFileMissing(f"no stored file {path.name}") from None
