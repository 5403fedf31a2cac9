"""The worked example of docs/templates.md does what the page says it does.

The template is taken from the documentation itself, so the page cannot drift away from
the code: a supplier whose labels and columns the generic extractor does not know.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from nex_automat.extract.document import extract_pdf
from nex_automat.extract.pdf import read_pdf
from nex_automat.extract.templates import load_library
from tests.conftest import REPO_ROOT
from tests.extract.pdfs import BOLD, Text, make_pdf

ROWS = (
    ("CM-2501", "Cement CEM II/B-M 32,5 R 25 kg", "40,000", "vrece", "4,5600", "182,40"),
    ("TP-44", "Tehla Porotherm 44 Profi", "120,000", "ks", "3,1200", "374,40"),
    ("KS-150", "Kari sieť 150x150x6 mm", "12,000", "ks", "18,9000", "226,80"),
)


def _documented_template(folder: Path) -> Path:
    page = (REPO_ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", page, re.DOTALL)
    assert block, "docs/templates.md has a worked example in a yaml block"
    path = folder / "stavmat.yaml"
    path.write_text(block.group(1), encoding="utf-8")
    return path


def _stavmat_invoice() -> bytes:
    texts = [
        Text(40, 50, "STAVMAT s.r.o.", size=14, font=BOLD),
        Text(40, 68, "Priemyselná 12, 917 01 Trnava"),
        Text(40, 82, "IČO: 35763469   IČ DPH: SK2020123457"),
        Text(40, 96, "IBAN: SK31 1200 0000 1987 4263 7541"),
        Text(330, 50, "FAKTÚRA", size=14, font=BOLD),
        Text(330, 68, "Doklad ev. č.: 2025-0142"),
        Text(330, 82, "Dátum vystavenia: 16.09.2025"),
        Text(330, 96, "Termín úhrady: 30.09.2025"),
        Text(330, 110, "Stavba: B-1187"),
        Text(40, 140, "Odberateľ:", font=BOLD),
        Text(40, 154, "Domstav a.s."),
        Text(40, 168, "Hlavná 5, 040 01 Košice"),
        Text(40, 182, "IČO: 31333532"),
        Text(40, 220, "Obj. kód", font=BOLD),
        Text(110, 220, "Názov", font=BOLD),
        Text(370, 220, "Množstvo", font=BOLD, align="right"),
        Text(380, 220, "MJ", font=BOLD),
        Text(470, 220, "Cena", font=BOLD, align="right"),
        Text(555, 220, "Hodnota", font=BOLD, align="right"),
    ]
    for i, (code, name, quantity, unit, price, amount) in enumerate(ROWS):
        y = 238 + 16 * i
        texts += [
            Text(40, y, code),
            Text(110, y, name),
            Text(370, y, quantity, align="right"),
            Text(380, y, unit),
            Text(470, y, price, align="right"),
            Text(555, y, amount, align="right"),
        ]
    texts += [
        Text(380, 310, "Základ DPH 23 %:"),
        Text(555, 310, "783,60", align="right"),
        Text(380, 324, "DPH 23 %:"),
        Text(555, 324, "180,23", align="right"),
        Text(380, 342, "K úhrade EUR:", font=BOLD),
        Text(555, 342, "963,83", font=BOLD, align="right"),
    ]
    return make_pdf([texts])


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return _stavmat_invoice()


def test_without_the_template_the_odd_labels_are_not_understood(pdf: bytes) -> None:
    invoice = extract_pdf(pdf).invoice
    assert invoice.number != "2025-0142"
    assert invoice.due_date is None
    assert invoice.order_reference is None
    assert all(line.seller_code is None for line in invoice.lines)


def test_the_documented_template_reads_what_the_generic_extractor_missed(
    pdf: bytes, tmp_path: Path
) -> None:
    _documented_template(tmp_path)
    result = extract_pdf(pdf, templates=load_library([tmp_path]))
    invoice = result.invoice
    assert result.template == "stavmat"
    assert invoice.number == "2025-0142"
    assert invoice.due_date == date(2025, 9, 30)
    assert invoice.issue_date == date(2025, 9, 16)
    assert invoice.order_reference == "B-1187"
    assert invoice.currency == "EUR"
    assert [line.seller_code for line in invoice.lines] == [row[0] for row in ROWS]
    assert [line.net_amount for line in invoice.lines] == [
        Decimal(row[5].replace(",", ".")) for row in ROWS
    ]
    assert invoice.amount_due == Decimal("963.83")
    assert "order_reference" in result.provenance


def test_the_template_does_not_match_another_supplier(tmp_path: Path) -> None:
    _documented_template(tmp_path)
    other = make_pdf([[Text(40, 50, "Iný dodávateľ s.r.o."), Text(40, 70, "IČO: 31333532")]])
    assert load_library([tmp_path]).choose(read_pdf(other)) is None
