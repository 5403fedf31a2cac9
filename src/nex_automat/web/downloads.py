"""File downloads whose name, chosen by a sender, cannot harm the one who saves it.

The name goes into ``Content-Disposition`` twice: an ASCII fallback and the exact
Unicode name (RFC 6266 / RFC 5987 ``filename*``). Both are reduced to a plain file name by
:func:`nex_automat.filenames.safe_filename`: no folders, no control characters, no quotes
or separators, no leading dots.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from nex_automat.filenames import safe_filename

EXTENSIONS: dict[str, str] = {
    "application/pdf": ".pdf",
    "application/xml": ".xml",
    "application/zip": ".isdocx",
}
"""The extension a nameless (or extensionless) download gets, by media type."""


def download_filename(name: str | None, media_type: str, *, fallback: str = "document") -> str:
    """A plain file name for ``name`` (:func:`~nex_automat.filenames.safe_filename`), with
    the media type's extension when it has none."""
    base = safe_filename(name, fallback)
    if "." not in base:
        base += EXTENSIONS.get(media_type, "")
    return base


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isprintable()).strip(" ._")


def ascii_filename(name: str, *, fallback: str = "document") -> str:
    """``name`` for clients that know only ASCII: accents dropped (``faktúra`` → ``faktura``)."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    plain_extension = _ascii(extension)
    return (_ascii(stem) or fallback) + ("." + plain_extension if plain_extension else "")


def content_disposition(name: str | None, media_type: str, *, fallback: str = "document") -> str:
    """An ``attachment`` disposition for ``name``, safe whatever the sender called it."""
    safe = download_filename(name, media_type, fallback=fallback)
    plain = ascii_filename(safe, fallback=fallback)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(safe, safe='')}"


def download_headers(
    name: str | None, media_type: str, *, fallback: str = "document"
) -> dict[str, str]:
    """Headers that make a browser save the file, never render or run it."""
    return {
        "Content-Disposition": content_disposition(name, media_type, fallback=fallback),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
