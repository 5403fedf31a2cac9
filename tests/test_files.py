"""Putting a file's bytes under a second name: never over a file already there, never half."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from nex_automat.files import copy_into_place


def source_file(tmp_path: Path) -> Path:
    source = tmp_path / "shared" / "file"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.7 the bytes")
    return source


def test_a_link_gives_the_same_bytes_under_the_new_name(tmp_path: Path) -> None:
    source = source_file(tmp_path)
    target = tmp_path / "acme" / "ab" / "file"

    assert copy_into_place(source, target, mode=0o640, link=True)

    assert target.read_bytes() == b"%PDF-1.7 the bytes"
    assert target.samefile(source)


def test_a_copy_is_a_file_of_its_own(tmp_path: Path) -> None:
    source = source_file(tmp_path)
    target = tmp_path / "globex" / "file"

    assert copy_into_place(source, target, mode=0o640)

    assert target.read_bytes() == b"%PDF-1.7 the bytes"
    assert not target.samefile(source)
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("link", [True, False])
def test_a_file_already_under_the_name_is_kept(tmp_path: Path, *, link: bool) -> None:
    source = source_file(tmp_path)
    target = tmp_path / "file.isdoc.xml"
    target.write_bytes(b"<Invoice>newer</Invoice>")

    assert not copy_into_place(source, target, mode=0o640, link=link)

    assert target.read_bytes() == b"<Invoice>newer</Invoice>"


def test_without_hard_links_the_bytes_are_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = source_file(tmp_path)
    target = tmp_path / "share" / "file"

    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    assert copy_into_place(source, target, mode=0o640, link=True)
    monkeypatch.undo()

    assert target.read_bytes() == b"%PDF-1.7 the bytes"
    assert not target.samefile(source)
