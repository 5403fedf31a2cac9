"""Moving files of the shared layout into tenant folders: every tenant that refers to a
file gets it, nothing is ever without a name, and running again finishes what a crash
interrupted."""

from __future__ import annotations

from pathlib import Path

import pytest

from nex_automat.store.db import Database
from nex_automat.store.files import DocumentFiles, sha256_hex
from nex_automat.store.tenant_folders import (
    UNREFERENCED,
    has_shared_files,
    move_to_tenant_folders,
)
from nex_automat.store.tenants import create_tenant
from tests.store.factories import add_pdf
from tests.store.shared_layout import files_under, put_shared

PDF = b"%PDF-1.7 shared invoice"
SHA = sha256_hex(PDF)
ISDOC = b"<Invoice>read</Invoice>"


@pytest.fixture
def files(tmp_path: Path) -> DocumentFiles:
    return DocumentFiles(tmp_path / "documents")


def refer(database: Database, tenant_id: str, content: bytes = PDF) -> None:
    with database.tenant_session(tenant_id) as session:
        add_pdf(session, content)


def test_a_file_of_one_tenant_moves_into_its_folder_with_its_generated_files(
    database: Database, tenants: tuple[str, str], files: DocumentFiles
) -> None:
    refer(database, "acme")
    shared = put_shared(files.root, SHA, PDF)
    put_shared(files.root, SHA, ISDOC, suffix=".isdoc.xml")

    moves = move_to_tenant_folders(database, files)

    acme = files.tenant("acme")
    assert acme.get(SHA) == PDF
    assert acme.get_derived(SHA, ".isdoc.xml") == ISDOC
    assert not shared.exists()
    assert not shared.parent.exists(), "emptied shared folders go too"
    assert (moves.copied, moves.removed, moves.unreferenced, moves.left) == (2, 2, 0, 0)
    assert not has_shared_files(files.root)


def test_a_file_two_tenants_refer_to_becomes_a_copy_for_each(
    database: Database, tenants: tuple[str, str], files: DocumentFiles
) -> None:
    refer(database, "acme")
    refer(database, "globex")
    put_shared(files.root, SHA, PDF)
    put_shared(files.root, SHA, ISDOC, suffix=".isdoc.xml")

    move_to_tenant_folders(database, files)

    acme, globex = files.tenant("acme"), files.tenant("globex")
    assert acme.get(SHA) == globex.get(SHA) == PDF
    assert acme.get_derived(SHA, ".isdoc.xml") == globex.get_derived(SHA, ".isdoc.xml") == ISDOC
    assert not acme.path(SHA).samefile(globex.path(SHA)), "each tenant owns its own copy"
    assert set(files_under(files.root)) == {
        f"{tenant}/{SHA[:2]}/{SHA[2:4]}/{SHA}{suffix}"
        for tenant in ("acme", "globex")
        for suffix in ("", ".isdoc.xml")
    }


def test_removing_one_tenants_folder_after_the_move_leaves_the_others_file(
    database: Database, tenants: tuple[str, str], files: DocumentFiles
) -> None:
    refer(database, "acme")
    refer(database, "globex")
    put_shared(files.root, SHA, PDF)
    move_to_tenant_folders(database, files)

    files.tenant("acme").path(SHA).unlink()

    assert files.tenant("globex").get(SHA) == PDF


def test_a_file_no_document_refers_to_is_set_aside_not_lost(
    database: Database, tenants: tuple[str, str], files: DocumentFiles
) -> None:
    put_shared(files.root, SHA, PDF)

    moves = move_to_tenant_folders(database, files)

    assert files_under(files.root) == {f"{UNREFERENCED}/{SHA[:2]}/{SHA[2:4]}/{SHA}": PDF}
    assert moves.unreferenced == 1
    assert not has_shared_files(files.root)


def test_a_crash_between_copying_and_removing_is_finished_by_the_next_run(
    database: Database,
    tenants: tuple[str, str],
    files: DocumentFiles,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refer(database, "acme")
    refer(database, "globex")
    other = b"%PDF-1.7 only acme's"
    refer(database, "acme", other)
    put_shared(files.root, SHA, PDF)
    put_shared(files.root, SHA, ISDOC, suffix=".isdoc.xml")
    put_shared(files.root, sha256_hex(other), other)
    before = files_under(files.root)

    def power_cut(self: Path, missing_ok: bool = False) -> None:
        raise OSError(5, "power cut")

    monkeypatch.setattr(Path, "unlink", power_cut)
    with pytest.raises(OSError, match="power cut"):
        move_to_tenant_folders(database, files)
    monkeypatch.undo()
    assert {name: data for name, data in files_under(files.root).items() if name in before} == (
        before
    ), "every shared file is still there"
    assert files.tenant("acme").get(SHA) == PDF

    move_to_tenant_folders(database, files)
    moves = move_to_tenant_folders(database, files)

    assert not has_shared_files(files.root)
    assert files.tenant("acme").get(sha256_hex(other)) == other
    assert files.tenant("globex").get_derived(SHA, ".isdoc.xml") == ISDOC
    assert moves.copied == moves.removed == 0, "a run with nothing to move changes nothing"


def test_a_tenants_own_newer_generated_file_is_kept(
    database: Database, tenants: tuple[str, str], files: DocumentFiles
) -> None:
    refer(database, "acme")
    put_shared(files.root, SHA, PDF)
    put_shared(files.root, SHA, ISDOC, suffix=".isdoc.xml")
    files.tenant("acme").put_derived(SHA, ".isdoc.xml", b"<Invoice>read again</Invoice>")

    move_to_tenant_folders(database, files)

    assert files.tenant("acme").get_derived(SHA, ".isdoc.xml") == b"<Invoice>read again</Invoice>"
    assert not has_shared_files(files.root)


def test_a_tenant_named_like_a_shared_folder_is_not_taken_for_one(
    database: Database, files: DocumentFiles
) -> None:
    with database.session() as session:
        create_tenant(session, "ab", "AB s.r.o.")
    refer(database, "ab")
    files.tenant("ab").put(PDF)
    files.tenant("ab").put(b"%PDF-1.7 another")
    before = files_under(files.root)

    assert not has_shared_files(files.root)
    move_to_tenant_folders(database, files)

    assert files_under(files.root) == before


def test_files_being_written_and_foreign_names_are_left_alone(
    database: Database, tenants: tuple[str, str], files: DocumentFiles
) -> None:
    shared = put_shared(files.root, SHA, PDF)
    temporary = shared.with_name(f".{SHA}.123.tmp")
    temporary.write_bytes(b"%PDF-1.7 half")
    foreign = shared.with_name("notes.txt")
    foreign.write_bytes(b"kept")
    refer(database, "acme")

    move_to_tenant_folders(database, files)

    assert temporary.read_bytes() == b"%PDF-1.7 half"
    assert foreign.read_bytes() == b"kept"
    assert files.tenant("acme").get(SHA) == PDF
    assert not has_shared_files(files.root)
