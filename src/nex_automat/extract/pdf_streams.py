"""How many bytes a PDF's streams inflate to, measured before PDFium decodes any of them.

A PDF of a few megabytes can carry a Flate stream that inflates a thousandfold, and
PDFium decodes a page's content streams whole, in memory, while reading its text: a 1 MB
file inflating to 1 GB costs seconds and gigabytes. So every stream is decoded here
first, through the filters a bomb can be built from (Flate, LZW, RunLength, and the
ASCII wrappers around them, in the order the stream's ``/Filter`` names them), counting
what comes out and stopping as soon as the document's budget is spent. Image codecs
(DCT, JPX, JBIG2, CCITT) end the chain: their output is bounded by the image's size.

The scan reads the file's bytes, not its object graph, so it sees every stream, used or
not. It cannot see into encrypted streams; PDFium decrypts those itself.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Callable

from nex_automat.errors import PdfStreamsTooLarge

MAX_INFLATED_BYTES = 256 * 1024 * 1024
"""What all streams of one document may inflate to. The content streams, fonts and object
streams of a 300-page invoice stay far below it; a decompression bomb does not."""

_CHUNK = 1 << 20
_DICT_WINDOW = 4096
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_WHITESPACE = re.compile(rb"\s+")

Decoder = Callable[[bytes, int], bytes]
"""Decodes a stream's bytes, giving at most ``limit + 1`` bytes so a bomb stops early."""


def check_stream_sizes(data: bytes, max_inflated: int = MAX_INFLATED_BYTES) -> None:
    """Refuse a PDF whose streams together inflate to more than ``max_inflated`` bytes."""
    total = 0
    for start, end, filters in _streams(data):
        total += _decoded_size(data[start:end], filters, max_inflated - total)
        if total > max_inflated:
            raise PdfStreamsTooLarge(
                f"the PDF's compressed streams inflate to over {max_inflated:,} bytes: "
                "a decompression bomb, not an invoice"
            )


def _streams(data: bytes) -> list[tuple[int, int, list[str]]]:
    """Each stream's data span and the filters its dictionary names, in order."""
    found = []
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        head = data[max(0, match.start() - _DICT_WINDOW) : match.start()]
        found.append((start, end, _filters(head[head.rfind(b"obj") + 1 :])))
    return found


def _filters(dictionary: bytes) -> list[str]:
    match = _FILTER.search(dictionary)
    if match is None:
        # Whatever the dictionary says (or hides beyond the window), Flate data is tried:
        # trying costs nothing on data that is not Flate.
        return ["FlateDecode"]
    return [_unescaped(name) for name in _NAME.findall(match.group(1))]


def _unescaped(name: bytes) -> str:
    """A PDF name with its ``#xx`` escapes resolved: ``/Fl#61teDecode`` is Flate too."""
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name).decode("latin-1")


def _decoded_size(raw: bytes, filters: list[str], budget: int) -> int:
    """The bytes the stream decodes to, or more than ``budget`` once that is certain."""
    data = raw
    chain = [DECODERS[name] for name in _known_prefix(filters)]
    for position, decoder in enumerate(chain):
        if decoder is _flate and position == len(chain) - 1:
            return _inflated_size(data, max(budget, 0))
        data = decoder(data, max(budget, 0))
        if len(data) > budget:
            break
    return len(data)


def _known_prefix(filters: list[str]) -> list[str]:
    known = []
    for name in filters:
        if name not in DECODERS:
            break
        known.append(name)
    return known


def _inflate(data: bytes, limit: int, sink: Callable[[bytes], None]) -> None:
    """Feed ``sink`` the inflated chunks of ``data`` until more than ``limit`` came out."""
    inflater = zlib.decompressobj()
    size = 0
    pending = data
    try:
        while pending and size <= limit and not inflater.eof:
            chunk = inflater.decompress(pending, min(_CHUNK, limit + 1 - size))
            pending = inflater.unconsumed_tail
            if not chunk:
                break
            sink(chunk)
            size += len(chunk)
    except zlib.error:
        pass  # damaged data: PDFium stops at the same place, with what came out so far


def _flate(data: bytes, limit: int) -> bytes:
    parts: list[bytes] = []
    _inflate(data, limit, parts.append)
    return b"".join(parts)


def _inflated_size(data: bytes, limit: int) -> int:
    """What ``data`` inflates to, counted without keeping it (a bomb's last stage)."""
    sizes: list[int] = []
    _inflate(data, limit, lambda chunk: sizes.append(len(chunk)))
    return sum(sizes)


def _ascii_hex(data: bytes, limit: int) -> bytes:
    digits = _WHITESPACE.sub(b"", data.split(b">", 1)[0])
    try:
        return binascii.unhexlify(digits + b"0" * (len(digits) % 2))[: limit + 1]
    except (binascii.Error, ValueError):
        return b""


def _ascii85(data: bytes, limit: int) -> bytes:
    text = _WHITESPACE.sub(b"", data.split(b"~>", 1)[0]).removeprefix(b"<~")
    try:
        return base64.a85decode(text)[: limit + 1]
    except ValueError:
        return b""


def _run_length(data: bytes, limit: int) -> bytes:
    out = bytearray()
    index = 0
    while index < len(data) and len(out) <= limit:
        length = data[index]
        if length == 128:
            break
        if length < 128:
            out += data[index + 1 : index + 2 + length]
            index += 2 + length
        else:
            out += data[index + 1 : index + 2] * (257 - length)
            index += 2
    return bytes(out[: limit + 1])


def _lzw(data: bytes, limit: int) -> bytes:
    """LZW as PDF uses it: MSB-first codes of 9 to 12 bits, early change."""
    out = bytearray()
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width, previous = 9, b""
    bits = value = 0
    for byte in data:
        value = (value << 8) | byte
        bits += 8
        while bits >= width:
            bits -= width
            code = (value >> bits) & ((1 << width) - 1)
            if code == 256:
                table, width, previous = table[:258], 9, b""
                continue
            if code == 257 or len(out) > limit:
                return bytes(out[: limit + 1])
            if code < len(table):
                entry = table[code]
            elif previous:
                entry = previous + previous[:1]
            else:
                return bytes(out[: limit + 1])
            out += entry
            if previous and len(table) < 4096:
                table.append(previous + entry[:1])
            previous = entry
            width = min(12, max(9, (len(table) + 1).bit_length()))
    return bytes(out[: limit + 1])


DECODERS: dict[str, Decoder] = {
    "FlateDecode": _flate,
    "Fl": _flate,
    "LZWDecode": _lzw,
    "LZW": _lzw,
    "RunLengthDecode": _run_length,
    "RL": _run_length,
    "ASCIIHexDecode": _ascii_hex,
    "AHx": _ascii_hex,
    "ASCII85Decode": _ascii85,
    "A85": _ascii85,
}
"""The filters a stream is decoded through here; any other ends its chain."""
