"""The manifest says what a set holds and cannot change unnoticed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from nex_automat.ops.backup.errors import BackupDamaged
from nex_automat.ops.backup.layout import MANIFEST
from nex_automat.ops.backup.manifest import (
    BackupKind,
    DocumentEntry,
    Manifest,
    Part,
    read_documents_index,
    read_manifest,
    write_documents_index,
    write_manifest,
)

MANIFEST_VALUE = Manifest(
    id="20261130T020000Z",
    kind=BackupKind.SCHEDULED,
    created_at=datetime(2026, 11, 30, 2, 0, tzinfo=UTC),
    finished_at=datetime(2026, 11, 30, 2, 3, 41, tzinfo=UTC),
    nex_automat_version="0.1.0",
    schema_revision="0009",
    database_kind="postgresql",
    database_version="15.20",
    database=Part("database.dump", "a" * 64, 1_000),
    documents_index=Part("documents.jsonl.gz", "b" * 64, 100),
    config=Part("config.yaml.enc", "c" * 64, 10),
    config_note=None,
    tables={"invoices": 3, "documents": 4},
    document_count=5,
    documents_bytes=50_000,
    new_blobs=2,
    new_bytes=20_000,
)


def test_a_manifest_reads_back_as_written(tmp_path: Path) -> None:
    write_manifest(tmp_path, MANIFEST_VALUE)
    assert read_manifest(tmp_path) == MANIFEST_VALUE
    assert MANIFEST_VALUE.total_bytes == 1_000 + 100 + 10 + 50_000


def test_an_edited_manifest_is_not_believed(tmp_path: Path) -> None:
    write_manifest(tmp_path, MANIFEST_VALUE)
    path = tmp_path / MANIFEST
    path.write_text(path.read_text().replace('"invoices": 3', '"invoices": 30'))
    with pytest.raises(BackupDamaged, match="does not match its checksum"):
        read_manifest(tmp_path)


def test_a_manifest_of_another_format_is_refused_by_name(tmp_path: Path) -> None:
    data = MANIFEST_VALUE.to_json() | {"format": 99}
    with pytest.raises(ValueError, match="format 99"):
        Manifest.from_json(data)


def test_the_document_list_round_trips_and_is_the_same_bytes_each_time(tmp_path: Path) -> None:
    entries = [
        DocumentEntry("ab/cd/" + "ab" * 32, "ab" * 32, 123, 1_700_000_000_000_000_000),
        DocumentEntry("ab/cd/" + "ab" * 32 + ".isdoc.xml", "cd" * 32, 45, 1_700_000_000_1),
    ]
    write_documents_index(tmp_path / "one.gz", entries)
    write_documents_index(tmp_path / "two.gz", entries)
    assert read_documents_index(tmp_path / "one.gz") == entries
    assert (tmp_path / "one.gz").read_bytes() == (tmp_path / "two.gz").read_bytes()
