"""Document files in and out of the blob store."""

from __future__ import annotations

from pathlib import Path

import pytest

from nex_automat.ops.backup.blobs import BlobStore
from nex_automat.ops.backup.documents import restore_documents, take_documents
from nex_automat.ops.backup.errors import BackupDamaged
from nex_automat.ops.backup.layout import no_progress
from nex_automat.ops.backup.manifest import DocumentEntry
from nex_automat.store.files import DocumentFiles


def test_files_come_back_with_their_content_and_modification_time(tmp_path: Path) -> None:
    files = DocumentFiles(tmp_path / "documents").tenant("acme")
    sha256 = files.put(b"%PDF-1.7 faktura")
    files.put_derived(sha256, ".isdoc.xml", b"<Invoice/>")
    blobs = BlobStore(tmp_path / "blobs")
    taken = take_documents(tmp_path / "documents", blobs, [], no_progress)

    restore_documents(taken.entries, blobs, tmp_path / "restored", no_progress)

    again = DocumentFiles(tmp_path / "restored").tenant("acme")
    assert again.get(sha256) == b"%PDF-1.7 faktura"
    assert again.get_derived(sha256, ".isdoc.xml") == b"<Invoice/>"
    assert again.path(sha256).stat().st_mtime_ns == files.path(sha256).stat().st_mtime_ns


def test_the_same_content_under_two_names_is_one_blob(tmp_path: Path) -> None:
    root = tmp_path / "documents"
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
        (root / name / "file").write_bytes(b"same bytes")

    taken = take_documents(root, BlobStore(tmp_path / "blobs"), [], no_progress)

    assert len(taken.entries) == 2
    assert taken.new_blobs == 1


@pytest.mark.parametrize("path", ["../outside", "ab/../../outside", "/etc/passwd", "ab\\..\\x"])
def test_a_recorded_path_that_leaves_the_documents_folder_is_refused(
    tmp_path: Path, path: str
) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    (tmp_path / "source").write_bytes(b"x")
    sha256, size, _ = blobs.add(tmp_path / "source")
    entry = DocumentEntry(path, sha256, size, 0)

    with pytest.raises(BackupDamaged, match="not a path inside the documents folder"):
        restore_documents([entry], blobs, tmp_path / "restored", no_progress)
    assert not (tmp_path / "outside").exists()
