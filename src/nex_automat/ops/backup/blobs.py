"""Document contents kept once by their SHA-256 and shared by every backup set.

A nightly backup of a large archive therefore copies only the files that are new since
the last one; each set lists the blobs it needs, and pruning removes the blobs no set
lists any more. Files are copied and hashed in one pass, written to a temporary name,
flushed and renamed, so a blob under its final name is always whole.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from nex_automat.ops.backup.errors import BackupDamaged
from nex_automat.ops.backup.layout import FILE_MODE, FOLDER_MODE
from nex_automat.ops.backup.manifest import CHUNK, file_sha256

_SHA256 = re.compile(r"[0-9a-f]{64}")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise BackupDamaged(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str, size: int) -> bool:
        """Whether the blob is there with the right size (its content is checked by verify)."""
        try:
            return self.path(sha256).stat().st_size == size
        except FileNotFoundError:
            return False

    def add(self, source: Path) -> tuple[str, int, bool]:
        """Copy ``source`` in; returns its SHA-256, its size and whether it was new."""
        self.root.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.root, prefix=".incoming.", suffix=".tmp")
        try:
            sha256, size = _copy_hashing(source, fd)
            final = self.path(sha256)
            if final.is_file() and final.stat().st_size == size:
                Path(temporary).unlink()
                return sha256, size, False
            final.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
            Path(temporary).chmod(FILE_MODE)
            Path(temporary).replace(final)
            return sha256, size, True
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def intact(self, sha256: str) -> bool:
        """Whether the blob is there and its content still hashes to its name."""
        try:
            return file_sha256(self.path(sha256))[0] == sha256
        except FileNotFoundError:
            return False

    def copy_out(self, sha256: str, target: Path) -> int:
        """Write the blob to ``target`` (whole or not at all), checking its hash on the way."""
        return copy_checked(self.path(sha256), target, sha256)

    def hashes(self) -> Iterator[str]:
        """Every blob in the store."""
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/??/*"):
            if _SHA256.fullmatch(path.name):
                yield path.name

    def leftovers(self) -> Iterator[Path]:
        """Temporary files of copies that were interrupted."""
        if self.root.is_dir():
            yield from self.root.glob(".incoming.*.tmp")

    def remove(self, sha256: str) -> int:
        """Delete a blob; returns the bytes freed."""
        path = self.path(sha256)
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return 0
        return size


def copy_checked(source: Path, target: Path, sha256: str) -> int:
    """Copy ``source`` to ``target`` only if its content hashes to ``sha256``; returns size.

    The copy is written to a temporary name beside ``target``, flushed and renamed, so
    ``target`` is either absent or whole and right.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        copied, size = _copy_hashing(source, fd)
        if copied != sha256:
            raise BackupDamaged(f"{source.name}: its content does not match its SHA-256")
        Path(temporary).chmod(FILE_MODE)
        Path(temporary).replace(target)
        return size
    except FileNotFoundError:
        Path(temporary).unlink(missing_ok=True)
        raise BackupDamaged(f"{source.name}: missing from the backup folder") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _copy_hashing(source: Path, fd: int) -> tuple[str, int]:
    """Copy ``source`` into the open file ``fd`` (closing it, synced); its SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size
