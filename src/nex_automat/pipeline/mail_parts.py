"""What an e-mail brings: who sent it, and the invoice documents among its parts.

Pure: raw message bytes in, documents out; no IMAP, no database. A part is a document when
its *content* is a PDF, XML or ISDOCX (:func:`nex_automat.extract.media.sniff_media_type`),
whatever its name or declared type says. A ZIP that is not an ``.isdocx`` is an archive
of documents and is unpacked here, under the limits of :mod:`nex_automat.formats.archive`,
because archives are where zip bombs and path tricks hide: the entry count, the total
unpacked size (shared with the archives inside), the compression ratio and the nesting
depth are bounded, sizes are enforced while reading (headers can lie), and attachment and
entry names are reduced by :func:`~nex_automat.filenames.safe_filename`, never used as paths.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import Message
from email.parser import BytesParser

from nex_automat.errors import (
    DocumentError,
    EmptyDocument,
    EncryptedArchive,
    NestedArchive,
    UnsupportedMediaType,
)
from nex_automat.extract.media import PDF, XML, ZIP, sniff_media_type
from nex_automat.filenames import safe_filename
from nex_automat.formats.archive import (
    ZipLimits,
    check_declared_size,
    file_entries,
    is_encrypted,
    open_archive,
    read_entry,
)

ISDOCX_SUFFIX = ".isdocx"
MAX_MESSAGE_ID_CHARS = 500
_BODY_TYPES = frozenset({"text/plain", "text/html"})
"""Message bodies: parts of these types are documents only when named (and not HTML)."""
_NEVER_DOCUMENTS = frozenset({"text/html"})
NESTED_REASON = "archives inside archives are not unpacked"


@dataclass(frozen=True, slots=True)
class DocumentPart:
    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class SkippedPart:
    filename: str
    reason: str
    code: str = UnsupportedMediaType.code
    """The stable code of why: the archive error's, or that the part is no document."""


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
        name = safe_filename(_part_filename(part), f"attachment-{index}")
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data:
            skipped.append(SkippedPart(name, "empty attachment", EmptyDocument.code))
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
    """The documents inside a ZIP attachment; nothing at all when the archive breaks a limit
    or is damaged (its one skipped part then carries the error's code)."""
    try:
        return _unpack(name, data, limits, _Budget(limits.max_total_bytes), depth=1)
    except DocumentError as error:
        return [], [SkippedPart(name, error.message, error.code)]


@dataclass(slots=True)
class _Budget:
    """Bytes still allowed to unpack, shared by an archive and the archives inside it."""

    left: int


def _unpack(
    name: str, data: bytes, limits: ZipLimits, budget: _Budget, *, depth: int
) -> tuple[list[DocumentPart], list[SkippedPart]]:
    documents: list[DocumentPart] = []
    skipped: list[SkippedPart] = []
    with open_archive(data) as archive:
        entries = file_entries(archive, limits)
        check_declared_size(entries, limits)
        for position, entry in enumerate(entries, start=1):
            entry_name = safe_filename(_entry_name(entry), f"{name}-{position}")
            label = f"{name}: {entry_name}"
            if is_encrypted(entry):
                skipped.append(SkippedPart(label, "encrypted ZIP entry", EncryptedArchive.code))
                continue
            content = read_entry(archive, entry, max_bytes=budget.left, max_ratio=limits.max_ratio)
            budget.left -= len(content)
            media_type = sniff_media_type(content)
            if media_type == ZIP and entry_name.lower().endswith(ISDOCX_SUFFIX):
                documents.append(DocumentPart(entry_name, content))
            elif media_type == ZIP and depth < limits.max_depth:
                found, refused = _unpack(label, content, limits, budget, depth=depth + 1)
                documents.extend(found)
                skipped.extend(refused)
            elif media_type == ZIP:
                skipped.append(SkippedPart(label, NESTED_REASON, NestedArchive.code))
            elif media_type not in (PDF, XML):
                skipped.append(SkippedPart(label, "not a PDF or XML", UnsupportedMediaType.code))
            else:
                documents.append(DocumentPart(entry_name, content))
    return documents, skipped


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
