"""Small PDFs for reader tests: text placed at known spots, and hand-written hostile files.

Positions are given the way the reader reports them: points from the top-left corner of
the page, ``baseline`` measured downwards from the top edge.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

A4 = (595.0, 842.0)
FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FONT_FILES = {
    FONT: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    BOLD: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
}


def _register_fonts() -> None:
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, path))


@dataclass(frozen=True)
class Text:
    """A string drawn with its baseline ``baseline`` points below the top edge."""

    x: float
    baseline: float
    text: str
    size: float = 10
    font: str = FONT
    align: str = "left"


def make_pdf(
    pages: Sequence[Sequence[Text]],
    *,
    size: tuple[float, float] = A4,
    encrypt: StandardEncryption | None = None,
) -> bytes:
    """A PDF with one page per item of ``pages``, each showing its texts."""
    _register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size, encrypt=encrypt, invariant=1)
    for texts in pages:
        for item in texts:
            pdf.setFont(item.font, item.size)
            y = size[1] - item.baseline
            if item.align == "right":
                pdf.drawRightString(item.x, y, item.text)
            else:
                pdf.drawString(item.x, y, item.text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf(user_password: str, owner_password: str) -> bytes:
    """A one-page PDF encrypted with RC4 128; an empty user password opens without asking."""
    encryption = StandardEncryption(user_password, ownerPassword=owner_password, strength=128)
    return make_pdf([[Text(72, 100, "Faktúra č. 2024001")]], encrypt=encryption)


INVOICE_ROWS = 30
_COLUMNS = ((40, "left"), (70, "left"), (300, "right"), (312, "left"), (390, "right"))
_MORE_COLUMNS = ((440, "right"), (495, "right"), (555, "right"))


def invoice_pages() -> list[list[Text]]:
    """One typical Slovak invoice page: header, two parties side by side, a table, totals."""
    texts = [
        Text(40, 50, "FAKTÚRA – DAŇOVÝ DOKLAD č. 2024001234", 16, BOLD),
        Text(40, 90, "Dodávateľ:", 10, BOLD),
        Text(320, 90, "Odberateľ:", 10, BOLD),
    ]
    supplier = (
        "Stavebniny Novák s.r.o.",
        "Hlavná 12",
        "811 01 Bratislava",
        "IČO: 12345678",
        "DIČ: 2020123456",
        "IČ DPH: SK2020123456",
    )
    customer = ("Stavmat a.s.", "Priemyselná 5", "040 01 Košice", "IČO: 87654321")
    texts += [Text(40, 104 + 12 * i, line) for i, line in enumerate(supplier)]
    texts += [Text(320, 104 + 12 * i, line) for i, line in enumerate(customer)]
    dates = (
        ("Dátum vystavenia:", "12.03.2024"),
        ("Dátum dodania:", "12.03.2024"),
        ("Dátum splatnosti:", "26.03.2024"),
        ("Forma úhrady:", "prevodný príkaz"),
        ("IBAN:", "SK31 1200 0000 1987 4263 7541"),
        ("Variabilný symbol:", "2024001234"),
    )
    for i, (label, value) in enumerate(dates):
        texts += [Text(40, 200 + 12 * i, label), Text(160, 200 + 12 * i, value)]
    header = ("Č.", "Popis", "Množstvo", "MJ", "Cena/MJ", "DPH %", "Základ", "Spolu")
    columns = _COLUMNS + _MORE_COLUMNS
    texts += [
        Text(x, 290, title, 9, BOLD, align)
        for (x, align), title in zip(columns, header, strict=True)
    ]
    for row in range(INVOICE_ROWS):
        quantity = row + 1
        price = 5.2 + row
        net = quantity * price
        cells = (
            str(row + 1),
            f"Cement CEM II/B-S 32,5 R {25 + row} kg",
            f"{quantity},000",
            "ks",
            f"{price:.2f}".replace(".", ","),
            "23",
            f"{net:,.2f}".replace(",", " ").replace(".", ","),
            f"{net * 1.23:,.2f}".replace(",", " ").replace(".", ","),
        )
        baseline = 305 + 13 * row
        texts += [
            Text(x, baseline, cell, 9, FONT, align)
            for (x, align), cell in zip(columns, cells, strict=True)
        ]
    totals = (
        ("Základ dane 23 %:", "12 345,60 €"),
        ("DPH 23 %:", "2 839,49 €"),
        ("Celkom k úhrade:", "15 185,09 €"),
    )
    for i, (label, value) in enumerate(totals):
        baseline = 720 + 14 * i
        texts += [
            Text(340, baseline, label, 10, BOLD),
            Text(555, baseline, value, 10, BOLD, "right"),
        ]
    texts.append(
        Text(40, 800, "Spoločnosť je zapísaná v Obchodnom registri Okresného súdu Bratislava I.", 7)
    )
    return [texts]


def invoice_pdf() -> bytes:
    return make_pdf(invoice_pages())


def raw_pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF file from object bodies numbered from 1; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(content: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), entries, content)


_FONT_RESOURCE = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def page_bomb_pdf(claimed_pages: int, *, repeat_kids: bool = False) -> bytes:
    """A tiny PDF whose page tree claims ``claimed_pages`` pages.

    Either the /Count simply lies, or /Kids lists the same page object that many times.
    """
    kids = b"3 0 R " * (claimed_pages if repeat_kids else 1)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, claimed_pages),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def many_pages_pdf(page_count: int) -> bytes:
    """A real document of ``page_count`` pages that share one content stream."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(page_count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources %s >>"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, page_count),
            stream(b"BT /F1 12 Tf 72 770 Td (Strana) Tj ET"),
            *([page % _FONT_RESOURCE] * page_count),
        ]
    )


