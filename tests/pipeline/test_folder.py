"""Folder intake: stable files are received and filed away; nothing is overwritten or followed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nex_automat.ops.config import FolderSettings
from nex_automat.pipeline.folder import FolderReport, FolderWatcher, is_candidate_name
from nex_automat.pipeline.intake import Intake
from nex_automat.store.db import Database
from nex_automat.store.files import DocumentFiles, sha256_hex
from nex_automat.store.models import DocumentSource, DocumentState
from nex_automat.store.tenants import set_tenant_disabled

from .conftest import MAX_BYTES
from .documents import documents

INVOICE = b"%PDF-1.4\n% FV-2024-0042\n%%EOF\n"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    return tmp_path / "inbox"


@pytest.fixture
def watcher(inbox: Path, intake: Intake, tenant: str) -> FolderWatcher:
    return FolderWatcher(FolderSettings(path=inbox, tenant=tenant, poll_seconds=0.05), intake)


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def dropped(watcher: FolderWatcher, name: str, data: bytes) -> Path:
    watcher.folder.mkdir(parents=True, exist_ok=True)
    path = watcher.folder / name
    path.write_bytes(data)
    return path


def test_stable_file_is_received_and_moved_to_processed(
    watcher: FolderWatcher, inbox: Path, database: Database, tenant: str
) -> None:
    dropped(watcher, "FV-42.pdf", INVOICE)

    first = watcher.poll_once()
    assert (first.processed, first.waiting) == (0, 1)
    second = watcher.poll_once()

    assert (second.processed, second.failed, second.waiting) == (1, 0, 0)
    [document] = documents(database)
    assert (document.tenant_id, document.source, document.filename, document.sha256) == (
        tenant,
        DocumentSource.FOLDER,
        "FV-42.pdf",
        sha256_hex(INVOICE),
    )
    assert names(inbox) == ["failed", "processed"]
    assert (inbox / "processed" / "FV-42.pdf").read_bytes() == INVOICE
    assert watcher.last_poll_ok_at is not None and watcher.last_error is None


def test_file_still_being_written_is_waited_for(
    watcher: FolderWatcher, database: Database, files: DocumentFiles
) -> None:
    path = dropped(watcher, "FV-43.pdf", INVOICE[:10])
    watcher.poll_once()
    with path.open("ab") as stream:
        stream.write(INVOICE[10:])

    assert watcher.poll_once().processed == 0
    assert watcher.poll_once().processed == 1

    [document] = documents(database)
    assert files.tenant(document.tenant_id).get(document.sha256) == INVOICE


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"Dobry den, faktura bude zajtra.", "unsupported_media_type"),
        (b"", "empty_document"),
        (b"%PDF-1.4\n" + b"0" * MAX_BYTES, "document_too_large"),
    ],
)
def test_refused_file_goes_to_failed_beside_a_reason_file(
    watcher: FolderWatcher, inbox: Path, database: Database, data: bytes, code: str
) -> None:
    dropped(watcher, "sprava.txt", data)

    watcher.poll_once()
    report = watcher.poll_once()

    assert (report.processed, report.failed) == (0, 1)
    assert documents(database) == []
    assert names(inbox / "failed") == ["sprava.txt", "sprava.txt.reason.txt"]
    assert (inbox / "failed" / "sprava.txt").read_bytes() == data
    reason = (inbox / "failed" / "sprava.txt.reason.txt").read_text()
    assert reason.startswith(f"code: {code}\nmessage: ")


def test_name_taken_in_processed_or_failed_gets_a_suffix_and_nothing_is_overwritten(
    watcher: FolderWatcher, inbox: Path, database: Database
) -> None:
    (inbox / "processed").mkdir(parents=True)
    (inbox / "failed").mkdir()
    (inbox / "processed" / "faktura.pdf").write_bytes(b"earlier")
    (inbox / "failed" / "zle.txt").write_bytes(b"earlier")
    (inbox / "failed" / "zle (1).txt.reason.txt").write_text("left by hand")

    for round_ in range(2):
        dropped(watcher, "faktura.pdf", INVOICE)
        dropped(watcher, "zle.txt", b"nie je faktura")
        watcher.poll_once()
        report = watcher.poll_once()
        assert (report.processed, report.failed) == (1, 1), round_

    assert names(inbox / "processed") == ["faktura (1).pdf", "faktura (2).pdf", "faktura.pdf"]
    assert (inbox / "processed" / "faktura.pdf").read_bytes() == b"earlier"
    assert names(inbox / "failed") == [
        "zle (1).txt.reason.txt",
        "zle (2).txt",
        "zle (2).txt.reason.txt",
        "zle (3).txt",
        "zle (3).txt.reason.txt",
        "zle.txt",
    ]
    assert (inbox / "failed" / "zle (1).txt.reason.txt").read_text() == "left by hand"
    assert [doc.state for doc in documents(database)] == [
        DocumentState.RECEIVED,
        DocumentState.DUPLICATE,
    ]


def test_hidden_and_temporary_files_are_left_alone(
    watcher: FolderWatcher, inbox: Path, database: Database
) -> None:
    waiting = [".FV-1.pdf", "FV-2.pdf.part", "FV-3.pdf.crdownload", "FV-4.tmp", "FV-5.pdf~"]
    for name in waiting:
        dropped(watcher, name, INVOICE)

    watcher.poll_once()
    watcher.poll_once()

    assert documents(database) == []
    assert set(waiting) <= set(names(inbox))


@pytest.mark.parametrize(
    ("name", "taken"),
    [("FV-1.pdf", True), ("faktura", True), (".DS_Store", False), ("FV-2.PDF.TMP", False)],
)
def test_candidate_names(name: str, taken: bool) -> None:
    assert is_candidate_name(name) is taken


def test_symbolic_link_is_never_followed_out_of_the_folder(
    watcher: FolderWatcher, inbox: Path, tmp_path: Path, database: Database
) -> None:
    outside = tmp_path / "elsewhere.pdf"
    outside.write_bytes(INVOICE)
    inbox.mkdir()
    (inbox / "odkaz.pdf").symlink_to(outside)
    (inbox / "priecinok").symlink_to(tmp_path)

    watcher.poll_once()
    watcher.poll_once()

    assert documents(database) == []
    assert (inbox / "odkaz.pdf").is_symlink() and outside.read_bytes() == INVOICE
    assert names(inbox / "processed") == [] and names(inbox / "failed") == []


def test_run_takes_files_until_stopped(watcher: FolderWatcher, database: Database) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    try:
        dropped(watcher, "FV-50.pdf", INVOICE)
        _wait_for(lambda: len(documents(database)) == 1)
    finally:
        stop.set()
        thread.join(timeout=10)

    assert not thread.is_alive()
    assert (watcher.folder / "processed" / "FV-50.pdf").exists()


def _wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def test_a_disabled_tenants_folder_is_left_alone_until_it_is_enabled(
    watcher: FolderWatcher, inbox: Path, database: Database, tenant: str
) -> None:
    dropped(watcher, "FV-44.pdf", INVOICE)
    with database.session() as session:
        set_tenant_disabled(session, tenant, True)

    for _ in range(3):
        assert watcher.poll_once() == FolderReport()
    assert names(inbox) == ["FV-44.pdf"]
    assert documents(database) == []

    with database.session() as session:
        set_tenant_disabled(session, tenant, False)
    watcher.poll_once()
    assert watcher.poll_once().processed == 1
    assert names(inbox / "processed") == ["FV-44.pdf"]
