"""Files on disk: which ones a command means, and writing them so a crash leaves no half."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path


def write_atomically(
    path: Path, data: bytes, *, mode: int = 0o644, exclusive: bool = False
) -> None:
    """Write ``data`` to ``path``: whole or not at all, and on disk before returning.

    The bytes go to a temporary file in the same folder, are flushed to disk, and the file
    is then renamed over ``path`` (a rename within one file system is atomic) and the folder
    synced, so the new name survives a power cut too.

    With ``exclusive`` a file already at ``path`` is left alone and ``FileExistsError``
    raised: the name is taken with a hard link, which fails when it exists, where a
    rename would replace it.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(mode)
        if exclusive:
            _take_name(Path(temporary), path)
        else:
            Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(folder)


def sync_folder(folder: Path) -> None:
    """Make a name created, renamed or removed in ``folder`` survive a power cut (where
    folders can be synced)."""
    if os.name == "nt":
        return
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def copy_into_place(source: Path, target: Path, *, mode: int, link: bool = False) -> bool:
    """Give ``target`` the bytes of ``source`` unless a file has that name already.

    Returns whether it wrote ``target``. ``target`` is never half a file, and its name is on
    disk before this returns. With ``link`` a hard link is tried first, which costs neither
    time nor space; where the file system has none, the bytes are copied.
    """
    if link:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS | {errno.EXDEV}:
                raise
        else:
            sync_folder(target.parent)
            return True
    try:
        write_atomically(target, source.read_bytes(), mode=mode, exclusive=True)
    except FileExistsError:
        return False
    return True


_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})


def _take_name(source: Path, target: Path) -> None:
    """Give ``source`` the name ``target`` unless a file has it already.

    Some network shares have no hard links; there the name is checked, then renamed to,
    which leaves a moment in which another writer could take it.
    """
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if target.exists():
            raise FileExistsError(errno.EEXIST, "file exists", str(target)) from None
        source.rename(target)
        return
    source.unlink()


DOCUMENT_SUFFIXES = frozenset(
    {".pdf", ".isdoc", ".isdocx", ".xml", ".jpg", ".jpeg", ".png", ".tif", ".tiff"}
)
"""What a folder argument picks up; a file named explicitly is read whatever its name."""


def expand_documents(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and in each folder named, the documents directly in it, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file()
            )
        else:
            yield path
