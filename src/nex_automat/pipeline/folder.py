"""Folder intake: files dropped into a watched folder are received, then filed away.

The folder is polled (no inotify: it works the same on network shares). A file is taken
once it is stable, its size and modification time unchanged since the previous poll, so a
file still being copied in is left alone; hidden files and the usual temporary names of
copy tools and editors are never taken. After intake the file goes to ``processed/``, or
to ``failed/`` beside a ``<name>.reason.txt`` holding the error code and message. Nothing
is overwritten: a name already taken there gets a numbered suffix.

Symbolic links are never followed, not even when checking whether something is a file,
and the file is opened with ``O_NOFOLLOW``, so a link placed in the folder cannot make
intake read (or move) anything outside it. When intake fails for a reason that is not the
document's (the database is down), the file stays where it is and is tried again.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from nex_automat.errors import DocumentError, WatchedFolderUnavailable
from nex_automat.filenames import safe_filename
from nex_automat.store.documents import Arrival
from nex_automat.store.models import DocumentSource
from nex_automat.store.tenants import accepts_work

if TYPE_CHECKING:
    from nex_automat.ops.config import FolderSettings
    from nex_automat.pipeline.intake import Intake

logger = logging.getLogger(__name__)

PROCESSED_DIR = "processed"
FAILED_DIR = "failed"
REASON_SUFFIX = ".reason.txt"
TEMPORARY_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", "~")
"""Names that copy tools, browsers and editors use while a file is still being written."""
MAX_COLLISION_SUFFIX = 10_000


@dataclass(frozen=True, slots=True)
class _Seen:
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class FolderReport:
    processed: int = 0
    failed: int = 0
    waiting: int = 0
    """Files seen but not yet stable, or left for a retry."""


def is_candidate_name(name: str) -> bool:
    """Whether a file name may be an incoming document at all (not hidden, not temporary)."""
    lowered = name.lower()
    return not name.startswith(".") and not lowered.endswith(TEMPORARY_SUFFIXES)


class FolderWatcher:
    """Takes the files of one watched folder into one tenant."""

    def __init__(self, settings: FolderSettings, intake: Intake) -> None:
        self.settings = settings
        self.intake = intake
        self.folder = settings.path
        self.processed_dir = self.folder / PROCESSED_DIR
        self.failed_dir = self.folder / FAILED_DIR
        self.last_poll_ok_at: datetime | None = None
        self.last_error: str | None = None
        self._seen: dict[str, _Seen] = {}

    # ------------------------------------------------------------------------- the loop

    def run(self, stop_event: threading.Event) -> None:
        """Poll until ``stop_event`` is set; meant to be a thread's target."""
        logger.info("folder %s: watching", self.folder)
        while not stop_event.is_set():
            try:
                self.poll_once()
            except WatchedFolderUnavailable as error:
                logger.warning("folder %s: %s", self.folder, error.message)
            except Exception:
                logger.exception("folder %s: poll failed", self.folder)
            stop_event.wait(self.settings.poll_seconds)

    def poll_once(self) -> FolderReport:
        """One pass over the folder; a disabled tenant's files are left where they are."""
        if not accepts_work(self.intake.db, self.settings.tenant):
            return FolderReport()
        try:
            report = self._poll()
        except WatchedFolderUnavailable as error:
            self.last_error = f"{error.code}: {error.message}"
            raise
        except Exception as error:
            self.last_error = f"error: {error!r}"
            raise
        self.last_poll_ok_at = datetime.now(UTC)
        self.last_error = None
        return report

    # ------------------------------------------------------------------------- one poll

    def _poll(self) -> FolderReport:
        self._prepare()
        stable, waiting = self._stable_files()
        processed = failed = 0
        for name in stable:
            outcome = self._take(name)
            if outcome is True:
                processed += 1
            elif outcome is False:
                failed += 1
            else:
                waiting += 1
        return FolderReport(processed=processed, failed=failed, waiting=waiting)

    def _prepare(self) -> None:
        try:
            for folder in (self.folder, self.processed_dir, self.failed_dir):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WatchedFolderUnavailable(
                f"cannot create {error.filename}: {error.strerror}"
            ) from error

    def _stable_files(self) -> tuple[list[str], int]:
        """Regular files whose size and mtime match the previous poll's; how many wait."""
        current: dict[str, _Seen] = {}
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    if not is_candidate_name(entry.name):
                        continue
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode):
                        current[entry.name] = _Seen(info.st_size, info.st_mtime_ns)
        except OSError as error:
            raise WatchedFolderUnavailable(f"cannot list the folder: {error.strerror}") from error
        stable = sorted(name for name, seen in current.items() if self._seen.get(name) == seen)
        self._seen = current
        return stable, len(current) - len(stable)

    def _take(self, name: str) -> bool | None:
        """``True`` processed, ``False`` failed, ``None`` left for the next poll."""
        path = self.folder / name
        try:
            data = _read_regular_file(path, self.intake.max_bytes)
        except FileNotFoundError:
            self._seen.pop(name, None)
            return None
        except OSError as error:
            logger.warning("folder %s: cannot read %s: %s", self.folder, name, error.strerror)
            return None
        arrival = Arrival(
            source=DocumentSource.FOLDER,
            filename=safe_filename(name),
            received_at=datetime.now(UTC),
        )
        try:
            self.intake.receive(self.settings.tenant, data, arrival)
        except DocumentError as error:
            target = _move_without_overwriting(path, self.failed_dir, reason=error)
            logger.info("folder %s: %s failed (%s): %s", self.folder, name, error.code, target)
            self._seen.pop(name, None)
            return False
        target = _move_without_overwriting(path, self.processed_dir)
        logger.info("folder %s: %s received, moved to %s", self.folder, name, target)
        self._seen.pop(name, None)
        return True


def _read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, at most ``max_bytes + 1`` (enough for intake to refuse it), read
    without following a link that replaced the file since it was listed."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise FileNotFoundError(path)
        return stream.read(max_bytes + 1)


def _move_without_overwriting(
    source: Path, folder: Path, *, reason: DocumentError | None = None
) -> Path:
    """Move ``source`` into ``folder`` under its name, or ``name (n).ext`` when taken; with
    a ``reason``, write ``<final name>.reason.txt`` beside it first."""
    for candidate in _candidate_names(source.name):
        target = folder / candidate
        reason_file = folder / (candidate + REASON_SUFFIX)
        if reason is not None and not _create_exclusively(reason_file, _reason_text(reason)):
            continue
        if _move_exclusively(source, target):
            return target
        if reason is not None:
            reason_file.unlink()
    raise WatchedFolderUnavailable(f"no free name for {source.name} in {folder}")


def _candidate_names(name: str) -> list[str]:
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    ext = f".{suffix}" if suffix else ""
    return [name] + [f"{stem} ({n}){ext}" for n in range(1, MAX_COLLISION_SUFFIX)]


def _move_exclusively(source: Path, target: Path) -> bool:
    """Give ``source`` the name ``target`` unless that name exists; never replaces a file.

    A hard link fails when the name exists, where a rename would silently replace it; file
    systems without hard links get a rename after an existence check."""
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        return False
    except OSError:
        if target.exists() or target.is_symlink():
            return False
        source.rename(target)
        return True
    source.unlink()
    return True


def _create_exclusively(path: Path, text: str) -> bool:
    try:
        with path.open("x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        return False
    return True


def _reason_text(error: DocumentError) -> str:
    return f"code: {error.code}\nmessage: {error.message}\n"
