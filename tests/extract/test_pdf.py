"""Reading the text layer of a PDF into positioned words, lines and blocks."""

from __future__ import annotations

import hashlib
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from nex_automat.extract.layout import Phrase, TextDocument, TextLine
from nex_automat.extract.pdf import has_text, read_pdf, text_char_counts
from tests.extract import pdfs
from tests.extract.pdfs import BOLD, FONT, Text


@pytest.fixture(scope="module")
def invoice() -> TextDocument:
    return read_pdf(pdfs.invoice_pdf())


def words_of(data: bytes) -> list[str]:
    return [word.text for page in read_pdf(data).pages for word in page.words]


def line_starting(document: TextDocument, text: str) -> TextLine:
    return next(line for line in document.lines if line.text.startswith(text))


def phrase_texts(phrases: list[Phrase]) -> list[str]:
    return [phrase.text for phrase in phrases]


def test_words_keep_slovak_and_czech_diacritics_and_currency_signs() -> None:
    data = pdfs.make_pdf([[Text(72, 100, "Dodávateľ Odběratel Kč € Ťažká Žluťoučký")]])

    assert words_of(data) == ["Dodávateľ", "Odběratel", "Kč", "€", "Ťažká", "Žluťoučký"]


def test_word_positions_are_in_points_from_the_top_left_corner() -> None:
    data = pdfs.make_pdf([[Text(72, 100, "Faktúra", 12), Text(300, 400, "Spolu", 12)]])

    page = read_pdf(data).pages[0]

    faktura, spolu = page.words
    assert (page.number, page.width, page.height) == (0, 595, 842)
    assert faktura.x0 == pytest.approx(72, abs=0.5)
    assert faktura.x1 == pytest.approx(72 + stringWidth("Faktúra", FONT, 12), abs=0.5)
    assert faktura.top < 100 < faktura.bottom
    assert 9 < faktura.height < 15
    assert spolu.x0 == pytest.approx(300, abs=0.5)
    assert spolu.top < 400 < spolu.bottom
    assert faktura.page == spolu.page == 0


def test_document_fingerprint_is_the_sha256_of_its_bytes() -> None:
    data = pdfs.make_pdf([[Text(72, 100, "Faktúra")]])

    assert read_pdf(data).sha256 == hashlib.sha256(data).hexdigest()


def test_decomposed_accents_come_out_composed() -> None:
    assert words_of(pdfs.decomposed_accent_pdf()) == ["Dátum"]


def test_text_is_nfc_normalised(invoice: TextDocument) -> None:
    assert all(unicodedata.is_normalized("NFC", w.text) for p in invoice.pages for w in p.words)


def test_wide_gap_between_characters_splits_words_without_a_space() -> None:
    data = pdfs.content_pdf(
        b"BT /F1 10 Tf 6 Tc 72 700 Td (AB) Tj ET BT /F1 10 Tf 1 Tc 72 680 Td (CD) Tj ET"
        b" BT /F1 10 Tf 0 Tc 72 660 Td (EF) Tj ET BT /F1 10 Tf 90 660 Td (GH) Tj ET"
    )

    assert words_of(data) == ["A", "B", "CD", "EF", "GH"]


def test_characters_placed_one_by_one_still_form_one_word() -> None:
    x = 72.0
    texts = []
    for char in "Odberateľ":
        texts.append(Text(x, 100, char))
        x += stringWidth(char, FONT, 10)

    assert words_of(pdfs.make_pdf([texts])) == ["Odberateľ"]


def test_hyphen_or_trailing_minus_at_the_end_of_a_line_is_kept() -> None:
    texts = [Text(72, 100, "Dobropis 1 250,00-"), Text(72, 112, "dodávka stavebného mate-")]
    texts.append(Text(72, 124, "riálu"))

    assert words_of(pdfs.make_pdf([texts])) == [
        "Dobropis",
        "1",
        "250,00-",
        "dodávka",
        "stavebného",
        "mate-",
        "riálu",
    ]


