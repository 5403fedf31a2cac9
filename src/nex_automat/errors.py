"""Errors a user can cause, each with a stable code.

The code is part of the public contract (``nex-automat extract --json`` prints it), so
callers branch on ``error.code``, never on the message text.
"""

from __future__ import annotations


class NexError(Exception):
    """Base of every error NEX Automat reports to a user."""

    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DocumentError(NexError):
    """A document could not be turned into an invoice."""


class FileNotFound(DocumentError):
    code = "file_not_found"


class NotAPdf(DocumentError):
    code = "not_a_pdf"


class EmptyDocument(DocumentError):
    code = "empty_document"


class EncryptedPdf(DocumentError):
    code = "encrypted_pdf"


class UnreadableDocument(DocumentError):
    code = "unreadable"


class TooManyPages(DocumentError):
    code = "too_many_pages"


class DocumentTooLarge(DocumentError):
    code = "document_too_large"


class DamagedArchive(UnreadableDocument):
    """A ZIP archive (an ISDOCX, or an archive of documents) whose structure or data is broken."""

    code = "damaged_archive"


class ArchiveTooManyEntries(DocumentTooLarge):
    code = "archive_too_many_entries"


class ArchiveTooLarge(DocumentTooLarge):
    """A ZIP archive that unpacks to more bytes than allowed, whatever its headers claim."""

    code = "archive_too_large"


class ArchiveCompressionRatio(DocumentTooLarge):
    """An entry compressed far better than any document compresses: a ZIP bomb."""

    code = "archive_compression_ratio"


class EncryptedArchive(DocumentError):
    """A ZIP entry protected by a password: it cannot be read without one."""

    code = "encrypted_archive"


class NestedArchive(DocumentError):
    """An archive inside an archive, deeper than the nesting allowed."""

    code = "nested_archive"


class PdfStreamsTooLarge(DocumentTooLarge):
    """A PDF whose compressed streams inflate to far more than any invoice: a decompression bomb."""

    code = "pdf_streams_too_large"


class NoTextLayer(DocumentError):
    code = "no_text_layer"


class ImageTooLarge(DocumentError):
    """An image with more pixels than a scanned page can have: a decompression bomb."""

    code = "image_too_large"


class OcrTimeout(DocumentError):
    """Recognising one page took longer than the per-page limit."""

    code = "ocr_timeout"


class OcrUnavailable(DocumentError):
    """The OCR engine (Tesseract) is not installed or cannot run."""

    code = "ocr_unavailable"


class NoInvoiceFound(DocumentError):
    code = "no_invoice_found"


class TemplateError(NexError):
    """A supplier template file is malformed; names the file and the key."""

    code = "invalid_template"


class XmlError(DocumentError):
    """An XML document was refused or could not be parsed safely."""

    code = "invalid_xml"


class XmlEntitiesRefused(XmlError):
    """The document declares a DTD or entities: refused, never resolved."""

    code = "xml_entities_refused"


class XmlTooLarge(XmlError):
    code = "xml_too_large"


class XmlTooDeep(XmlError):
    code = "xml_too_deep"


class UnsupportedFormat(DocumentError):
    """Structured data in a format or document kind NEX Automat does not read."""

    code = "unsupported_format"


class IncompleteInvoice(NexError, ValueError):
    """An invoice lacks a value the target format requires and nothing can derive."""

    code = "incomplete_invoice"


class UnsupportedMediaType(DocumentError):
    """The bytes are not a kind of document NEX Automat accepts (decided by content, not name)."""

    code = "unsupported_media_type"


class MailboxError(NexError):
    """An IMAP mailbox could not be polled; the poll is retried later."""

    code = "mailbox_error"


class MailboxUnavailable(MailboxError):
    """The server cannot be reached or dropped the connection."""

    code = "mailbox_unavailable"


class MailboxLoginFailed(MailboxError):
    code = "mailbox_login_failed"


class WatchedFolderUnavailable(NexError):
    """A watched folder cannot be listed or its processed/failed folders cannot be made."""

    code = "watched_folder_unavailable"
