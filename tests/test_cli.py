"""The ``nex-automat`` command as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.e2e.installation import run_cli as run
from tests.extract.pdfs import Text, encrypted_pdf, image_only_pdf, make_pdf, page_bomb_pdf
from tests.invoicegen import FAMILIES, generate


def json_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    for i, family in enumerate(FAMILIES[:3]):
        (folder / f"{i}-{family}.pdf").write_bytes(generate(i, family).pdf)
    (folder / "notes.txt").write_text("not an invoice, and not a PDF by name")
    return folder


def test_json_prints_one_contract_object_per_file_in_order(
    inbox: Path, contract_schema: dict[str, Any]
) -> None:
    files = sorted(inbox.glob("*.pdf"), reverse=True)
    completed = run("extract", *files, "--json")
    assert completed.returncode == 0, completed.stderr
    objects = json_lines(completed.stdout)
    assert [o["file"] for o in objects] == [str(f) for f in files]
    for obj in objects:
        jsonschema.validate(obj, contract_schema)
        assert obj["ok"] is True
        assert obj["source"]["method"] == "text"
        assert obj["invoice"]["number"]


def test_a_folder_means_every_pdf_directly_in_it(inbox: Path) -> None:
    completed = run("extract", inbox, "--json")
    assert completed.returncode == 0, completed.stderr
    names = [Path(o["file"]).name for o in json_lines(completed.stdout)]
    assert names == sorted(p.name for p in inbox.glob("*.pdf"))


def test_a_failed_file_is_reported_and_the_others_still_read(
    inbox: Path, tmp_path: Path, contract_schema: dict[str, Any]
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    good = next(inbox.glob("*.pdf"))
    completed = run("extract", broken, good, "--json")
    assert completed.returncode == 1
    first, second = json_lines(completed.stdout)
    jsonschema.validate(first, contract_schema)
    assert first["ok"] is False
    assert first["error"]["code"] == "unreadable"
    assert first["invoice"] is None
    assert second["ok"] is True
    assert "Traceback" not in completed.stderr


HOSTILE: dict[str, tuple[bytes, str]] = {
    "empty.pdf": (b"", "empty_document"),
    "random.pdf": (bytes(i * 7919 % 256 for i in range(4096)), "not_a_pdf"),
    "truncated.pdf": (b"", "unreadable"),
    "encrypted.pdf": (b"", "encrypted_pdf"),
    "scan.pdf": (b"", "no_text_layer"),
    "bomb.pdf": (b"", "too_many_pages"),
    "letter.pdf": (b"", "no_invoice_found"),
}


def _hostile_bytes(name: str) -> bytes:
    if name == "truncated.pdf":
        whole = generate(0, FAMILIES[0]).pdf
        return whole[: len(whole) // 3]
    if name == "encrypted.pdf":
        return encrypted_pdf("tajne", "owner")
    if name == "scan.pdf":
        return image_only_pdf()
    if name == "bomb.pdf":
        return page_bomb_pdf(100_000)
    if name == "letter.pdf":
        return make_pdf(
            [[Text(72, 72, "Vážený pán Novák,"), Text(72, 96, "ďakujeme za návštevu predajne.")]]
        )
    return HOSTILE[name][0]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_gets_its_error_code_quickly_without_traceback(
    tmp_path: Path, name: str, contract_schema: dict[str, Any]
) -> None:
    path = tmp_path / name
    path.write_bytes(_hostile_bytes(name))
    started = time.perf_counter()
    completed = run("extract", path, "--json")
    elapsed = time.perf_counter() - started
    assert completed.returncode == 1
    (obj,) = json_lines(completed.stdout)
    jsonschema.validate(obj, contract_schema)
    assert obj["error"]["code"] == HOSTILE[name][1], obj["error"]
    assert obj["error"]["message"]
    assert "Traceback" not in completed.stderr
    assert elapsed < 20, f"{name} took {elapsed:.1f} s"


def test_a_missing_file_fails_with_its_own_code(tmp_path: Path) -> None:
    completed = run("extract", tmp_path / "nope.pdf", "--json")
    assert completed.returncode == 1
    (obj,) = json_lines(completed.stdout)
    assert obj["error"]["code"] == "file_not_found"


@pytest.mark.parametrize("args", [(), ("extract",), ("extract", "x.pdf", "--bogus")])
def test_bad_usage_exits_with_2_and_prints_nothing_on_stdout(args: tuple[str, ...]) -> None:
    completed = run(*args)
    assert completed.returncode == 2
    assert completed.stdout == "" or not args


def test_a_malformed_template_folder_is_bad_usage(inbox: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("name: x\n")
    completed = run("extract", inbox, "--json", "--templates", tmp_path)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "bad.yaml" in completed.stderr


def test_without_json_a_readable_summary_is_printed(inbox: Path) -> None:
    generated = generate(0, FAMILIES[0])
    path = inbox / f"0-{FAMILIES[0]}.pdf"
    completed = run("extract", path)
    assert completed.returncode == 0, completed.stderr
    assert generated.invoice.number in completed.stdout
    assert "Supplier" in completed.stdout
