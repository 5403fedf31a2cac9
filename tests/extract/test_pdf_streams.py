"""PDF decompression bombs are refused before PDFium inflates them; honest streams read."""

from __future__ import annotations

import base64
import time
import zlib

import pytest

from nex_automat.errors import PdfStreamsTooLarge
from nex_automat.extract.pdf import read_pdf
from nex_automat.extract.pdf_streams import DECODERS, check_stream_sizes
from tests.extract import pdfs

MIB = 1024 * 1024
TEXT = b"BT /F1 12 Tf 72 770 Td (Faktura 2024001) Tj ET\n"
FAST = 2.0
"""Seconds: refusing a bomb must not cost what inflating it would."""


def lzw(data: bytes) -> bytes:
    """LZW as PDF writes it (MSB-first codes of 9–12 bits, early change), for the tests."""
    table = {bytes([i]): i for i in range(256)}
    codes = [256]
    word = b""
    for value in data:
        candidate = word + bytes([value])
        if candidate in table:
            word = candidate
            continue
        codes.append(table[word])
        if len(table) + 2 < 4096:
            table[candidate] = len(table) + 2
        else:
            codes.append(256)
            table = {bytes([i]): i for i in range(256)}
        word = bytes([value])
    codes += [table[word], 257] if word else [257]
    out, bits, value, next_code, width = bytearray(), 0, 0, 258, 9
    for code in codes:
        value, bits = (value << width) | code, bits + width
        while bits >= 8:
            bits -= 8
            out.append((value >> bits) & 0xFF)
        next_code = 258 if code == 256 else next_code + 1
        width = 9 if code == 256 else min(12, next_code.bit_length())
    if bits:
        out.append((value << (8 - bits)) & 0xFF)
    return bytes(out)


def run_length(data: bytes) -> bytes:
    """RunLength data: runs of up to 128 equal bytes as repeats, anything else as literals."""
    out = bytearray()
    for start in range(0, len(data), 128):
        run = data[start : start + 128]
        if run.count(run[0]) == len(run):
            out += bytes([257 - len(run), run[0]])
        else:
            out += bytes([len(run) - 1]) + run
    return bytes(out + b"\x80")


def page_with_content(encoded: bytes, filters: bytes) -> bytes:
    """A one-page PDF whose content stream is ``encoded`` under ``filters``."""
    return pdfs.content_pdf(encoded, b"/Filter " + filters)


def flate_bomb(megabytes: int) -> bytes:
    """Zlib data of ``megabytes`` MiB of spaces (valid content, a thousandfold smaller).

    One fully flushed deflate block of a MiB is repeated: after a full flush a block does
    not refer back, so repeating it is valid deflate, made in milliseconds.
    """
    chunk = b" " * MIB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + block * megabytes + b"\x03\x00" + checksum.to_bytes(4, "big")


@pytest.mark.parametrize(
    ("encode", "filters"),
    [
        (zlib.compress, b"/FlateDecode"),
        (lambda d: zlib.compress(zlib.compress(d)), b"[/FlateDecode /FlateDecode]"),
        (lambda d: base64.a85encode(zlib.compress(d)) + b"~>", b"[/A85 /Fl]"),
        (lambda d: zlib.compress(d).hex().encode() + b">", b"[/ASCIIHexDecode /FlateDecode]"),
        (lzw, b"/LZWDecode"),
        (run_length, b"/RunLengthDecode"),
    ],
    ids=["flate", "flate_twice", "ascii85_flate", "hex_flate", "lzw", "run_length"],
)
def test_each_filter_chain_decodes_as_pdfium_reads_it(encode: object, filters: bytes) -> None:
    assert callable(encode)
    document = read_pdf(page_with_content(encode(TEXT), filters))
    assert [word.text for word in document.pages[0].words] == ["Faktura", "2024001"]


@pytest.mark.parametrize(
    ("encode", "name"),
    [(zlib.compress, "FlateDecode"), (lzw, "LZWDecode"), (run_length, "RunLengthDecode")],
)
def test_the_decoders_give_back_the_encoded_bytes(encode: object, name: str) -> None:
    assert callable(encode)
    data = TEXT * 300 + bytes(range(256)) * 40 + b"x" * 5000
    assert DECODERS[name](encode(data), len(data)) == data


def test_the_bombs_these_tests_build_are_valid_flate() -> None:
    assert zlib.decompress(flate_bomb(3)) == b" " * 3 * MIB


BUDGET = 32 * MIB
"""A smaller budget than the default keeps the tests fast; the bombs are 40 times it."""


@pytest.mark.parametrize(
    ("make", "filters"),
    [
        (lambda: flate_bomb(40), b"/FlateDecode"),
        (lambda: zlib.compress(flate_bomb(40)), b"[/FlateDecode /FlateDecode]"),
        (lambda: flate_bomb(40).hex().encode(), b"[/AHx /FlateDecode]"),
        (lambda: flate_bomb(40), b"/Fl#61teDecode"),
        (lambda: flate_bomb(40), b"/FlateDecode" + b" " * 5000),
        (lambda: lzw(b" " * MIB), b"/LZWDecode"),
    ],
    ids=["flate", "flate_twice", "hex_flate", "escaped_name", "padded_dictionary", "lzw"],
)
def test_a_bomb_is_refused_before_pdfium_inflates_it(make: object, filters: bytes) -> None:
    assert callable(make)
    data = page_with_content(make(), filters)
    budget = BUDGET if b"LZW" not in filters else MIB // 4
    assert len(data) * 25 < budget
    started = time.perf_counter()
    with pytest.raises(PdfStreamsTooLarge) as refused:
        read_pdf(data, max_inflated=budget)
    assert time.perf_counter() - started < FAST
    assert refused.value.code == "pdf_streams_too_large"


def test_the_default_budget_refuses_a_gigabyte_from_a_megabyte() -> None:
    data = page_with_content(flate_bomb(1024), b"/FlateDecode")
    assert len(data) < 1.1 * MIB
    with pytest.raises(PdfStreamsTooLarge):
        read_pdf(data)


def test_the_budget_is_for_all_streams_together() -> None:
    streams = [pdfs.stream(zlib.compress(b" " * MIB), b"/Filter /FlateDecode")] * 5
    data = pdfs.raw_pdf([b"<< /Type /Catalog >>", *streams])
    check_stream_sizes(data, max_inflated=5 * MIB)
    with pytest.raises(PdfStreamsTooLarge):
        check_stream_sizes(data, max_inflated=5 * MIB - 1)


def test_a_run_length_bomb_is_refused_by_the_budget() -> None:
    data = page_with_content(run_length(b" " * (8 * MIB)), b"/RunLengthDecode")
    with pytest.raises(PdfStreamsTooLarge):
        read_pdf(data, max_inflated=4 * MIB)


def test_damaged_flate_data_counts_what_inflates_before_the_damage() -> None:
    damaged = zlib.compress(b" " * (2 * MIB))[:-200] + b"\xff" * 50
    data = page_with_content(damaged, b"/FlateDecode")
    check_stream_sizes(data, max_inflated=2 * MIB)
    with pytest.raises(PdfStreamsTooLarge):
        check_stream_sizes(data, max_inflated=MIB)


def test_an_ordinary_invoice_is_scanned_in_milliseconds() -> None:
    data = pdfs.invoice_pdf()
    started = time.perf_counter()
    check_stream_sizes(data)
    assert time.perf_counter() - started < 0.2
