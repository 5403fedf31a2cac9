"""XLSX exports read as a person sees their cells, fast, and without trusting the file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from nex_automat.catalog.xlsx import XlsxError, sheet_rows


def test_cells_read_as_shown_with_gaps_kept(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Produkty"
    sheet.append(["PLU", "Názov", "EAN", "Cena", "DPH", "Aktívny"])
    sheet.append([10001, "Cement PC 25 kg", 8586000000018, 4.2, 23, True])
    sheet.append(["10002", "Tehla „plná“", None, 0.1 + 0.2, 12.5, False])
    sheet["B6"] = "ďalší riadok"
    front = book.create_sheet("Poznámky", index=0)
    front.append(["nie táto"])
    book.move_sheet("Produkty", offset=-1)
    book.save(tmp_path / "export.xlsx")
    assert list(sheet_rows(tmp_path / "export.xlsx")) == [
        ["PLU", "Názov", "EAN", "Cena", "DPH", "Aktívny"],
        ["10001", "Cement PC 25 kg", "8586000000018", "4.2", "23", "1"],
        ["10002", "Tehla „plná“", "", "0.3", "12.5", "0"],
        [],
        [],
        ["", "ďalší riadok"],
    ]


def test_inline_strings_of_streamed_workbooks_are_read(tmp_path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Skupiny")
    sheet.append(["Kód", "Názov"])
    sheet.append(["CEM", "Cementy a vápna"])
    book.save(tmp_path / "streamed.xlsx")
    assert list(sheet_rows(tmp_path / "streamed.xlsx")) == [
        ["Kód", "Názov"],
        ["CEM", "Cementy a vápna"],
    ]


def test_entities_in_the_file_are_not_expanded(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Kód", "PLACEHOLDER"])
    book.save(tmp_path / "plain.xlsx")
    with (
        zipfile.ZipFile(tmp_path / "plain.xlsx") as source,
        zipfile.ZipFile(tmp_path / "entity.xlsx", "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                text = data.decode("utf-8")
                declaration = '<!DOCTYPE sst [<!ENTITY boom "BOOM-BOOM">]>'
                text = text.replace("?>", "?>" + declaration, 1).replace("PLACEHOLDER", "x&boom;")
                data = text.encode("utf-8")
            target.writestr(item, data)
    [header] = list(sheet_rows(tmp_path / "entity.xlsx"))
    assert header[0] == "Kód"
    assert "BOOM" not in header[1]


def test_a_file_that_is_no_workbook_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(XlsxError):
        list(sheet_rows(tmp_path / "fake.xlsx"))
    with zipfile.ZipFile(tmp_path / "empty.xlsx", "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(XlsxError):
        list(sheet_rows(tmp_path / "empty.xlsx"))
