"""OCR of scans, photos and mixed PDFs: words in page coordinates, limits, and the result."""

from __future__ import annotations

import io
import zlib

import pypdfium2
import pytest
from PIL import Image

from nex_automat.errors import (
    ImageTooLarge,
    NoTextLayer,
    OcrTimeout,
    TooManyPages,
    UnreadableDocument,
)
from nex_automat.extract.document import ExtractOptions, extract_document
from nex_automat.extract.images import load_images, sniff_image
from nex_automat.extract.layout import Page, TextDocument, Word, layout_page
from nex_automat.extract.media import sniff_media_type
from nex_automat.extract.ocr import (
    DESCENT,
    X_HEIGHT,
    OcrPage,
    OcrSettings,
    detect_skew,
    line_box,
    parse_tsv,
    recognise_page,
    recognise_sparse,
    split_at_rules,
)
from nex_automat.extract.scan import PageText, classify_page
from nex_automat.extract.table import read_line_items
from nex_automat.pdfium import PDFIUM_LOCK
from tests.extract.pdfs import image_only_pdf
from tests.extract.scans import (
    degrade,
    degrade_pdf_page,
    jpeg,
    render_page,
    scanned_pdf,
    tiff,
)
from tests.invoicegen import generate


def _page(texts: list[str]) -> Page:
    words = [Word(text, 10.0 * i, 10.0, 10.0 * i + 8, 20.0, 0) for i, text in enumerate(texts)]
    return Page(number=0, width=595, height=842, words=words)


def test_a_page_of_ordinary_words_has_a_usable_text_layer() -> None:
    words = [
        "Faktúra",
        "číslo",
        "2026001",
        "Dátum",
        "vystavenia",
        "04.09.2026",
        "Spolu",
        "1",
        "234,56",
        "EUR",
    ]
    assert classify_page(_page(words)) is PageText.USABLE


def test_a_page_without_words_has_no_text_layer() -> None:
    assert classify_page(_page([])) is PageText.NONE


def test_a_page_number_alone_is_too_little_text() -> None:
    assert classify_page(_page(["Strana", "1/2"])) is PageText.TOO_LITTLE


def test_private_use_characters_from_a_broken_font_are_garbage() -> None:
    words = ["\ue001\ue002\ue003\ue004" for _ in range(20)]
    assert classify_page(_page(words)) is PageText.GARBAGE


def test_words_of_symbols_are_garbage() -> None:
    words = ["#$%&", "()*+", "!?@^", "Fa"] * 10
    assert classify_page(_page(words)) is PageText.GARBAGE


TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "4\t1\t1\t1\t1\t0\t300\t590\t1000\t80\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t300\t600\t150\t50\t96.5\tKód\n"
    "5\t1\t1\t1\t1\t2\t500\t615\t100\t35\t93.0\tmm\n"
    "5\t1\t1\t1\t1\t3\t700\t600\t100\t64\t91.0\tpár|\n"
    "5\t1\t1\t1\t1\t4\t1250\t605\t20\t50\t12.0\t—\n"
)


def test_tsv_words_are_in_points_with_their_confidence() -> None:
    words = parse_tsv(TSV, page=2, dpi=300)
    assert [w.text for w in words] == ["Kód", "mm", "pár"]
    first = words[0]
    assert (first.x0, first.x1, first.page, first.confidence) == (72.0, 108.0, 2, 96.5)


def test_words_of_a_recognised_line_get_one_box_height_as_in_a_text_layer() -> None:
    boxes = [(w.top, w.bottom) for w in parse_tsv(TSV, page=0, dpi=300)]
    assert boxes == [pytest.approx((144.0, 158.4))] * 3


def test_a_line_of_small_letters_only_is_as_tall_as_capitals_would_be() -> None:
    top, bottom = line_box([("mm", 615.0, 650.0), ("ano", 615.0, 650.0)])
    assert bottom - top == pytest.approx(35 / X_HEIGHT * (1 + DESCENT))


def test_a_table_rule_glued_to_a_word_is_cut_off() -> None:
    assert split_at_rules("3|sada", 0.0, 60.0) == [("3", 0.0, 10.0), ("sada", 20.0, 60.0)]
    assert split_at_rules("|", 0.0, 5.0) == [("|", 0.0, 5.0)]


def test_skew_of_a_rotated_page_is_measured() -> None:
    page = render_page(generate(3, "pohoda_sk").pdf, 0)
    turned = page.rotate(1.2, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert detect_skew(turned) == pytest.approx(-1.2, abs=0.15)


def test_images_are_recognised_by_their_magic_bytes() -> None:
    image = Image.new("L", (40, 40), 255)
    for fmt, media in (("JPEG", "image/jpeg"), ("PNG", "image/png"), ("TIFF", "image/tiff")):
        buffer = io.BytesIO()
        image.save(buffer, format=fmt)
        assert sniff_image(buffer.getvalue()) == media
        assert sniff_media_type(buffer.getvalue()) == media


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_an_image_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLarge) as caught:
        extract_document(_png_claiming(60_000, 60_000))
    assert caught.value.code == "image_too_large"


