"""One page of a searchable PDF: the page image with its recognised words invisible over it.

The page is written directly rather than by Tesseract's PDF renderer, which compresses the
page image losslessly and adds a fifth to the cost of a recognition. The image goes in as a
JPEG, like a scanner's PDF, and each word as invisible text (render mode 3) stretched over
its box, so a viewer finds, selects and copies the words where they are printed.

The text uses a glyph-less font in the way Tesseract's renderer does: a composite font whose
character codes are the UTF-16 code units of the text, all drawn with one empty glyph, and
a ToUnicode map that gives each code back as itself. Any Slovak or Czech letter can so be
written without a real font; the font program itself (Tesseract's ``pdf.ttf``) is embedded
when it is given, so viewers need not substitute one.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator, Sequence

from nex_automat.extract.images import PageImage
from nex_automat.extract.layout import Word

JPEG_QUALITY = 80
"""As a scanner saves grey pages: print stays sharp, the page stays a few hundred kB."""
GLYPH_WIDTH = 500
"""Width of the one glyph in thousandths of the font size; ``Tz`` stretches each word."""

_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""
_CID_TO_GLYPH = zlib.compress(b"\x00\x01" * 65536)
"""Every character code drawn with glyph 1, the glyph-less font's only glyph."""


def searchable_page(image: PageImage, words: Sequence[Word], *, font: bytes | None) -> bytes:
    """A one-page PDF of ``image`` with ``words`` (points, top-left origin) as invisible
    text; ``font`` is the glyph-less TrueType program to embed, if there is one."""
    width, height = image.width_points, image.height_points
    picture = io.BytesIO()
    image.image.convert("L").save(picture, format="JPEG", quality=JPEG_QUALITY)
    content = zlib.compress(_content(words, width, height), 1)
    font_file = b" /FontFile2 11 0 R" if font is not None else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
            "/Resources << /XObject << /Im0 4 0 R >> /Font << /F0 5 0 R >> >> "
            "/Contents 6 0 R >>"
        ).encode(),
        _stream(
            (
                f"/Type /XObject /Subtype /Image /Width {image.image.width} "
                f"/Height {image.image.height} /ColorSpace /DeviceGray /BitsPerComponent 8 "
                "/Filter /DCTDecode"
            ).encode(),
            picture.getvalue(),
        ),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H "
        b"/DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
        _stream(b"/Filter /FlateDecode", content),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 9 0 R /DW " + str(GLYPH_WIDTH).encode() + b" /CIDToGIDMap 10 0 R >>",
        _stream(b"", _TO_UNICODE),
        b"<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 0 "
        + str(GLYPH_WIDTH).encode()
        + b" 1000] /ItalicAngle 0 /Ascent 1000 /Descent -1 /CapHeight 1000 /StemV 80"
        + font_file
        + b" >>",
        _stream(b"/Filter /FlateDecode", _CID_TO_GLYPH),
    ]
    if font is not None:
        objects.append(_stream(f"/Length1 {len(font)}".encode(), font))
    return _document(objects)


def _content(words: Sequence[Word], width: float, height: float) -> bytes:
    """The page's drawing: the image over the whole page, then every word invisibly."""
    parts = [f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Im0 Do Q\nBT 3 Tr\n"]
    for text, x0, x1, top, bottom in _runs(words):
        size = max(bottom - top, 1.0)
        advance = len(text) * GLYPH_WIDTH / 1000 * size
        stretch = 100 * max(x1 - x0, 0.1) / advance
        code = text.encode("utf-16-be").hex().upper()
        parts.append(
            f"/F0 {size:.2f} Tf {stretch:.2f} Tz "
            f"1 0 0 1 {x0:.2f} {height - bottom:.2f} Tm <{code}> Tj\n"
        )
    parts.append("ET\n")
    return "".join(parts).encode("ascii")


def _runs(words: Sequence[Word]) -> Iterator[tuple[str, float, float, float, float]]:
    """Each word with its box; a word followed on its line by another also takes the space
    up to it, so copied text has its spaces. Words of one recognised line share their top
    and bottom (see :func:`~nex_automat.extract.ocr.parse_tsv`)."""
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if (
            following is not None
            and (following.top, following.bottom) == (word.top, word.bottom)
            and following.x0 > word.x1
        ):
            yield word.text + " ", word.x0, following.x0, word.top, word.bottom
        else:
            yield word.text, word.x0, word.x1, word.top, word.bottom


def _stream(dictionary: bytes, data: bytes) -> bytes:
    entries = b" ".join(part for part in (dictionary, b"/Length %d" % len(data)) if part)
    return b"<< " + entries + b" >>\nstream\n" + data + b"\nendstream"


def _document(objects: Sequence[bytes]) -> bytes:
    """The objects, numbered from 1 in order, with the cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
