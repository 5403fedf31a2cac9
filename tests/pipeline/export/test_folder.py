"""The folder drop: whole files only, one per document, never over another document."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from nex_automat.catalog.handover_files import ExportFile, render
from nex_automat.ops.export_settings import FolderExportSettings
from nex_automat.pipeline.export.folder import FolderDrop, file_stem, safe_part
from nex_automat.pipeline.export.parcel import DeliveryError, Parcel
from tests.catalog.handovers import sample_handover

STEM = "FV2024_0815-36123456"


def drop(folder: Path) -> FolderDrop:
    return FolderDrop(FolderExportSettings(kind="folder", path=folder))


def parcel(export_format: str = "isdoc", files: list[ExportFile] | None = None) -> Parcel:
    handover = sample_handover()
    return Parcel(handover, files or render(handover, export_format), key="k")


def test_each_document_becomes_one_file_named_by_invoice_and_supplier(tmp_path: Path) -> None:
    target = drop(tmp_path).deliver(parcel("csv"))
    names = [
        f"{STEM}-receipt.csv",
        f"{STEM}-new-products.csv",
        f"{STEM}-price-changes.csv",
    ]
    assert target == ", ".join(names)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    expected = {
        f"{STEM}-{item.document}.csv": item.data for item in render(sample_handover(), "csv")
    }
    assert {name: (tmp_path / name).read_bytes() for name in names} == expected


def test_names_are_plain_ascii_whatever_the_invoice_says() -> None:
    receipt = sample_handover().receipt
    odd = replace(receipt, invoice_number=" FV/2024\\..čís:ľo*1 ")
    assert file_stem(odd) == "FV_2024_..cis_lo_1-36123456"
    assert safe_part("../../etc/passwd") == "etc_passwd"
    nameless = replace(
        receipt, invoice_number=None, supplier=replace(receipt.supplier, ico=None, vat_id=None)
    )
    assert file_stem(nameless) == "4f0c7a52-supplier"


def test_another_document_of_the_same_name_is_never_overwritten(tmp_path: Path) -> None:
    taken = tmp_path / f"{STEM}-receipt.isdoc"
    taken.write_bytes(b"<another invoice/>")
    target = drop(tmp_path).deliver(parcel())
    assert target == f"{STEM}-receipt-2.isdoc"
    assert taken.read_bytes() == b"<another invoice/>"
    assert (tmp_path / target).read_bytes() == parcel().files[0].data


def test_a_document_already_delivered_by_an_earlier_try_is_not_written_twice(
    tmp_path: Path,
) -> None:
    first = drop(tmp_path).deliver(parcel("csv"))
    again = drop(tmp_path).deliver(parcel("csv"))
    assert again == first
    assert len(list(tmp_path.iterdir())) == 3


def test_a_missing_folder_fails_the_try_and_is_not_created(tmp_path: Path) -> None:
    folder = tmp_path / "unmounted-share"
    with pytest.raises(DeliveryError, match="does not exist"):
        drop(folder).deliver(parcel())
    assert not folder.exists()


def test_a_reader_polling_the_folder_never_sees_half_a_file(tmp_path: Path) -> None:
    """An ERP reads whatever appears; each file must appear with all its bytes at once."""
    size = 8 * 1024 * 1024
    big = [ExportFile(f"part{n}", ".csv", "text/csv", bytes([65 + n]) * size) for n in range(3)]
    seen: dict[str, set[int]] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for path in tmp_path.iterdir():
                if path.name.startswith("."):
                    continue
                try:
                    seen.setdefault(path.name, set()).add(path.stat().st_size)
                except FileNotFoundError:
                    continue

    reader = threading.Thread(target=watch)
    reader.start()
    try:
        drop(tmp_path).deliver(parcel(files=big))
    finally:
        done.set()
        reader.join()
    names = {f"{STEM}-part{n}.csv" for n in range(3)}
    assert set(seen) <= names
    assert all(sizes == {size} for sizes in seen.values()), seen
    assert {p.name for p in tmp_path.iterdir()} == names
