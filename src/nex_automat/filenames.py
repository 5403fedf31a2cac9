"""File names that come from outside, made harmless wherever they are shown or sent.

Senders choose the names of uploads, mail attachments, archive entries and hot-folder
files, and those names travel on into records, pages, logs, exports and the
``Content-Disposition`` of downloads. :func:`safe_filename` is the one way a name from
outside is taken in: it names, it never locates (documents are stored by their SHA-256,
never under a sender's name). It keeps the last path component only, turns control,
formatting and bidirectional characters (``invoice\u202efdp.exe``) and the characters that
separate paths, quote headers or mean something to a shell or Windows into ``_``, drops
leading dots (no hidden files), avoids Windows' reserved device names, and bounds the
length while keeping the extension.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 150
MAX_EXTENSION_CHARS = 10

_SEPARATORS = re.compile(r"[/\\]")
_UNSAFE = re.compile(r'[:*?"<>|;,%\x00-\x1f\x7f]')
_RUNS = re.compile(r"_{2,}")
_SPACES = re.compile(r"\s+")
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)


def safe_filename(name: str | None, fallback: str = "document") -> str:
    """``name`` as a plain, harmless file name; ``fallback`` when nothing of it is left."""
    base = _SEPARATORS.split(unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join("_" if unicodedata.category(ch)[0] == "C" else ch for ch in base)
    base = _RUNS.sub("_", _SPACES.sub(" ", _UNSAFE.sub("_", base))).strip(" ._")
    if not base:
        return fallback
    if base.split(".", 1)[0].lower() in _WINDOWS_DEVICES:
        base = f"{fallback}-{base}"
    return _shortened(base)


def _shortened(name: str) -> str:
    if len(name) <= MAX_NAME_CHARS:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and len(extension) <= MAX_EXTENSION_CHARS:
        return f"{stem[: MAX_NAME_CHARS - len(extension) - 1].rstrip(' ._')}.{extension}"
    return name[:MAX_NAME_CHARS].rstrip(" ._")
