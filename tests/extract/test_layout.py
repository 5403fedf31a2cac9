"""Grouping positioned words into lines, phrases and blocks."""

from __future__ import annotations

from collections.abc import Sequence

from nex_automat.extract.layout import (
    Block,
    Page,
    Phrase,
    TextLine,
    Word,
    build_blocks,
    build_lines,
    layout_page,
    split_phrases,
)

CHAR = 0.55
SPACE = 0.3


def typeset(text: str, x: float, baseline: float, size: float = 10, page: int = 0) -> list[Word]:
    """Words as a proportional font of ``size`` points would place them; spaces as typed."""
    words = []
    cursor = x
    for chunk in text.split(" "):
        if chunk:
            end = cursor + CHAR * size * len(chunk)
            words.append(
                Word(chunk, cursor, baseline - 0.8 * size, end, baseline + 0.2 * size, page)
            )
            cursor = end
        cursor += SPACE * size
    return words


def cells(row: list[tuple[float, str]], baseline: float, size: float = 9) -> list[Word]:
    """A table row: each cell's text starts at its column's x."""
    return [word for x, text in row for word in typeset(text, x, baseline, size)]


def texts(items: Sequence[Phrase | TextLine | Block]) -> list[str]:
    return [item.text for item in items]


def test_words_on_one_baseline_form_one_line_read_left_to_right() -> None:
    words = typeset("Faktúra číslo 2024001", 40, 100)

    lines = build_lines(list(reversed(words)))

    assert texts(lines) == ["Faktúra číslo 2024001"]
    assert lines[0].page == 0


def test_lines_come_top_to_bottom_whatever_the_order_of_the_words() -> None:
    words = typeset("druhý riadok", 40, 130) + typeset("prvý riadok", 40, 100)

    assert texts(build_lines(words)) == ["prvý riadok", "druhý riadok"]


def test_superscript_stays_on_its_line() -> None:
    words = typeset("Plocha 12 m", 40, 100)
    words.append(Word("2", words[-1].x1, 100 - 8.5, words[-1].x1 + 3, 100 - 3.5, 0))
    words += typeset("Iný riadok", 40, 112)

    assert texts(build_lines(words)) == ["Plocha 12 m 2", "Iný riadok"]


def test_heading_word_in_a_larger_font_shares_the_line_of_smaller_words() -> None:
    words = typeset("FAKTÚRA", 40, 100, size=18) + typeset("č. 2024001", 150, 100, size=9)
    words += typeset("Dodávateľ:", 40, 130)

    assert texts(build_lines(words)) == ["FAKTÚRA č. 2024001", "Dodávateľ:"]


def test_lines_set_solid_with_no_leading_stay_apart() -> None:
    words = typeset("prvý", 40, 100) + typeset("druhý", 40, 110) + typeset("tretí", 40, 120)

    assert texts(build_lines(words)) == ["prvý", "druhý", "tretí"]


def test_words_of_different_pages_never_share_a_line() -> None:
    words = typeset("strana jedna", 40, 100, page=0) + typeset("strana dva", 300, 100, page=1)

    lines = build_lines(words)

    assert [(line.page, line.text) for line in lines] == [(0, "strana jedna"), (1, "strana dva")]


def test_no_words_give_no_lines_and_no_blocks() -> None:
    assert build_lines([]) == []
    assert build_blocks([]) == []


def test_table_row_splits_into_its_cells() -> None:
    row = [
        (40, "1"),
        (60, "Cement CEM II 25 kg"),
        (250, "10"),
        (280, "ks"),
        (330, "5,20"),
        (400, "52,00"),
    ]

    (line,) = build_lines(cells(row, 300))

    assert texts(line.phrases) == ["1", "Cement CEM II 25 kg", "10", "ks", "5,20", "52,00"]


def test_label_with_ordinary_spaces_stays_one_phrase() -> None:
    words = typeset("Dátum vystavenia: 12.03.2024", 40, 100)

    assert texts(split_phrases(words)) == ["Dátum vystavenia: 12.03.2024"]


