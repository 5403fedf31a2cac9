"""What an e-mail brings: who sent it, and the invoice documents among its parts.

Pure: raw message bytes in, documents out; no IMAP, no database. A part is a document when
its *content* is a PDF, XML or ISDOCX (:func:`nex_automat.extract.media.sniff_media_type`),
whatever its name or declared type says. A ZIP that is not an ``.isdocx`` is an archive
of documents and is unpacked here, under limits, because archives are where zip bombs
and path tricks hide: the entry count, the total unpacked size and the compression ratio
are bounded, sizes are enforced while reading (headers can lie), archives inside archives
are not opened, and entry names are reduced to a plain display name that is never used as
a path.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import Message
from email.parser import BytesParser

from nex_automat.extract.media import PDF, XML, ZIP, sniff_media_type

ISDOCX_SUFFIX = ".isdocx"
MAX_NAME_CHARS = 200
MAX_MESSAGE_ID_CHARS = 500
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f/\\:]+")
_BODY_TYPES = frozenset({"text/plain", "text/html"})
"""Message bodies: parts of these types are documents only when named (and not HTML)."""
_NEVER_DOCUMENTS = frozenset({"text/html"})


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Bounds on unpacking one archive attachment."""

    max_entries: int = 100
    max_total_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 100
    """Unpacked size over compressed size, per entry; real invoices stay far below it."""


@dataclass(frozen=True, slots=True)
class DocumentPart:
    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class SkippedPart:
    filename: str
    reason: str


@dataclass(frozen=True, slots=True)
class MailContent:
    sender: str | None
    """The From address, lower-case; ``None`` when the header is missing or unreadable."""
    subject: str | None
    message_id: str
    """The Message-ID header, or one derived from the message's bytes when it has none."""
    sent_at: datetime | None
    documents: tuple[DocumentPart, ...]
    skipped: tuple[SkippedPart, ...]


def read_mail(raw: bytes, limits: ZipLimits | None = None) -> MailContent:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    documents, skipped = document_parts(message, limits or ZipLimits())
    return MailContent(
        sender=_sender(message),
        subject=_header_text(message, "Subject"),
        message_id=_message_id(message, raw),
        sent_at=_date(message),
        documents=tuple(documents),
        skipped=tuple(skipped),
    )


def sender_allowed(sender: str | None, allowed: Sequence[str]) -> bool:
    """``allowed`` holds exact addresses and ``@domain`` entries; empty allows everyone."""
    if not allowed:
        return True
    if not sender:
        return False
    address = sender.strip().lower()
    domain = "@" + address.rpartition("@")[2]
    for entry in allowed:
        rule = entry.strip().lower()
        if rule == (domain if rule.startswith("@") else address):
            return True
    return False


def document_parts(
    message: Message, limits: ZipLimits
) -> tuple[list[DocumentPart], list[SkippedPart]]:
    documents: list[DocumentPart] = []
    skipped: list[SkippedPart] = []
    for index, part in enumerate(message.walk(), start=1):
        if part.is_multipart() or not _is_attachment(part):
            continue
        name = display_name(_part_filename(part), f"attachment-{index}")
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data:
            skipped.append(SkippedPart(name, "empty attachment"))
            continue
        found, refused = _documents_in(name, data, limits)
        documents.extend(found)
        skipped.extend(refused)
    return documents, skipped


def _is_attachment(part: Message) -> bool:
    content_type = part.get_content_type()
    if content_type in _NEVER_DOCUMENTS or part.get_content_maintype() == "message":
        return False
    return part.get_filename() is not None or content_type not in _BODY_TYPES


def _documents_in(
    name: str, data: bytes, limits: ZipLimits
) -> tuple[list[DocumentPart], list[SkippedPart]]:
    media_type = sniff_media_type(data)
    if media_type in (PDF, XML):
        return [DocumentPart(name, data)], []
    if media_type == ZIP and name.lower().endswith(ISDOCX_SUFFIX):
        return [DocumentPart(name, data)], []
    if media_type == ZIP:
        return unpack_archive(name, data, limits)
    return [], [SkippedPart(name, "not a PDF, XML, ISDOCX or ZIP")]


