"""The items table is read from its header labels and column geometry, for any supplier."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from nex_automat.domain.model import Line
from nex_automat.extract.columns import COLUMN_LABELS, fold_label
from nex_automat.extract.layout import Page, TextDocument, Word, layout_page
from nex_automat.extract.pdf import read_pdf
from nex_automat.extract.table import LineItems, TableRegion, read_line_items
from tests.extract.pdfs import Text, make_pdf

SIZE = 9.0
CHAR = SIZE * 0.5


@dataclass(frozen=True)
class Cell:
    x: float
    text: str
    right: bool = False
    size: float = SIZE


def L(x: float, text: str, size: float = SIZE) -> Cell:  # noqa: N802 - reads like a table
    return Cell(x, text, size=size)


def R(x: float, text: str, size: float = SIZE) -> Cell:  # noqa: N802
    return Cell(x, text, right=True, size=size)


Row = tuple[float, list[Cell]]


def _words(cell: Cell, top: float, page: int) -> list[Word]:
    width = cell.size * 0.5
    x = cell.x - len(cell.text) * width if cell.right else cell.x
    words = []
    for token in cell.text.split(" "):
        if token:
            words.append(Word(token, x, top, x + len(token) * width, top + cell.size, page))
        x += (len(token) + 1) * width
    return words


def document(*pages: list[Row]) -> TextDocument:
    """Pages of positioned words laid out the way the PDF reader lays them out."""
    built = []
    for number, rows in enumerate(pages):
        words = [w for top, cells in rows for cell in cells for w in _words(cell, top, number)]
        built.append(layout_page(Page(number, 595.0, 842.0, words)))
    return TextDocument(built, "0" * 64)


SK_HEADER: list[Cell] = [
    L(40, "P.č."),
    L(70, "Názov tovaru"),
    R(330, "Množstvo"),
    L(340, "MJ"),
    R(420, "Jedn. cena"),
    R(470, "DPH %"),
    R(550, "Spolu bez DPH"),
]


def sk_row(cells: str) -> list[Cell]:
    """A row under ``SK_HEADER`` given as "pos | description | qty | unit | price | rate | net"."""
    pos, text, qty, unit, price, rate, net = (part.strip() for part in cells.split("|"))
    return [
        L(40, pos),
        L(70, text),
        R(330, qty),
        L(340, unit),
        R(420, price),
        R(470, rate),
        R(550, net),
    ]


def only_lines(result: LineItems) -> list[tuple[object, ...]]:
    return [
        (line.description, line.quantity, line.unit, line.unit_price, line.net_amount)
        for line in result.lines
    ]


# --- one-line items ---------------------------------------------------------------------


def test_one_line_items_are_read_into_their_columns() -> None:
    doc = document(
        [
            (60, [L(40, "Faktúra č. 2025001")]),
            (100, SK_HEADER),
            (115, sk_row("1 | Cement CEM II 42,5 R | 10 | ks | 4,50 | 23 % | 45,00")),
            (130, sk_row("2 | Tehla plná | 1 250 | ks | 0,35 | 23 % | 437,50")),
        ]
    )
    result = read_line_items(doc, decimal_separator=",")
    assert only_lines(result) == [
        ("Cement CEM II 42,5 R", Decimal("10"), "ks", Decimal("4.50"), Decimal("45.00")),
        ("Tehla plná", Decimal("1250"), "ks", Decimal("0.35"), Decimal("437.50")),
    ]
    assert [line.position for line in result.lines] == [1, 2]
    assert [line.vat_rate for line in result.lines] == [Decimal("23"), Decimal("23")]
    assert result.warnings == []


def test_quantity_and_unit_price_keep_the_printed_precision() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (115, sk_row("1 | Piesok 0-4 | 2,500 | t | 12,3456 | 23 | 30,86")),
        ]
    )
    line = read_line_items(doc, decimal_separator=",").lines[0]
    assert str(line.quantity) == "2.500"
    assert str(line.unit_price) == "12.3456"


def test_columns_absent_from_the_table_stay_empty_and_are_never_computed() -> None:
    doc = document(
        [
            (100, [L(40, "Popis"), R(300, "Počet"), L(310, "MJ"), R(400, "Cena/MJ")]),
            (115, [L(40, "Lepidlo na obklad"), R(300, "4"), L(310, "ks"), R(400, "8,90")]),
        ]
    )
    line = read_line_items(doc).lines[0]
    assert line.unit_price == Decimal("8.90")
    assert line.net_amount is None
    assert line.vat_rate is None
    assert line.gross_amount is None


def test_czech_labels_without_diacritics_and_in_capitals_are_recognised() -> None:
    header = [
        L(40, "KOD ZBOZI"),
        L(110, "NAZEV"),
        R(330, "MNOZSTVI"),
        L(340, "MJ"),
        R(420, "CENA ZA MJ"),
        R(480, "SAZBA"),
        R(550, "CELKEM S DPH"),
    ]
    row = [
        L(40, "A-778"),
        L(110, "Hmoždinka 8x40"),
        R(330, "100"),
        L(340, "ks"),
        R(420, "1,20"),
        R(480, "21 %"),
        R(550, "145,20"),
    ]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert line.seller_code == "A-778"
    assert line.description == "Hmoždinka 8x40"
    assert line.vat_rate == Decimal("21")
    assert line.gross_amount == Decimal("145.20")
    assert line.net_amount is None


def test_quantity_and_unit_sharing_one_cell_are_split() -> None:
    header = [L(40, "Položka"), R(300, "Množstvo"), R(400, "J.cena"), R(500, "Suma")]
    rows = [
        (115, [L(40, "Betón C25/30"), R(300, "2,500 m3"), R(400, "95,00"), R(500, "237,50")]),
        (130, [L(40, "Kari sieť"), R(300, "10 ks"), R(400, "21,00"), R(500, "210,00")]),
    ]
    lines = read_line_items(document([(100, header), *rows])).lines
    assert [(line.quantity, line.unit) for line in lines] == [
        (Decimal("2.500"), "m3"),
        (Decimal("10"), "ks"),
    ]
    assert lines[0].net_amount == Decimal("237.50")


def test_labels_set_in_one_tight_phrase_become_separate_columns() -> None:
    header = [L(40, "Názov"), R(300, "Množstvo"), L(304, "MJ"), R(400, "Cena/MJ"), R(500, "Základ")]
    row = [L(40, "Omietka"), R(300, "3"), L(304, "vrece"), R(400, "7,10"), R(500, "21,30")]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert (line.quantity, line.unit, line.net_amount) == (Decimal("3"), "vrece", Decimal("21.30"))


def test_decimal_point_documents_are_read_with_their_separator() -> None:
    header = [L(40, "Description"), R(300, "Qty"), R(400, "Unit price"), R(500, "Amount")]
    row = [L(40, "Anchor bolt"), R(300, "1,000"), R(400, "0.125"), R(500, "125.00")]
    line = read_line_items(document([(100, header), (115, row)]), decimal_separator=".").lines[0]
    assert (line.quantity, line.unit_price) == (Decimal("1000"), Decimal("0.125"))


def test_credit_note_lines_keep_their_printed_negative_signs() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (115, sk_row("1 | Vrátenie tovaru | -2 | ks | 15,00 | 23 % | -30,00")),
        ]
    )
    line = read_line_items(doc).lines[0]
    assert (line.quantity, line.net_amount) == (Decimal("-2"), Decimal("-30.00"))


# --- headers over two lines, totals columns -------------------------------------------------


def test_header_labels_stacked_on_two_lines_are_read_together() -> None:
    top = [L(40, "Označenie dodávky"), R(330, "Počet"), R(410, "Jedn. cena"), R(480, "Cena")]
    top.append(R(550, "Celkom"))
    bottom = [R(410, "bez DPH"), R(480, "bez DPH"), R(550, "s DPH")]
    row = [L(40, "Sadrokartón 12,5"), R(330, "20"), R(410, "6,40"), R(480, "128,00")]
    row.append(R(550, "157,44"))
    line = read_line_items(document([(100, top), (110, bottom), (125, row)])).lines[0]
    assert (line.unit_price, line.net_amount, line.gross_amount) == (
        Decimal("6.40"),
        Decimal("128.00"),
        Decimal("157.44"),
    )


def test_bare_line_total_beside_a_net_column_is_the_gross_amount() -> None:
    header = [L(40, "Popis"), R(300, "Mn."), R(370, "Cena/MJ"), R(450, "Cena bez DPH")]
    header.append(R(530, "Celkom"))
    row = [L(40, "Kotva"), R(300, "2"), R(370, "10,00"), R(450, "20,00"), R(530, "24,60")]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert (line.net_amount, line.gross_amount) == (Decimal("20.00"), Decimal("24.60"))


def test_bare_line_total_that_is_quantity_times_price_is_the_net_amount() -> None:
    header = [L(40, "Popis"), R(300, "Mn."), R(370, "Cena/MJ"), R(440, "DPH %"), R(530, "Spolu")]
    rows = [
        (115, [L(40, "Kotva"), R(300, "2"), R(370, "10,00"), R(440, "23"), R(530, "20,00")]),
        (130, [L(40, "Skrutka"), R(300, "3"), R(370, "0,50"), R(440, "23"), R(530, "1,50")]),
    ]
    lines = read_line_items(document([(100, header), *rows])).lines
    assert [(line.net_amount, line.gross_amount) for line in lines] == [
        (Decimal("20.00"), None),
        (Decimal("1.50"), None),
    ]


def test_supplier_labels_can_teach_an_unknown_column() -> None:
    header = [L(40, "Artikl"), L(100, "Popis"), R(300, "Mn."), R(400, "Netto")]
    row = [L(40, "X-1"), L(100, "Klinec"), R(300, "5"), R(400, "2,50")]
    doc = document([(100, header), (115, row)])
    taught = read_line_items(
        doc, extra_column_labels={"seller_code": ["Artikl"], "net_amount": ["Netto"]}
    )
    line = taught.lines[0]
    assert (line.seller_code, line.net_amount) == ("X-1", Decimal("2.50"))


def test_labels_printed_without_a_gap_between_them_are_told_apart() -> None:
    glued = [
        Word("Popis", 40, 100, 65, 109, 0),
        Word("Počet", 280, 100, 305, 109, 0),
        Word("J.", 340, 100, 348, 109, 0),
        Word("cenaSadzba", 350, 100, 400, 109, 0),
        Word("Základ", 430, 100, 460, 109, 0),
    ]
    doc = document([(115, [L(40, "Klinec"), R(305, "5"), R(372, "2,00"), R(400, "23")])])
    doc.pages[0] = layout_page(
        Page(0, 595.0, 842.0, [*glued, *doc.pages[0].words, *_words(R(460, "10,00"), 115, 0)])
    )
    line = read_line_items(doc).lines[0]
    assert (line.unit_price, line.vat_rate, line.net_amount) == (
        Decimal("2.00"),
        Decimal("23"),
        Decimal("10.00"),
    )


def test_bilingual_labels_are_recognised_by_either_language() -> None:
    header = [L(40, "Materiál"), L(100, "Popis / Description"), R(330, "Množstvo / Qty")]
    header.append(R(450, "Hodnota netto"))
    row = [L(40, "1037191"), L(100, "Šrouby 3,5x25"), R(330, "10"), R(450, "109,70")]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert (line.seller_code, line.description, line.net_amount) == (
        "1037191",
        "Šrouby 3,5x25",
        Decimal("109.70"),
    )


def test_label_finished_on_the_line_below_names_the_column() -> None:
    top = [L(40, "Zboží"), R(300, "Mn."), L(306, "Jedn."), L(334, "Cena za MJ bez")]
    top.append(R(530, "Celkem"))
    row = [L(40, "Lať 40x60"), R(300, "831,6"), L(306, "bm"), R(397, "1,57"), R(530, "1305,61")]
    doc = document([(100, top), (110, [R(397, "DPH (CZK)")]), (125, row)])
    line = read_line_items(doc).lines[0]
    assert (line.quantity, line.unit, line.unit_price) == (Decimal("831.6"), "bm", Decimal("1.57"))
    assert line.net_amount == Decimal("1305.61")


def test_currency_tag_belongs_to_the_label_before_it() -> None:
    header = [L(40, "Popis"), R(300, "Počet"), R(400, "J. cena [CZK]"), L(402, "% DPH")]
    header.append(R(520, "Celkem bez DPH"))
    row = [L(40, "Hřebík"), R(300, "35"), R(400, "3,13"), R(436, "21"), R(520, "109,55")]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert (line.unit_price, line.vat_rate) == (Decimal("3.13"), Decimal("21"))


def test_column_labels_each_name_one_field() -> None:
    owners: dict[str, set[str]] = {}
    for name, labels in COLUMN_LABELS.items():
        for label in labels:
            owners.setdefault(fold_label(label), set()).add(name)
    assert {label: names for label, names in owners.items() if len(names) > 1} == {}


# --- rows over several lines ---------------------------------------------------------------


def test_second_smaller_line_carries_code_ean_and_vat_rate() -> None:
    header = [L(40, "Názov"), R(330, "Množstvo"), L(340, "MJ"), R(430, "Cena/MJ"), R(530, "Spolu")]
    doc = document(
        [
            (100, header),
            (115, [L(40, "Silikón sanitárny biely"), R(330, "6"), L(340, "ks")]),
            (115, [R(430, "5,20"), R(530, "31,20")]),
            (125, [L(40, "Kód: 10234   EAN: 8581234567890   DPH 23 %", size=7)]),
            (138, [L(40, "Tmel akrylový"), R(330, "2"), L(340, "ks"), R(430, "3,00")]),
            (138, [R(530, "6,00")]),
        ]
    )
    result = read_line_items(doc)
    first, second = result.lines
    assert (first.seller_code, first.ean, first.vat_rate) == ("10234", "8581234567890", Decimal(23))
    assert first.description == "Silikón sanitárny biely"
    assert (second.seller_code, second.ean) == (None, None)


def test_wrapped_description_lines_are_joined_with_single_spaces() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (115, sk_row("1 | Tepelná izolácia z minerálnej | 12 | bal | 31,90 | 23 | 382,80")),
            (125, [L(70, "vlny  hr. 100 mm,")]),
            (135, [L(70, "balenie 6 m2")]),
            (150, sk_row("2 | Hmoždinka | 100 | ks | 0,12 | 23 | 12,00")),
        ]
    )
    lines = read_line_items(doc).lines
    assert [line.description for line in lines] == [
        "Tepelná izolácia z minerálnej vlny hr. 100 mm, balenie 6 m2",
        "Hmoždinka",
    ]


def test_discount_column_is_read_as_a_percentage() -> None:
    header = [L(40, "Názov"), R(280, "Mn."), R(350, "J. cena"), R(410, "Zľava %")]
    header.append(R(500, "Celkom bez DPH"))
    row = [L(40, "Lepidlo"), R(280, "10"), R(350, "9,00"), R(410, "10 %"), R(500, "81,00")]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert (line.discount_percent, line.net_amount) == (Decimal("10"), Decimal("81.00"))


@pytest.mark.parametrize("after", ["Cena po zľave", "Zľav. cena", "Cena po slevě"])
def test_price_after_discount_is_never_the_unit_price(after: str) -> None:
    header = [L(40, "Názov"), R(260, "Mn."), R(320, "Cena MJ"), R(370, "Zľava %")]
    header += [R(440, after), R(530, "Základ")]
    row = [L(40, "Profil UW 50"), R(260, "172"), R(320, "3,851"), R(370, "7,5")]
    row += [R(440, "3,562"), R(530, "612,69")]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert line.unit_price == Decimal("3.851")
    assert (line.discount_percent, line.net_amount) == (Decimal("7.5"), Decimal("612.69"))


def test_price_after_discount_split_over_two_header_lines_is_still_recognised() -> None:
    header = [L(40, "Názov"), R(260, "Mn."), R(320, "J. cena"), R(370, "Zľ. %")]
    header += [R(440, "Cena MJ po"), R(530, "Základ")]
    row = [L(40, "Profil UW 50"), R(260, "172"), R(320, "3,851"), R(370, "7,5")]
    row += [R(440, "3,562"), R(530, "612,69")]
    doc = document([(100, header), (109, [R(440, "zľave")]), (124, row)])
    assert read_line_items(doc).lines[0].unit_price == Decimal("3.851")


def test_price_after_discount_without_any_discount_column_is_the_unit_price() -> None:
    header = [L(40, "Názov"), R(260, "Mn."), R(440, "Cena po zľave"), R(530, "Základ")]
    row = [L(40, "Profil UW 50"), R(260, "10"), R(440, "3,562"), R(530, "35,62")]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert line.unit_price == Decimal("3.562")


@pytest.mark.parametrize("label", ["Reg. číslo", "Reg. č.", "Obj. číslo", "Katalóg. č."])
def test_item_code_column_wordings(label: str) -> None:
    header = [L(40, label), L(110, "Názov"), R(330, "Množstvo"), R(420, "Jedn. cena")]
    header.append(R(530, "Spolu"))
    row = [L(40, "OBK-7038"), L(110, "Obklad biely"), R(330, "4"), R(420, "10,00")]
    row.append(R(530, "40,00"))
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert (line.seller_code, line.description) == ("OBK-7038", "Obklad biely")


def test_position_and_code_set_close_together_are_split_by_their_columns() -> None:
    header = [L(37, "Poř."), L(56, "Číslo zboží"), L(112, "Popis"), R(389, "Počet")]
    header.append(R(480, "Celkem bez DPH"))
    row = [L(45, "1."), L(56, "DOP-5314"), L(112, "Doprava"), R(389, "66,000"), R(480, "130,02")]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert (line.seller_code, line.description) == ("DOP-5314", "Doprava")


def test_quantity_cell_keeps_a_trailing_minus_and_any_unit_word() -> None:
    header = [L(40, "Popis"), R(300, "Množstvo"), R(400, "Cena/MJ"), R(500, "Spolu bez DPH")]
    rows = [
        (115, [L(40, "Cement"), R(300, "35.000- ks"), R(400, "4.69"), R(500, "164.15-")]),
        (130, [L(40, "Omietka"), R(300, "40.00 vedro"), R(400, "37.72"), R(500, "1508.80")]),
    ]
    lines = read_line_items(document([(100, header), *rows]), decimal_separator=".").lines
    assert [(line.quantity, line.unit, line.net_amount) for line in lines] == [
        (Decimal("-35.000"), "ks", Decimal("-164.15")),
        (Decimal("40.00"), "vedro", Decimal("1508.80")),
    ]


def test_description_reaching_toward_the_number_columns_stays_whole() -> None:
    header = [L(40, "Názov"), R(330, "Množstvo"), R(420, "Cena/MJ"), R(520, "Bez DPH")]
    row = [L(40, "Pracovné rukavice máčané v latexe, veľkosť 10"), R(330, "6 pár")]
    row += [R(420, "1,20"), R(520, "7,20")]
    line = read_line_items(document([(100, header), (115, row)])).lines[0]
    assert line.description == "Pracovné rukavice máčané v latexe, veľkosť 10"
    assert (line.quantity, line.unit) == (Decimal("6"), "pár")


def test_heading_row_inside_the_table_is_neither_an_item_nor_its_end() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (118, [L(70, "Dodací list DL-2025-118 zo dňa 3. 3. 2025")]),
            (133, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
            (151, [L(70, "Poznámka: tovar na paletách")]),
            (166, sk_row("2 | Vápno | 2 | ks | 5,00 | 23 % | 10,00")),
        ]
    )
    result = read_line_items(doc)
    assert [line.description for line in result.lines] == ["Cement", "Vápno"]


# --- where the table ends ------------------------------------------------------------------


def test_totals_row_ends_the_table_and_text_below_is_not_an_item() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (115, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
            (130, [L(40, "Spolu"), R(550, "45,00")]),
            (142, [L(70, "Tovar zostáva až do úplného zaplatenia majetkom predávajúceho.")]),
            (160, [L(40, "Rekapitulácia DPH")]),
            (172, [L(40, "Sadzba"), R(200, "Základ"), R(260, "DPH"), R(330, "Spolu")]),
            (184, [L(40, "23 %"), R(200, "45,00"), R(260, "10,35"), R(330, "55,35")]),
        ]
    )
    result = read_line_items(doc)
    assert [line.description for line in result.lines] == ["Cement"]
    assert result.regions == [TableRegion(page=0, top=100, bottom=124.0)]


def test_vat_recap_printed_under_the_items_ends_the_table() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (115, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
            (135, [L(40, "Základ DPH 23 %:"), R(230, "45,00 EUR"), L(330, "Spolu bez DPH:")]),
            (147, [L(40, "DPH 23 %:"), R(230, "10,35 EUR"), L(330, "DPH spolu:")]),
        ]
    )
    result = read_line_items(doc)
    assert [line.description for line in result.lines] == ["Cement"]
    assert result.warnings == []


def test_text_after_a_large_gap_is_not_part_of_the_last_item() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (115, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
            (200, [L(70, "Ďakujeme za Vašu objednávku")]),
        ]
    )
    assert read_line_items(doc).lines[0].description == "Cement"


def test_subtotal_and_carry_over_rows_are_not_items() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (115, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
            (130, [L(70, "Medzisúčet"), R(550, "45,00")]),
            (145, sk_row("2 | Vápno | 2 | ks | 5,00 | 23 % | 10,00")),
            (160, [L(70, "Prenos na ďalšiu stranu"), R(550, "55,00")]),
        ]
    )
    result = read_line_items(doc)
    assert [line.description for line in result.lines] == ["Cement", "Vápno"]
    assert result.warnings == []


def test_table_continues_on_the_next_page_under_its_repeated_header() -> None:
    first = [
        (100, SK_HEADER),
        (115, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
        (130, sk_row("2 | Vápno | 2 | ks | 5,00 | 23 % | 10,00")),
        (145, [L(70, "Prenos na ďalšiu stranu"), R(550, "55,00")]),
        (800, [L(40, "ACME s.r.o., zapísaná v OR Okresného súdu Žilina, odd. Sro, vl. č. 1234/L")]),
        (812, [L(260, "Strana 1 z 2")]),
    ]
    second = [
        (40, [L(40, "Faktúra 2025001 (pokračovanie)")]),
        (70, SK_HEADER),
        (85, [L(70, "Prenos z predchádzajúcej strany"), R(550, "55,00")]),
        (100, sk_row("3 | Piesok | 1 | t | 20,00 | 23 % | 20,00")),
        (115, [L(40, "Spolu"), R(550, "75,00")]),
        (812, [L(260, "Strana 2 z 2")]),
    ]
    result = read_line_items(document(first, second))
    assert [(line.position, line.description) for line in result.lines] == [
        (1, "Cement"),
        (2, "Vápno"),
        (3, "Piesok"),
    ]
    assert [region.page for region in result.regions] == [0, 1]
    assert result.provenance["lines[2].net_amount"].page == 1


def test_page_footer_right_under_the_last_row_is_not_an_item() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (115, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
            (128, [L(260, "Strana 1 z 1")]),
        ]
    )
    result = read_line_items(doc)
    assert len(result.lines) == 1
    assert result.warnings == []


# --- what cannot be read ----------------------------------------------------------------


def test_row_with_amounts_that_cannot_be_read_is_reported_not_dropped() -> None:
    doc = document(
        [
            (100, SK_HEADER),
            (115, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
            (130, sk_row("2 | Vápno | 2 | ks | 5,0O | 23 % | 1O,00")),
        ]
    )
    result = read_line_items(doc)
    assert len(result.lines) == 1
    [warning] = result.warnings
    assert (warning.code, warning.field) == ("unparsed_line", "lines")
    assert "Vápno" in warning.message


def test_document_without_an_items_table_has_no_lines() -> None:
    doc = document([(100, [L(40, "Zálohová platba za služby"), R(500, "100,00")])])
    result = read_line_items(doc)
    assert (result.lines, result.regions, result.warnings) == ([], [], [])


# --- provenance -------------------------------------------------------------------------


def test_each_value_points_at_the_words_it_was_read_from() -> None:
    doc = document(
        [(100, SK_HEADER), (115, sk_row("1 | Cement | 1 250 | ks | 4,50 | 23 % | 5 625,00"))]
    )
    provenance = read_line_items(doc).provenance
    quantity = provenance["lines[0].quantity"]
    assert (quantity.page, quantity.x1, quantity.top) == (0, 330.0, 115)
    assert quantity.x0 == 330.0 - len("1 250") * CHAR
    assert provenance["lines[0].description"].x0 == 70
    assert "lines[0].gross_amount" not in provenance


# --- a real PDF ---------------------------------------------------------------------------


def _pdf() -> bytes:
    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    y = 842 - 100

    def row(cells: list[tuple[float, str, bool]], size: float = 8) -> None:
        pdf.setFont("DejaVu", size)
        for x, text, right in cells:
            (pdf.drawRightString if right else pdf.drawString)(x, y, text)

    row([(40, "Č.", False), (60, "Kód", False), (120, "Názov položky", False)])
    row([(330, "Množstvo", True), (340, "MJ", False), (420, "Cena za MJ", True)])
    row([(470, "DPH %", True), (550, "Spolu s DPH", True)])
    y -= 14
    row([(40, "1", False), (60, "48213", False), (120, "Lepiaca malta Baumit 25 kg", False)])
    row([(330, "1 120,000", True), (340, "vrece", False), (420, "1 234,56", True)])
    row([(470, "23 %", True), (550, "1 700 493,07", True)])
    y -= 11
    row([(120, "EAN: 9005407012345", False)], size=6.5)
    y -= 12
    row([(40, "Spolu na úhradu", False), (550, "1 700 493,07", True)])
    pdf.save()
    return buffer.getvalue()


def test_items_are_read_from_a_pdf_text_layer() -> None:
    result = read_line_items(read_pdf(_pdf()))
    [line] = result.lines
    assert (line.seller_code, line.description) == ("48213", "Lepiaca malta Baumit 25 kg")
    assert (line.quantity, line.unit, line.unit_price) == (
        Decimal("1120.000"),
        "vrece",
        Decimal("1234.56"),
    )
    assert (line.vat_rate, line.gross_amount, line.ean) == (
        Decimal("23"),
        Decimal("1700493.07"),
        "9005407012345",
    )


# --- e-shop tables: prices with VAT, bilingual headers ----------------------------------------


def pdf_table(*rows: list[Text]) -> list[Line]:
    """The item lines of a one-page PDF drawn from ``rows`` of texts."""
    doc = read_pdf(make_pdf([[text for row in rows for text in row]]))
    return read_line_items(doc).lines


def cells(top: float, *placed: tuple[float, str], size: float = 8) -> list[Text]:
    """Texts of one row: a negative x is the right edge of a right-aligned text."""
    return [
        Text(-x, top, text, size, align="right") if x < 0 else Text(x, top, text, size)
        for x, text in placed
    ]


def test_price_with_vat_and_line_total_with_vat_fill_no_net_unit_price() -> None:
    lines = pdf_table(
        cells(100, (40, "Názov"), (-300, "Počet"), (-380, "Cena s DPH"), (-440, "DPH %"))
        + cells(100, (-540, "Celkom s DPH")),
        cells(114, (40, "Záhradná hadica 25 m"), (-300, "3 ks"), (-380, "24,99 €"))
        + cells(114, (-440, "23 %"), (-540, "74,97 €")),
    )
    assert [
        (line.quantity, line.unit_price, line.net_amount, line.gross_amount, line.vat_rate)
        for line in lines
    ] == [(Decimal("3"), None, None, Decimal("74.97"), Decimal("23"))]


def test_bilingual_headers_wrapped_over_lines_name_their_columns() -> None:
    lines = pdf_table(
        cells(100, (40, "Položka / Item"), (-290, "Množstvo"), (-350, "Cena/ks s DPH /"))
        + cells(100, (-400, "Sadzba /"), (-460, "Bez DPH /"), (-500, "DPH /"))
        + cells(100, (-555, "Celkom / Total")),
        cells(109, (-290, "/ Qty"), (-350, "Unit price incl."), (-400, "/ Rate"))
        + cells(109, (-460, "Excl. VAT"), (-500, "VAT amount")),
        cells(118, (-350, "VAT")),
        cells(132, (40, "Vodováha 60 cm"), (-290, "2 ks"), (-350, "17,50 €"), (-400, "23 %"))
        + cells(132, (-460, "28,46 €"), (-500, "6,54 €"), (-555, "35,00 €")),
    )
    line = lines[0]
    assert (line.quantity, line.unit_price, line.vat_rate) == (Decimal("2"), None, Decimal("23"))
    assert (line.net_amount, line.vat_amount, line.gross_amount) == (
        Decimal("28.46"),
        Decimal("6.54"),
        Decimal("35.00"),
    )


def test_vat_column_holding_percentages_is_the_vat_rate() -> None:
    lines = pdf_table(
        cells(100, (40, "Názov / Product"), (-300, "Počet / Qty"), (-400, "DPH / VAT"))
        + cells(100, (-520, "Spolu / Total")),
        cells(114, (40, "Sada bitov"), (-300, "1 ks"), (-400, "20 %"), (-520, "14,90 €")),
    )
    assert [(line.vat_rate, line.vat_amount, line.gross_amount) for line in lines] == [
        (Decimal("20"), None, Decimal("14.90"))
    ]


def test_shipping_and_cash_on_delivery_lines_without_a_unit_are_items() -> None:
    header = cells(100, (40, "Položka"), (-300, "Množstvo"), (-420, "Cena s DPH"))
    header += cells(100, (-540, "Spolu s DPH"))
    lines = pdf_table(
        header,
        cells(114, (40, "Doprava – Packeta Z-BOX"), (-300, "1"), (-420, "2,90 €"))
        + cells(114, (-540, "2,90 €")),
        cells(128, (40, "Dobierka"), (-300, "1"), (-420, "1,50 €"), (-540, "1,50 €")),
    )
    assert [(line.description, line.unit, line.gross_amount) for line in lines] == [
        ("Doprava – Packeta Z-BOX", None, Decimal("2.90")),
        ("Dobierka", None, Decimal("1.50")),
    ]


def test_amounts_run_together_into_one_phrase_are_split_by_column() -> None:
    lines = pdf_table(
        cells(100, (40, "Názov"), (-300, "Počet"), (-350, "Sadzba"), (-420, "Bez DPH"))
        + cells(100, (-480, "DPH"), (-555, "Celkom s DPH")),
        cells(114, (40, "Rebrík"), (-300, "10 ks"), (-350, "21 %"))
        + cells(114, (-480, "5 198,35 Kč 1 091,65 Kč"))
        + cells(114, (-555, "6 290,00 Kč")),
    )
    assert [(line.vat_rate, line.net_amount, line.vat_amount) for line in lines] == [
        (Decimal("21"), Decimal("5198.35"), Decimal("1091.65"))
    ]


@pytest.mark.parametrize("label", ["Cena/J. bez DPH", "Cena/MJ", "Cena / m.j.", "Cena za j."])
def test_unit_price_header_variants(label: str) -> None:
    lines = pdf_table(
        cells(100, (40, "Označenie dodávky"), (-300, "Množstvo"), (-390, label))
        + cells(100, (-440, "% DPH"), (-530, "Cena bez DPH")),
        cells(114, (40, "Tehla Porotherm"), (-300, "649,00 ks"), (-390, "2,73"))
        + cells(114, (-440, "20"), (-530, "1.771,77")),
    )
    assert [(line.unit_price, line.vat_rate, line.net_amount) for line in lines] == [
        (Decimal("2.73"), Decimal("20"), Decimal("1771.77"))
    ]


def test_page_label_beside_a_closing_note_ends_the_table() -> None:
    lines = pdf_table(
        cells(100, (40, "Názov"), (-300, "Počet"), (-400, "Cena s DPH"), (-520, "DPH")),
        cells(114, (40, "Štetec"), (-300, "1 ks"), (-400, "2,49 €"), (-520, "20 %")),
        cells(128, (40, "Ďakujeme za nákup!"), (470, "Strana 1 z 3")),
    )
    assert len(lines) == 1


# --- rows read by OCR -------------------------------------------------------------------


def recognised(doc: TextDocument) -> TextDocument:
    """The same pages as if OCR had read them: every word carries a confidence."""
    pages = []
    for page in doc.pages:
        words = [
            Word(w.text, w.x0, w.top, w.x1, w.bottom, w.page, 90.0)
            for line in page.lines
            for w in line.words
        ]
        pages.append(layout_page(Page(page.number, page.width, page.height, words)))
    return TextDocument(pages, doc.sha256)


def test_stray_marks_around_recognised_cells_are_ignored() -> None:
    doc = recognised(
        document(
            [
                (100, SK_HEADER),
                (115, sk_row("1 | Cement | 1O | <ks: | 4,50) | 23 % | 45,00.")),
            ]
        )
    )
    result = read_line_items(doc, decimal_separator=",")
    cement = ("Cement", Decimal("10"), "ks", Decimal("4.50"), Decimal("45.00"))
    assert only_lines(result) == [cement]


def test_a_misread_recognised_cell_leaves_only_its_value_empty_with_a_warning() -> None:
    doc = recognised(
        document([(100, SK_HEADER), (115, sk_row("1 | Cement | 10 | ks | 4,5x0 | 23 % | 45,00"))])
    )
    result = read_line_items(doc, decimal_separator=",")
    assert only_lines(result) == [("Cement", Decimal("10"), "ks", None, Decimal("45.00"))]
    assert [(w.code, w.field) for w in result.warnings] == [
        ("unreadable_value", "lines[0].unit_price")
    ]


def test_the_same_misread_cell_in_a_text_layer_makes_the_row_unparsed() -> None:
    doc = document([(100, SK_HEADER), (115, sk_row("1 | Cement | 10 | ks | 4,5x0 | 23 % | 45,00"))])
    result = read_line_items(doc, decimal_separator=",")
    assert result.lines == []
    assert [w.code for w in result.warnings] == ["unparsed_line"]


def test_a_recognised_row_with_a_misread_cell_and_one_clean_number_is_not_an_item() -> None:
    doc = recognised(
        document(
            [
                (100, SK_HEADER),
                (115, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
                (130, [L(70, "23%"), R(330, "Kč"), R(550, "101,99")]),
            ]
        )
    )
    result = read_line_items(doc, decimal_separator=",")
    cement = ("Cement", Decimal("10"), "ks", Decimal("4.50"), Decimal("45.00"))
    assert only_lines(result) == [cement]
    assert [w.code for w in result.warnings] == ["unparsed_line"]


def test_a_recap_heading_behind_a_recognised_rule_mark_still_ends_the_table() -> None:
    doc = recognised(
        document(
            [
                (100, SK_HEADER),
                (115, sk_row("1 | Cement | 10 | ks | 4,50 | 23 % | 45,00")),
                (130, [L(40, "| Sadzba"), L(120, "Základ dane"), R(550, "45,00")]),
                (145, [L(40, "23%"), R(330, "45,00"), R(420, "10,35"), R(550, "55,35")]),
            ]
        )
    )
    result = read_line_items(doc, decimal_separator=",")
    assert len(result.lines) == 1
    assert result.warnings == []
    assert result.regions[0].bottom < 130