def test_words_come_in_reading_order_top_to_bottom_then_left_to_right() -> None:
    texts = [Text(300, 200, "štvrtý"), Text(72, 200, "tretí"), Text(300, 100, "druhý")]
    texts.append(Text(72, 100, "prvý"))

    assert words_of(pdfs.make_pdf([texts])) == ["prvý", "druhý", "tretí", "štvrtý"]


def test_label_and_value_are_separate_phrases_of_one_line(invoice: TextDocument) -> None:
    line = line_starting(invoice, "Dátum vystavenia:")

    assert phrase_texts(line.phrases) == ["Dátum vystavenia:", "12.03.2024"]


def test_table_row_splits_into_cells(invoice: TextDocument) -> None:
    line = line_starting(invoice, "1 Cement")

    assert phrase_texts(line.phrases) == [
        "1",
        "Cement CEM II/B-S 32,5 R 25 kg",
        "1,000",
        "ks",
        "5,20",
        "23",
        "5,20",
        "6,40",
    ]


def test_totals_keep_amounts_with_thousands_spaces_whole(invoice: TextDocument) -> None:
    line = line_starting(invoice, "Celkom k úhrade:")

    assert phrase_texts(line.phrases) == ["Celkom k úhrade:", "15 185,09 €"]


def test_supplier_and_customer_side_by_side_are_separate_blocks(invoice: TextDocument) -> None:
    blocks = {block.phrases[0].text: block.text for block in invoice.pages[0].blocks}

    assert blocks["Dodávateľ:"].splitlines() == [
        "Dodávateľ:",
        "Stavebniny Novák s.r.o.",
        "Hlavná 12",
        "811 01 Bratislava",
        "IČO: 12345678",
        "DIČ: 2020123456",
        "IČ DPH: SK2020123456",
    ]
    assert blocks["Odberateľ:"].splitlines() == [
        "Odberateľ:",
        "Stavmat a.s.",
        "Priemyselná 5",
        "040 01 Košice",
        "IČO: 87654321",
    ]


def test_every_page_is_read_with_its_own_number() -> None:
    data = pdfs.make_pdf(
        [[Text(72, 100, "Faktúra strana 1", 12, BOLD)], [Text(72, 100, "Pokračovanie 2")]]
    )

    document = read_pdf(data)

    assert [page.number for page in document.pages] == [0, 1]
    assert [[w.page for w in page.words] for page in document.pages] == [[0, 0, 0], [1, 1]]
    assert [line.text for line in document.lines] == ["Faktúra strana 1", "Pokračovanie 2"]
    assert document.page_count == 2


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotated_and_cropped_page_is_read_as_displayed(rotation: int) -> None:
    data = pdfs.rotated_page_pdf(
        rotation,
        [(50, 100, "Hello World"), (50, 130, "Second")],
        media_box=(0, 0, 400, 600),
        crop_box=(20, 30, 380, 560),
    )

    page = read_pdf(data).pages[0]

    expected_size = (360, 530) if rotation in (0, 180) else (530, 360)
    assert (page.width, page.height) == expected_size
    assert [w.text for w in page.words] == ["Hello", "World", "Second"]
    hello = page.words[0]
    assert hello.x0 == pytest.approx(50, abs=0.5)
    assert hello.top < 100 < hello.bottom
    assert 10 < hello.height < 15
    assert [line.text for line in page.lines] == ["Hello World", "Second"]


def test_text_outside_the_crop_box_is_not_read() -> None:
    data = pdfs.rotated_page_pdf(
        0, [(50, 100, "Visible"), (50, 700, "Hidden")], crop_box=(0, 200, 400, 600)
    )

    assert words_of(data) == ["Visible"]


def test_invoice_has_a_text_layer_counted_per_page(invoice: TextDocument) -> None:
    (count,) = text_char_counts(invoice)

    assert has_text(invoice)
    assert count == sum(len(word.text) for word in invoice.pages[0].words)
    assert count > 1500
    assert not has_text(invoice, min_chars=count + 1)


def test_reading_from_many_threads_gives_the_same_words() -> None:
    data = pdfs.invoice_pdf()
    expected = words_of(data)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(words_of, [data] * 8))

    assert all(result == expected for result in results)
