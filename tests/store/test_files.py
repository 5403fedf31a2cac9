"""Document files: one folder per tenant, stored by SHA-256, atomically, never under a
name a sender chose."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path

import pytest

from nex_automat.store.files import DocumentFiles, InvalidFileKey, StoredFileMissing
from nex_automat.store.tenants import InvalidTenantId

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_put_stores_under_the_tenant_and_the_sha256_in_two_levels(tmp_path: Path) -> None:
    store = DocumentFiles(tmp_path).tenant("acme")
    sha256 = store.put(PDF)
    assert sha256 == hashlib.sha256(PDF).hexdigest()
    assert store.path(sha256) == tmp_path / "acme" / sha256[:2] / sha256[2:4] / sha256
    assert store.get(sha256) == PDF
    assert store.exists(sha256)


def test_same_bytes_twice_for_one_tenant_give_one_file(tmp_path: Path) -> None:
    store = DocumentFiles(tmp_path).tenant("acme")
    assert store.put(PDF) == store.put(PDF)
    assert len(_files_under(tmp_path)) == 1


def test_same_bytes_for_two_tenants_give_each_its_own_file(tmp_path: Path) -> None:
    files = DocumentFiles(tmp_path)
    acme, globex = files.tenant("acme"), files.tenant("globex")
    sha256 = acme.put(PDF)
    assert not globex.exists(sha256), "one tenant's file is not another's"

    assert globex.put(PDF) == sha256
    assert acme.path(sha256) != globex.path(sha256)
    assert _files_under(tmp_path) == sorted([acme.path(sha256), globex.path(sha256)])


def test_removing_one_tenants_files_leaves_the_others(tmp_path: Path) -> None:
    files = DocumentFiles(tmp_path)
    acme, globex = files.tenant("acme"), files.tenant("globex")
    sha256 = acme.put(PDF)
    globex.put(PDF)
    acme.put_derived(sha256, ".isdoc.xml", b"<Invoice>acme</Invoice>")
    globex.put_derived(sha256, ".isdoc.xml", b"<Invoice>globex</Invoice>")

    shutil.rmtree(acme.root)

    assert not acme.exists(sha256)
    assert globex.get(sha256) == PDF
    assert globex.get_derived(sha256, ".isdoc.xml") == b"<Invoice>globex</Invoice>"


def test_derived_files_of_a_tenant_are_its_own(tmp_path: Path) -> None:
    files = DocumentFiles(tmp_path)
    sha256 = files.tenant("acme").put(PDF)
    files.tenant("acme").put_derived(sha256, ".isdoc.xml", b"<Invoice/>")
    with pytest.raises(StoredFileMissing):
        files.tenant("globex").get_derived(sha256, ".isdoc.xml")


@pytest.mark.parametrize(
    "tenant_id",
    ["", "../x", "..", ".", "a/b", "/etc", "acme/../globex", "Acme", "_unreferenced", "a\n", "a b"],
)
def test_anything_but_a_tenant_slug_is_refused_before_a_path_is_made(
    tmp_path: Path, tenant_id: str
) -> None:
    with pytest.raises(InvalidTenantId) as refused:
        DocumentFiles(tmp_path).tenant(tenant_id)
    assert refused.value.code == "invalid_tenant_id"
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    store = DocumentFiles(tmp_path).tenant("acme")
    store.put(PDF)
    store.put(b"other")
    assert all(not p.name.startswith(".") for p in _files_under(tmp_path))


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DocumentFiles(tmp_path).tenant("acme")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        store.put(PDF)
    monkeypatch.undo()
    assert not store.exists(hashlib.sha256(PDF).hexdigest())
    assert _files_under(tmp_path) == []


def test_readers_never_see_a_partial_file(tmp_path: Path) -> None:
    store = DocumentFiles(tmp_path).tenant("acme")
    big = os.urandom(8 * 1024 * 1024)
    target = store.path(hashlib.sha256(big).hexdigest())
    seen_sizes: set[int] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            try:
                seen_sizes.add(len(target.read_bytes()))
            except FileNotFoundError:
                seen_sizes.add(0)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        store.put(big)
    finally:
        done.set()
        watcher.join()
    seen_sizes.add(len(target.read_bytes()))
    assert seen_sizes <= {0, len(big)}
    assert len(big) in seen_sizes


def test_derived_files_live_beside_the_original(tmp_path: Path) -> None:
    store = DocumentFiles(tmp_path).tenant("acme")
    sha256 = store.put(PDF)
    path = store.put_derived(sha256, ".isdoc.xml", b"<Invoice/>")
    assert path == store.path(sha256).with_name(f"{sha256}.isdoc.xml")
    assert store.get_derived(sha256, ".isdoc.xml") == b"<Invoice/>"
    store.put_derived(sha256, ".isdoc.xml", b"<Invoice>2</Invoice>")
    assert store.get_derived(sha256, ".isdoc.xml") == b"<Invoice>2</Invoice>"


@pytest.mark.parametrize(
    "key",
    [
        "../" + "a" * 61,
        "A" * 64,
        "a" * 63,
        "a" * 65,
        "/etc/passwd",
        "g" * 64,
        "a" * 64 + "\n",
    ],
)
def test_anything_but_a_lower_case_hex_sha256_is_refused(tmp_path: Path, key: str) -> None:
    store = DocumentFiles(tmp_path).tenant("acme")
    with pytest.raises(InvalidFileKey):
        store.path(key)


@pytest.mark.parametrize("suffix", ["/../x", ".xml/..", "xml", ".ISDOC", ".a b"])
def test_derived_suffix_cannot_leave_the_folder(tmp_path: Path, suffix: str) -> None:
    store = DocumentFiles(tmp_path).tenant("acme")
    with pytest.raises(InvalidFileKey):
        store.derived_path("a" * 64, suffix)


def test_missing_file_is_reported_by_its_own_error(tmp_path: Path) -> None:
    with pytest.raises(StoredFileMissing):
        DocumentFiles(tmp_path).tenant("acme").get("b" * 64)