def image_only_pdf() -> bytes:
    """A page showing only an image, as a scanner produces it: no text layer."""
    pixels = bytes([200, 30, 30, 30, 200, 30, 30, 30, 200, 240, 240, 240])
    image_entries = (
        b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB"
        b" /BitsPerComponent 8"
    )
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /XObject << /Im1 5 0 R >> >> >>",
            stream(b"q 500 0 0 700 50 70 cm /Im1 Do Q 0 0 1 rg 60 60 100 50 re f"),
            stream(pixels, image_entries),
        ]
    )


_ROTATED_TEXT_MATRIX = {0: b"1 0 0 1", 90: b"0 1 -1 0", 180: b"-1 0 0 -1", 270: b"0 -1 1 0"}


def rotated_page_pdf(
    rotation: int,
    texts: Sequence[tuple[float, float, str]],
    *,
    media_box: tuple[float, float, float, float] = (0, 0, 400, 600),
    crop_box: tuple[float, float, float, float] | None = None,
) -> bytes:
    """A page with /Rotate ``rotation`` whose texts read upright on screen.

    Each text is ``(x, baseline, string)`` on the page as displayed (origin top-left);
    the content stream places it in user space so that a viewer shows it there.
    """
    left, bottom, right, top = crop_box or media_box
    origins = {
        0: lambda x, y: (left + x, top - y),
        90: lambda x, y: (left + y, bottom + x),
        180: lambda x, y: (right - x, bottom + y),
        270: lambda x, y: (right - y, top - x),
    }
    content = bytearray()
    for x, baseline, string in texts:
        ux, uy = origins[rotation](x, baseline)
        matrix = _ROTATED_TEXT_MATRIX[rotation]
        content += b"BT /F1 12 Tf %s %.2f %.2f Tm (%s) Tj ET\n" % (
            matrix,
            ux,
            uy,
            string.encode("latin-1"),
        )
    boxes = b"/MediaBox [%g %g %g %g]" % media_box
    if crop_box is not None:
        boxes += b" /CropBox [%g %g %g %g]" % crop_box
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R %s /Rotate %d /Contents 4 0 R /Resources %s >>"
            % (boxes, rotation, _FONT_RESOURCE),
            stream(bytes(content)),
        ]
    )


def content_pdf(content: bytes, entries: bytes = b"") -> bytes:
    """A one-page A4 PDF whose content stream is ``content``, with Helvetica as /F1;
    ``entries`` go into the stream's dictionary (a ``/Filter`` the content is encoded in)."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources %s >>" % _FONT_RESOURCE,
            stream(content, entries),
        ]
    )


_DECOMPOSING_CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Decomposed def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfchar
<44> <0044>
<E1> <00610301>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""


def decomposed_accent_pdf() -> bytes:
    """A PDF whose font maps "á" to "a" followed by a combining acute accent."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
            b" /Encoding /WinAnsiEncoding /ToUnicode 5 0 R >> >> >> >>",
            stream(b"BT /F1 12 Tf 72 700 Td (D\xe1tum) Tj ET"),
            stream(_DECOMPOSING_CMAP),
        ]
    )