def test_a_truncated_image_is_unreadable() -> None:
    data = jpeg(Image.new("L", (800, 1000), 200))
    with pytest.raises(UnreadableDocument) as caught:
        load_images(data[: len(data) // 3], max_pages=5)
    assert caught.value.code == "unreadable"


def test_a_blank_scan_reports_no_text() -> None:
    with pytest.raises(NoTextLayer):
        extract_document(image_only_pdf())


def test_too_many_pages_to_recognise_are_refused() -> None:
    blank = Image.new("L", (1654, 2339), 255)
    options = ExtractOptions(ocr=OcrSettings(max_pages=2))
    with pytest.raises(TooManyPages) as caught:
        extract_document(tiff([blank, blank, blank]), options=options)
    assert caught.value.code == "too_many_pages"


def test_a_page_over_the_time_limit_fails_with_ocr_timeout() -> None:
    scan = jpeg(degrade(render_page(generate(1, "money_cz").pdf, 0), seed=1))
    options = ExtractOptions(ocr=OcrSettings(page_timeout=0.05))
    with pytest.raises(OcrTimeout) as caught:
        extract_document(scan, options=options)
    assert caught.value.code == "ocr_timeout"


@pytest.fixture(scope="module")
def invoice_scan() -> tuple[object, Image.Image]:
    generated = generate(5, "pohoda_sk", n_lines=5)
    return generated, degrade(render_page(generated.pdf, 0), seed=5)


@pytest.mark.parametrize("turn", [90, 180])
def test_a_turned_scan_is_read_upright(invoice_scan: tuple[object, Image.Image], turn: int) -> None:
    generated, image = invoice_scan
    result = extract_document(jpeg(image.rotate(turn, expand=True)))
    assert result.invoice.number == generated.invoice.number  # type: ignore[attr-defined]
    assert result.invoice.amount_due == generated.invoice.amount_due  # type: ignore[attr-defined]


def test_a_scanned_invoice_is_read_by_ocr_and_flags_its_fields(
    invoice_scan: tuple[object, Image.Image],
) -> None:
    generated, image = invoice_scan
    result = extract_document(jpeg(image))
    assert result.method == "ocr"
    assert result.invoice.number == generated.invoice.number  # type: ignore[attr-defined]
    assert {"number", "issue_date", "amount_due"} <= result.ocr_fields
    assert result.searchable_pdf is not None
    with PDFIUM_LOCK:
        searchable = pypdfium2.PdfDocument(result.searchable_pdf)
        text = searchable[0].get_textpage().get_text_range()
        searchable.close()
    assert generated.invoice.number in text  # type: ignore[attr-defined]


def test_a_multi_page_tiff_is_read_page_by_page() -> None:
    generated = generate(11, "flexi_cz", n_lines=60)
    with PDFIUM_LOCK:
        count = len(pypdfium2.PdfDocument(generated.pdf))
    assert count >= 2
    frames = [degrade(render_page(generated.pdf, i), seed=i) for i in range(count)]
    result = extract_document(tiff(frames))
    assert result.pages == count
    assert result.invoice.number == generated.invoice.number
    assert result.invoice.amount_due == generated.invoice.amount_due
    assert {box.page for box in result.provenance.values()} == set(range(count))


def _mixed_pdf(text_pdf: bytes, scan: Image.Image) -> bytes:
    """``text_pdf`` with its last page replaced by ``scan`` as an image-only page."""
    with PDFIUM_LOCK:
        target = pypdfium2.PdfDocument(text_pdf)
        scanned = pypdfium2.PdfDocument(scanned_pdf([scan]))
        target.del_page(len(target) - 1)
        target.import_pages(scanned)
        buffer = io.BytesIO()
        target.save(buffer)
        target.close()
        scanned.close()
    return buffer.getvalue()


def test_a_mixed_pdf_reads_the_lines_of_its_text_pages_and_its_scanned_page() -> None:
    generated = generate(21, "pohoda_sk", n_lines=45)
    with PDFIUM_LOCK:
        count = len(pypdfium2.PdfDocument(generated.pdf))
    last = count - 1
    scan = degrade(render_page(generated.pdf, last), seed=21)
    result = extract_document(_mixed_pdf(generated.pdf, scan))
    assert result.method == "ocr"
    pages = {box.page for path, box in result.provenance.items() if path.startswith("lines[")}
    assert pages == set(range(count))
    assert not [w for w in result.warnings if w.code == "unparsed_line"]
    assert len(result.invoice.lines) == len(generated.invoice.lines)
    assert result.ocr_fields
    assert all(result.provenance[path].page == last for path in result.ocr_fields)
    assert result.searchable_pdf is not None


def test_a_second_reading_in_sparse_mode_leaves_out_the_blanked_items_table(
    invoice_scan: tuple[object, Image.Image],
) -> None:
    generated, image = invoice_scan
    page = recognise_page(load_images(jpeg(image), max_pages=1)[0], OcrSettings(), keep_image=True)
    table = read_line_items(TextDocument([layout_page(page.page)], "0" * 64)).regions[0]
    words = recognise_sparse(page, OcrSettings(), blank=[(table.top, table.bottom)])
    assert generated.invoice.number in {w.text for w in words}  # type: ignore[attr-defined]
    assert not [w for w in words if table.top < (w.top + w.bottom) / 2 < table.bottom]


def test_a_page_recognised_without_keeping_its_image_is_not_read_again() -> None:
    page = OcrPage(Page(number=0, width=595, height=842, words=[]), pdf=None)
    assert recognise_sparse(page, OcrSettings()) == []


def test_dates_lost_in_the_first_reading_of_a_label_column_come_from_the_second() -> None:
    generated = generate(0, "sap_print", n_lines=6)
    result = extract_document(degrade_pdf_page(generated.pdf, 0, seed=0))
    assert result.invoice.issue_date == generated.invoice.issue_date
    assert result.invoice.due_date == generated.invoice.due_date
    assert "issue_date" in result.ocr_fields
