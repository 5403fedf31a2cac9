"""The folder drop: each document of a hand-over as one file in the ERP's import folder.

A file appears whole or not at all: it is written under a hidden temporary name
(``.<name>.<random>.tmp``) in the same folder, flushed to disk and then given its name
(:func:`~nex_automat.files.write_atomically`), so an ERP polling the folder never reads
half a file. A name is never reused: when ``<name>.isdoc`` exists already with other
contents (another invoice with the same number, or the same invoice approved again),
the file becomes ``<name>-2.isdoc``, and so on; a file with exactly the same contents is
the same document delivered by an earlier try and is not written twice.

Names are ``<invoice number>-<supplier IČO>-<document>.<extension>``, e.g.
``FV2024_0815-36123456-receipt.isdoc``, reduced to letters, digits, ``.``, ``_`` and
``-`` so that every file system and ERP takes them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from nex_automat.catalog.handover import Receipt
from nex_automat.files import write_atomically
from nex_automat.ops.export_settings import FolderExportSettings
from nex_automat.pipeline.export.parcel import DeliveryError, Parcel

MAX_COPIES = 1000
"""Numbered names tried before giving up: more means something else is wrong."""
MAX_PART_LENGTH = 60
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_part(text: str | None) -> str:
    """``text`` as part of a file name: accents dropped, anything else unusual ``_``."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("_", plain).strip("._-")[:MAX_PART_LENGTH]


def file_stem(receipt: Receipt) -> str:
    """``<invoice number>-<supplier IČO>``, with the invoice id and the VAT id standing in
    for a missing number or IČO."""
    supplier = receipt.supplier
    number = safe_part(receipt.invoice_number) or safe_part(receipt.invoice_id[:8])
    party = safe_part(supplier.ico) or safe_part(supplier.vat_id) or "supplier"
    return f"{number}-{party}"


class FolderDrop:
    """Writes each file of a parcel into the configured folder."""

    def __init__(self, settings: FolderExportSettings) -> None:
        self.folder = settings.path

    def deliver(self, parcel: Parcel) -> str:
        """The names written, comma-separated; ``""`` when the parcel has no files."""
        if not self.folder.is_dir():
            raise DeliveryError(f"the export folder {self.folder} does not exist")
        stem = file_stem(parcel.handover.receipt)
        names = [
            self._drop(f"{stem}-{item.document}", item.extension, item.data)
            for item in parcel.files
        ]
        return ", ".join(names)

    def _drop(self, stem: str, extension: str, data: bytes) -> str:
        for copy in range(1, MAX_COPIES + 1):
            name = f"{stem}{extension}" if copy == 1 else f"{stem}-{copy}{extension}"
            path = self.folder / name
            if _holds(path, data):
                return name
            try:
                write_atomically(path, data, exclusive=True)
            except FileExistsError:
                continue
            except OSError as error:
                raise DeliveryError(f"cannot write {path}: {error.strerror or error}") from None
            return name
        raise DeliveryError(f"{MAX_COPIES} files named {stem}*{extension} exist already")


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a file with exactly ``data`` in it."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
