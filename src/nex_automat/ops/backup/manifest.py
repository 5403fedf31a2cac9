"""The manifest of a backup set: what it holds, with the SHA-256 of every part.

``manifest.json`` is plain JSON a person can read; ``manifest.sha256`` beside it holds the
manifest's own SHA-256, so a changed byte in the manifest is found before anything it says
is believed. The list of document files is a part of its own (``documents.jsonl.gz``),
which keeps the manifest small however large the archive grows.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from nex_automat.files import write_atomically
from nex_automat.ops.backup.errors import BackupDamaged
from nex_automat.ops.backup.layout import FILE_MODE, MANIFEST, MANIFEST_CHECKSUM

FORMAT = 1
CHUNK = 1024 * 1024


class BackupKind(StrEnum):
    SCHEDULED = "scheduled"
    MANUAL = "manual"
    PRE_UPGRADE = "pre-upgrade"


@dataclass(frozen=True, slots=True)
class Part:
    """One file of a set and what it must hash to."""

    file: str
    sha256: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "sha256": self.sha256, "size": self.size}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Part:
        return cls(file=str(data["file"]), sha256=str(data["sha256"]), size=int(data["size"]))


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """A file of the documents folder: where it was, and the blob that holds it."""

    path: str
    """Relative to the documents folder, with ``/`` separators."""
    sha256: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Manifest:
    id: str
    kind: BackupKind
    created_at: datetime
    finished_at: datetime
    nex_automat_version: str
    schema_revision: str | None
    database_kind: str
    """``sqlite`` or ``postgresql``: a set is restored into the same kind."""
    database_version: str
    database: Part
    documents_index: Part
    config: Part | None
    config_note: str | None
    """Why the configuration is not in the set, when it is not."""
    tables: dict[str, int]
    """Rows per table, as the database held them when it was copied."""
    document_count: int
    documents_bytes: int
    new_blobs: int
    """Document contents this set added to the blob store (the rest were there already)."""
    new_bytes: int

    @property
    def total_bytes(self) -> int:
        """Everything the set holds: database, document contents, configuration."""
        config = self.config.size if self.config is not None else 0
        return self.database.size + self.documents_index.size + config + self.documents_bytes

    def parts(self) -> list[Part]:
        """The set's own files, each checked against its SHA-256."""
        parts = [self.database, self.documents_index]
        return parts if self.config is None else [*parts, self.config]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "id": self.id,
            "kind": str(self.kind),
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "versions": {
                "nex_automat": self.nex_automat_version,
                "schema_revision": self.schema_revision,
                "database_kind": self.database_kind,
                "database_version": self.database_version,
            },
            "database": self.database.to_json(),
            "documents": {
                "index": self.documents_index.to_json(),
                "count": self.document_count,
                "bytes": self.documents_bytes,
                "new_blobs": self.new_blobs,
                "new_bytes": self.new_bytes,
            },
            "config": None if self.config is None else self.config.to_json(),
            "config_note": self.config_note,
            "tables": dict(sorted(self.tables.items())),
            "total_bytes": self.total_bytes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("format") != FORMAT:
            raise ValueError(f"manifest format {data.get('format')!r}, this version reads {FORMAT}")
        versions, documents = data["versions"], data["documents"]
        config = data.get("config")
        return cls(
            id=str(data["id"]),
            kind=BackupKind(data["kind"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            finished_at=datetime.fromisoformat(data["finished_at"]),
            nex_automat_version=str(versions["nex_automat"]),
            schema_revision=versions.get("schema_revision"),
            database_kind=str(versions["database_kind"]),
            database_version=str(versions["database_version"]),
            database=Part.from_json(data["database"]),
            documents_index=Part.from_json(documents["index"]),
            config=None if config is None else Part.from_json(config),
            config_note=data.get("config_note"),
            tables={str(name): int(rows) for name, rows in data["tables"].items()},
            document_count=int(documents["count"]),
            documents_bytes=int(documents["bytes"]),
            new_blobs=int(documents["new_blobs"]),
            new_bytes=int(documents["new_bytes"]),
        )


def write_manifest(folder: Path, manifest: Manifest) -> None:
    body = (json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n").encode()
    write_atomically(folder / MANIFEST, body, mode=FILE_MODE)
    checksum = f"{hashlib.sha256(body).hexdigest()}  {MANIFEST}\n".encode()
    write_atomically(folder / MANIFEST_CHECKSUM, checksum, mode=FILE_MODE)


def read_manifest(folder: Path) -> Manifest:
    """The set's manifest, or :class:`BackupDamaged` when it does not match its checksum."""
    try:
        body = (folder / MANIFEST).read_bytes()
        recorded = (folder / MANIFEST_CHECKSUM).read_text(encoding="ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError) as error:
        raise BackupDamaged(f"{MANIFEST}: cannot be read ({error})") from None
    if hashlib.sha256(body).hexdigest() != recorded:
        raise BackupDamaged(f"{MANIFEST}: does not match its checksum in {MANIFEST_CHECKSUM}")
    try:
        return Manifest.from_json(json.loads(body))
    except (ValueError, KeyError, TypeError) as error:
        raise BackupDamaged(f"{MANIFEST}: not a manifest this version reads ({error})") from None


def file_sha256(path: Path) -> tuple[str, int]:
    """The SHA-256 and size of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def part_of(folder: Path, name: str) -> Part:
    sha256, size = file_sha256(folder / name)
    return Part(file=name, sha256=sha256, size=size)


def write_documents_index(path: Path, entries: list[DocumentEntry]) -> None:
    """The document list as gzipped JSON lines; the same list always gives the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as packed:
        for entry in entries:
            line = {
                "path": entry.path,
                "sha256": entry.sha256,
                "size": entry.size,
                "mtime_ns": entry.mtime_ns,
            }
            packed.write((json.dumps(line, separators=(",", ":")) + "\n").encode())
    write_atomically(path, buffer.getvalue(), mode=FILE_MODE)


def read_documents_index(path: Path) -> list[DocumentEntry]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            return [_entry(json.loads(line)) for line in lines if line.strip()]
    except (OSError, EOFError, ValueError, KeyError, TypeError) as error:
        raise BackupDamaged(f"{path.name}: cannot be read ({error})") from None


def _entry(data: dict[str, Any]) -> DocumentEntry:
    return DocumentEntry(
        path=str(data["path"]),
        sha256=str(data["sha256"]),
        size=int(data["size"]),
        mtime_ns=int(data["mtime_ns"]),
    )
