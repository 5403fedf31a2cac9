"""The VAT recap per rate and the totals are read by their labels; nothing is computed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nex_automat.domain.model import VatRow
from nex_automat.extract.labelled import LabelledText
from nex_automat.extract.labels import label_table
from nex_automat.extract.pdf import read_pdf
from nex_automat.extract.totals import Totals, read_totals
from tests.extract.pdfs import Text, make_pdf


def totals(*texts: Text) -> Totals:
    doc = read_pdf(make_pdf([list(texts)]))
    return read_totals(LabelledText(doc.lines, label_table()), decimal_separator=",")


def row(top: float, *cells: tuple[float, str]) -> list[Text]:
    return [Text(x, top, cell, 9, align="right") for x, cell in cells]


def labelled(top: float, label: str, value: str) -> list[Text]:
    return [Text(340, top, label), Text(555, top, value, align="right")]


RECAP = [
    Text(40, 500, "Rekapitulácia DPH"),
    *row(515, (70, "Sadzba"), (160, "Základ"), (230, "DPH"), (300, "Spolu")),
    *row(527, (70, "23 %"), (160, "1 000,00"), (230, "230,00"), (300, "1 230,00")),
    *row(539, (70, "5 %"), (160, "100,00"), (230, "5,00"), (300, "105,00")),
    *row(551, (70, "0 %"), (160, "0,00"), (230, "0,00"), (300, "0,00")),
]


def test_recap_table_rows_in_printed_order_with_zero_rate_kept() -> None:
    found = totals(*RECAP)
    assert found.vat_breakdown == [
        VatRow(Decimal("23"), Decimal("1000.00"), Decimal("230.00")),
        VatRow(Decimal("5"), Decimal("100.00"), Decimal("5.00")),
        VatRow(Decimal("0"), Decimal("0.00"), Decimal("0.00")),
    ]
    assert found.provenance["vat_breakdown[1].base"].top > 530


def test_recap_total_row_gives_the_totals() -> None:
    found = totals(
        *RECAP[:9], *row(539, (70, "Spolu"), (160, "1 000,00"), (230, "230,00"), (300, "1 230,00"))
    )
    assert found.values == {
        "total_net": Decimal("1000.00"),
        "total_vat": Decimal("230.00"),
        "total_gross": Decimal("1230.00"),
    }


def test_recap_as_labelled_lines() -> None:
    found = totals(
        Text(340, 700, "Základ DPH 23 %: 1 234,56"),
        Text(480, 700, "DPH 23 %: 283,95"),
        Text(340, 712, "Základ dane 5 %: 10,00"),
        Text(480, 712, "DPH 5 %: 0,50"),
    )
    assert found.vat_breakdown == [
        VatRow(Decimal("23"), Decimal("1234.56"), Decimal("283.95")),
        VatRow(Decimal("5"), Decimal("10.00"), Decimal("0.50")),
    ]


def test_labelled_totals() -> None:
    found = totals(
        *labelled(700, "Spolu bez DPH:", "1 100,00 €"),
        *labelled(712, "DPH spolu:", "235,00 €"),
        *labelled(724, "Spolu s DPH:", "1 335,00 €"),
        *labelled(736, "Zaokrúhlenie:", "-0,02 €"),
        *labelled(748, "Spolu k úhrade:", "1 334,98 €"),
    )
    assert found.values == {
        "total_net": Decimal("1100.00"),
        "total_vat": Decimal("235.00"),
        "total_gross": Decimal("1335.00"),
        "rounding": Decimal("-0.02"),
        "amount_due": Decimal("1334.98"),
    }


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Celkem bez DPH:", "total_net"),
        ("Základ spolu", "total_net"),
        ("DPH celkem", "total_vat"),
        ("Celkom DPH:", "total_vat"),
        ("Celkem s DPH:", "total_gross"),
        ("Celkom:", "total_gross"),
        ("Haléřové vyrovnání", "rounding"),
        ("Celkem k úhradě:", "amount_due"),
        ("K zaplacení", "amount_due"),
        ("Amount due", "amount_due"),
    ],
)
def test_each_total_label(label: str, field: str) -> None:
    assert totals(*labelled(700, label, "12,30 Kč")).values == {field: Decimal("12.30")}


def test_only_an_amount_due_leaves_the_gross_total_absent() -> None:
    found = totals(*labelled(700, "Spolu k úhrade:", "1 334,98 €"))
    assert found.values == {"amount_due": Decimal("1334.98")}


def test_credit_note_keeps_the_printed_sign() -> None:
    found = totals(*labelled(700, "Spolu s DPH:", "-1 230,00"), *labelled(712, "DPH:", "-230,00"))
    assert found.values == {"total_gross": Decimal("-1230.00"), "total_vat": Decimal("-230.00")}


def test_value_below_its_label() -> None:
    found = totals(Text(400, 700, "Celkem k úhradě"), Text(400, 712, "2 859,42 CZK"))
    assert found.values == {"amount_due": Decimal("2859.42")}


def test_ico_digits_are_not_amounts() -> None:
    assert totals(Text(40, 700, "IČO: 35757442")).values == {}


def boxed(top: float, label: str, value: str) -> list[Text]:
    """A framed total: a small label in the box's top-left corner, the amount right-aligned
    under it."""
    return [Text(370, top, label, 6), Text(560, top + 10, value, 9, align="right")]


def test_totals_in_boxes_with_the_amount_right_aligned_under_the_label() -> None:
    found = totals(
        *boxed(700, "ZÁKLAD CELKEM", "1 925,52 CZK"),
        *boxed(722, "DPH CELKEM", "404,37 CZK"),
        *boxed(744, "CELKEM VČ. DPH", "2 329,89 CZK"),
        *boxed(766, "ZAOKROUHLENÍ", "0,11 CZK"),
        *boxed(788, "CELKEM K ÚHRADĚ", "2 330,00 CZK"),
    )
    assert found.values == {
        "total_net": Decimal("1925.52"),
        "total_vat": Decimal("404.37"),
        "total_gross": Decimal("2329.89"),
        "rounding": Decimal("0.11"),
        "amount_due": Decimal("2330.00"),
    }


def test_boxes_side_by_side_keep_their_own_amounts() -> None:
    found = totals(
        Text(300, 700, "ZÁKLAD CELKEM", 6),
        Text(440, 700, "DPH CELKEM", 6),
        Text(430, 710, "1 000,00", 9, align="right"),
        Text(560, 710, "210,00", 9, align="right"),
    )
    assert found.values == {"total_net": Decimal("1000.00"), "total_vat": Decimal("210.00")}


def test_bilingual_recap_table_with_the_currency_after_every_amount() -> None:
    found = totals(
        Text(40, 500, "Sadzba DPH / VAT rate Základ / Base", 8),
        *row(500, (230, "DPH / VAT"), (300, "Spolu / Total")),
        *row(512, (60, "20 %"), (170, "766,70 €"), (230, "153,33 €"), (300, "920,03 €")),
        *row(524, (60, "10 %"), (170, "14,18 €"), (230, "1,42 €"), (300, "15,60 €")),
    )
    assert found.vat_breakdown == [
        VatRow(Decimal("20"), Decimal("766.70"), Decimal("153.33")),
        VatRow(Decimal("10"), Decimal("14.18"), Decimal("1.42")),
    ]


def test_recap_amounts_run_together_are_read_into_their_columns() -> None:
    found = totals(
        *row(500, (70, "Sazba"), (170, "Základ"), (230, "DPH"), (300, "Celkem")),
        *row(512, (70, "21 %"), (300, "-189 581,82 Kč -39 812,18 Kč -229 394,00 Kč")),
    )
    assert found.vat_breakdown == [
        VatRow(Decimal("21"), Decimal("-189581.82"), Decimal("-39812.18"))
    ]


@pytest.mark.parametrize(
    ("base", "vat"),
    [
        ("Základ dane v sadzbe 23 %:", "Daň 23 %:"),
        ("Základ DPH 23 %:", "Výška DPH 23 %:"),
        ("Základ 23 %:", "DPH 23 %:"),
    ],
)
def test_recap_line_wordings(base: str, vat: str) -> None:
    found = totals(
        Text(40, 700, base),
        Text(260, 700, "3.224,40 EUR", align="right"),
        Text(280, 700, vat),
        Text(480, 700, "741,62 EUR", align="right"),
    )
    assert found.vat_breakdown == [VatRow(Decimal("23"), Decimal("3224.40"), Decimal("741.62"))]


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("K úhrade / To pay", "amount_due"),
        ("Základ dane / Tax base", "total_net"),
        ("DPH / VAT", "total_vat"),
        ("Celkom / Total", "total_gross"),
        ("Suma na úhradu / Amount due:", "amount_due"),
    ],
)
def test_bilingual_total_labels_are_read_by_either_language(label: str, field: str) -> None:
    assert totals(*labelled(700, label, "12,30 €")).values == {field: Decimal("12.30")}


def test_amount_run_into_the_other_language_of_its_label() -> None:
    found = totals(Text(300, 700, "Celkem k úhradě / Amount due10 730,00 Kč"))
    assert found.values == {"amount_due": Decimal("10730.00")}


def test_vat_total_with_two_rates_comes_from_the_vat_total_not_a_recap_row() -> None:
    found = totals(
        Text(40, 500, "Sadzba DPH / VAT rate", 8),
        *row(500, (170, "Základ / Base"), (230, "DPH / VAT")),
        *row(512, (60, "20 %"), (170, "766,70 €"), (230, "153,33 €")),
        *row(524, (60, "10 %"), (170, "14,18 €"), (230, "1,42 €")),
        *labelled(512, "DPH / VAT", "154,75 €"),
    )
    assert found.values["total_vat"] == Decimal("154.75")


@pytest.mark.parametrize(
    "label",
    [
        "Uhradené zálohou:",
        "Odpočet zálohy",
        "Zaplatené zálohy",
        "Zaplacené zálohy",
        "Uhrazeno zálohou",
    ],
)
def test_advance_deducted_is_the_prepaid_amount_as_paid(label: str) -> None:
    found = totals(
        *labelled(700, label, "-340,00 EUR"), *labelled(712, "Zostáva uhradiť:", "60,00")
    )
    assert found.values == {"prepaid_amount": Decimal("340.00"), "amount_due": Decimal("60.00")}