def unpack_archive(
    name: str, data: bytes, limits: ZipLimits
) -> tuple[list[DocumentPart], list[SkippedPart]]:
    """The documents inside a ZIP attachment; nothing at all when the archive breaks a limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _unpack(name, archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        return [], [SkippedPart(name, f"damaged ZIP archive: {error}")]
    except _LimitExceeded as error:
        return [], [SkippedPart(name, str(error))]


class _LimitExceeded(Exception):
    pass


def _unpack(
    name: str, archive: zipfile.ZipFile, limits: ZipLimits
) -> tuple[list[DocumentPart], list[SkippedPart]]:
    entries = [entry for entry in archive.infolist() if not entry.is_dir()]
    if len(entries) > limits.max_entries:
        raise _LimitExceeded(f"ZIP archive has {len(entries)} files, over {limits.max_entries}")
    declared = sum(entry.file_size for entry in entries)
    if declared > limits.max_total_bytes:
        raise _LimitExceeded(f"ZIP archive unpacks to {declared} bytes")
    documents: list[DocumentPart] = []
    skipped: list[SkippedPart] = []
    unpacked = 0
    for position, entry in enumerate(entries, start=1):
        entry_name = display_name(_entry_name(entry), f"{name}-{position}")
        label = f"{name}: {entry_name}"
        if entry.flag_bits & 0x1:
            skipped.append(SkippedPart(label, "encrypted ZIP entry"))
            continue
        if entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
            raise _LimitExceeded(f"ZIP entry {entry_name!r} is compressed suspiciously well")
        content = _read_entry(archive, entry, limits.max_total_bytes - unpacked)
        unpacked += len(content)
        media_type = sniff_media_type(content)
        if media_type == ZIP:
            skipped.append(SkippedPart(label, "archives inside archives are not unpacked"))
        elif media_type is None or not content:
            skipped.append(SkippedPart(label, "not a PDF or XML"))
        else:
            documents.append(DocumentPart(entry_name, content))
    return documents, skipped


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> bytes:
    cap = min(entry.file_size, budget)
    try:
        with archive.open(entry) as stream:
            content = stream.read(cap + 1)
    except NotImplementedError as error:
        raise _LimitExceeded(f"ZIP entry uses an unknown compression: {error}") from None
    except RuntimeError as error:
        raise _LimitExceeded(f"ZIP entry cannot be read: {error}") from None
    if len(content) > cap:
        raise _LimitExceeded("ZIP archive unpacks to more than its limit")
    return content


def _entry_name(entry: zipfile.ZipInfo) -> str:
    """Entry names without the UTF-8 flag are CP437 by the standard, but Czech and Slovak
    archivers write UTF-8 or CP852 there; try those before accepting CP437."""
    name = entry.filename
    if entry.flag_bits & 0x800:
        return name
    raw = name.encode("cp437", errors="replace")
    for encoding in ("utf-8", "cp852"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def display_name(name: str | None, fallback: str) -> str:
    """A file name fit for display and records: last path component, no control or
    separator characters, NFC, bounded length. It names; it never locates."""
    if not name:
        return fallback
    last = re.split(r"[/\\]", name)[-1]
    clean = _UNSAFE_NAME_CHARS.sub("_", unicodedata.normalize("NFC", last)).strip(" .")
    if not clean:
        return fallback
    if len(clean) <= MAX_NAME_CHARS:
        return clean
    stem, dot, suffix = clean.rpartition(".")
    if dot and len(suffix) <= 10:
        return f"{stem[: MAX_NAME_CHARS - len(suffix) - 1]}.{suffix}"
    return clean[:MAX_NAME_CHARS]


def _part_filename(part: Message) -> str | None:
    try:
        return part.get_filename()
    except (ValueError, LookupError):
        return None


def _header_text(message: Message, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, LookupError, IndexError):
        return None
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _sender(message: Message) -> str | None:
    try:
        header = message.get("From")
        addresses = getattr(header, "addresses", ())
    except (ValueError, LookupError, IndexError):
        return None
    for address in addresses:
        if address.addr_spec and "@" in address.addr_spec:
            return str(address.addr_spec).lower()
    return None


def _message_id(message: Message, raw: bytes) -> str:
    """A message without a Message-ID still needs a stable one, so that the same message
    fetched again is recognised: the hash of its bytes, which the server keeps unchanged."""
    given = _header_text(message, "Message-ID")
    if given:
        return given[:MAX_MESSAGE_ID_CHARS]
    return f"<{hashlib.sha256(raw).hexdigest()}@nex-automat.invalid>"


def _date(message: Message) -> datetime | None:
    try:
        header = message.get("Date")
        value = getattr(header, "datetime", None)
    except (ValueError, LookupError, IndexError, TypeError):
        return None
    return value if isinstance(value, datetime) else None