def test_label_and_value_in_separate_columns_are_two_phrases() -> None:
    words = typeset("Dátum vystavenia:", 40, 100) + typeset("12.03.2024", 160, 100)

    assert texts(split_phrases(words)) == ["Dátum vystavenia:", "12.03.2024"]


def test_amount_with_thousands_space_stays_one_phrase() -> None:
    words = typeset("Celkom k úhrade:", 340, 100) + typeset("15 185,09 €", 450, 100)

    assert texts(split_phrases(words)) == ["Celkom k úhrade:", "15 185,09 €"]


def test_phrase_keeps_the_box_of_its_words() -> None:
    (phrase,) = split_phrases(typeset("Hlavná 12", 40, 100))

    assert (phrase.x0, phrase.top, phrase.page) == (40, 92, 0)
    assert phrase.x1 > phrase.x0


SUPPLIER = ["Dodávateľ:", "Stavebniny Novák s.r.o.", "Hlavná 12", "811 01 Bratislava"]
CUSTOMER = ["Odberateľ:", "Stavmat a.s.", "Priemyselná 5", "040 01 Košice", "IČO: 87654321"]


def address_columns(left: list[str], right: list[str], top: float = 100) -> list[Word]:
    words = []
    for i, text in enumerate(left):
        words += typeset(text, 40, top + 12 * i)
    for i, text in enumerate(right):
        words += typeset(text, 320, top + 12 * i)
    return words


def test_two_addresses_side_by_side_form_two_blocks() -> None:
    blocks = build_blocks(build_lines(address_columns(SUPPLIER, CUSTOMER)))

    assert texts(blocks) == ["\n".join(SUPPLIER), "\n".join(CUSTOMER)]
    assert blocks[0].x0 == 40
    assert blocks[1].x0 == 320


def test_wide_gap_below_a_block_starts_a_new_block() -> None:
    words = address_columns(SUPPLIER, [])
    words += typeset("Dátum vystavenia: 12.03.2024", 40, 100 + 12 * len(SUPPLIER) + 30)

    blocks = build_blocks(build_lines(words))

    assert texts(blocks) == ["\n".join(SUPPLIER), "Dátum vystavenia: 12.03.2024"]


def test_right_aligned_amounts_stack_into_one_block() -> None:
    amounts = ["5,20", "1 234,50", "52,00"]
    words = []
    for i, amount in enumerate(amounts):
        width = CHAR * 10 * len(amount.replace(" ", "")) + SPACE * 10 * amount.count(" ")
        words += typeset(amount, 500 - width, 100 + 12 * i)

    (block,) = build_blocks(build_lines(words))

    assert block.text == "\n".join(amounts)


def test_phrases_of_neighbouring_columns_are_not_stacked() -> None:
    words = typeset("Popis", 60, 100) + typeset("Cena", 300, 112)

    assert texts(build_blocks(build_lines(words))) == ["Popis", "Cena"]


def test_block_takes_the_aligned_phrase_when_a_wide_line_overlaps_both_columns() -> None:
    words = typeset("Stavebniny Novák s.r.o., Hlavná 12, 811 01 Bratislava", 40, 100)
    words += typeset("Odberateľ:", 300, 100 + 12 * 1)
    words += typeset("Hlavná 12", 40, 100 + 12 * 1)

    blocks = build_blocks(build_lines(words))

    assert texts(blocks) == [
        "Stavebniny Novák s.r.o., Hlavná 12, 811 01 Bratislava\nHlavná 12",
        "Odberateľ:",
    ]


def test_layout_page_fills_lines_and_blocks_and_orders_words_for_reading() -> None:
    words = address_columns(SUPPLIER, CUSTOMER)
    page = Page(number=0, width=595, height=842, words=list(reversed(words)))

    layout_page(page)

    assert texts(page.lines)[:2] == [
        "Dodávateľ: Odberateľ:",
        "Stavebniny Novák s.r.o. Stavmat a.s.",
    ]
    assert len(page.blocks) == 2
    assert [w.text for w in page.words[:3]] == ["Dodávateľ:", "Odberateľ:", "Stavebniny"]
