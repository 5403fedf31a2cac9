"""Files uploaded for a catalogue import, kept between the preview and the import.

An upload is stored under ``<data_dir>/catalog-uploads/<tenant>/<token><suffix>``: the
token is random and names nothing else, the folder is the tenant's, so an upload is found
only by an administrator of the tenant that sent it, and only with its token. It is
removed after the import is written or when it is discarded; uploads left behind are
removed a day later, at the next upload.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path
from typing import BinaryIO

UPLOADS_DIR = "catalog-uploads"
SUFFIXES = frozenset({".csv", ".txt", ".xlsx", ".xlsm"})
"""What :func:`~nex_automat.catalog.importing.read_table` reads: XLSX by suffix, else CSV."""
KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


class UploadRefused(Exception):
    """Not a file the import reads; ``message_key`` says why, for the page."""

    def __init__(self, message_key: str) -> None:
        super().__init__(message_key)
        self.message_key = message_key


def _folder(data_dir: Path, tenant_id: str) -> Path:
    return data_dir / UPLOADS_DIR / tenant_id


def store_upload(data_dir: Path, tenant_id: str, filename: str, content: BinaryIO) -> str:
    """Keep the uploaded file; returns its token."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadRefused("catalog.upload_type")
    folder = _folder(data_dir, tenant_id)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    token = secrets.token_urlsafe(16)
    with (folder / f"{token}{suffix}").open("xb") as out:
        shutil.copyfileobj(content, out)
    return token


def find_upload(data_dir: Path, tenant_id: str, token: str) -> Path | None:
    """The tenant's upload of ``token``, or ``None`` when there is none (any more)."""
    if not _TOKEN.fullmatch(token):
        return None
    folder = _folder(data_dir, tenant_id)
    for suffix in SUFFIXES:
        path = folder / f"{token}{suffix}"
        if path.is_file():
            return path
    return None


def remove_upload(path: Path) -> None:
    path.unlink(missing_ok=True)


def _remove_stale(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
