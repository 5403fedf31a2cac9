"""The processing job for one document, as named steps with clear failure states.

``load → identical bytes? → extract → render ISDOC → same invoice? → save invoice → match``

* A document the extractor refuses (a ``DocumentError``: encrypted, no text layer, not an
  invoice, …) ends ``failed`` with the error's code and message on the document. It gets
  no invoice: the failure is the document's, and the UI lists failed documents. Such a
  failure is permanent; running it again gives the same answer.
* Bytes identical to an earlier document of the tenant: the document ends ``duplicate``
  pointing at that document, with no invoice of its own.
* The same invoice as an earlier one in different bytes (same number from the same
  supplier): its invoice is saved with status ``duplicate`` and ``duplicate_of`` the
  original invoice, so a reviewer can compare and overrule, and the document ends
  ``duplicate`` pointing at the original's document. So a document in state ``duplicate``
  always points at its original document; whether it has an invoice tells which kind.
* Otherwise the invoice is saved as ``needs_review`` when extraction or the checks left
  warnings, else ``new``, and the document ends ``processed``.
* ISDOC is written beside the document's file when the invoice has what ISDOC requires;
  when it has not, a warning ``isdoc_not_written`` is added (so the invoice needs review)
  instead of a failure.
* A saved invoice is matched against the tenant's catalogue in the same transaction:
  its supplier recognised as a partner and each line tied to a product or proposed as a
  new one (:mod:`nex_automat.catalog.invoice_matching`). A tenant without a catalogue
  (no products, no partners) is not matched. The catalogue's index comes from the
  service's :class:`~nex_automat.catalog.cache.CatalogueCache`, built once per tenant and
  again only when the catalogue changes.

Running the job again gives the same rows and keeps the invoice id (``save_invoice``
replaces in place), so a job interrupted at any point can simply run again.
Any other exception is a bug, not a property of the document: it propagates, and the
runner retries the job later.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from nex_automat.catalog.cache import CatalogueCache
from nex_automat.catalog.invoice_matching import match_invoice
from nex_automat.catalog.matching import CatalogIndex
from nex_automat.domain.model import InvoiceWarning
from nex_automat.errors import DocumentError, IncompleteInvoice, NexError
from nex_automat.extract.document import ExtractOptions, extract_document
from nex_automat.extract.result import ExtractionResult
from nex_automat.extract.templates import TemplateLibrary
from nex_automat.formats.isdoc import write_isdoc
from nex_automat.pipeline.duplicates import (
    hold_duplicate_lock,
    identical_original,
    original_invoice,
)
from nex_automat.pipeline.events import PipelineEvents, method_family
from nex_automat.pipeline.tenant_templates import TenantTemplates
from nex_automat.store.db import Database
from nex_automat.store.documents import get_document, set_document_state
from nex_automat.store.files import DocumentFiles
from nex_automat.store.invoices import save_invoice
from nex_automat.store.models import Document, DocumentState, InvoiceRecord, InvoiceStatus

PROCESS_JOB = "process"
"""The job kind whose work is :meth:`DocumentProcessor.process`."""
ISDOC_SUFFIX = ".isdoc.xml"
SEARCHABLE_SUFFIX = ".searchable.pdf"
"""A scanned document with the recognised text laid under its page images, for the archive."""
ACTOR = "pipeline"
ISDOC_NOT_WRITTEN = "isdoc_not_written"


class DocumentMissing(NexError):
    code = "document_missing"


@dataclass(frozen=True, slots=True)
class _Loaded:
    tenant_id: str
    document_id: str
    sha256: str


@dataclass(frozen=True, slots=True)
class _Rendered:
    result: ExtractionResult
    isdoc: bytes | None


class DocumentProcessor:
    """The processing job for one document, as named steps (see the module docstring).

    Idempotent: running it twice gives the same rows and keeps the invoice id.
    """

    def __init__(
        self,
        db: Database,
        files: DocumentFiles,
        *,
        templates: TemplateLibrary | TenantTemplates | None,
        options: ExtractOptions,
        events: PipelineEvents | None = None,
        catalogue: CatalogueCache | None = None,
    ) -> None:
        self.db = db
        self.files = files
        self.templates = templates
        self.options = options
        self.events = events or PipelineEvents()
        self.catalogue = catalogue

    def process(self, document_id: str) -> DocumentState:
        """Process one document; returns the state it ends in (the tenant is the document's)."""
        started = time.monotonic()
        loaded = self._load(document_id)
        if self._mark_if_identical(loaded):
            return DocumentState.DUPLICATE
        try:
            result = self._extract(loaded)
        except DocumentError as error:
            self.record_failure(document_id, error.code, error.message)
            return DocumentState.FAILED
        rendered = self._render_isdoc(result)
        files = self.files.tenant(loaded.tenant_id)
        if rendered.isdoc is not None:
            files.put_derived(loaded.sha256, ISDOC_SUFFIX, rendered.isdoc)
        if result.searchable_pdf is not None:
            files.put_derived(loaded.sha256, SEARCHABLE_SUFFIX, result.searchable_pdf)
        state = self._save(loaded, rendered.result, self._catalogue_index(loaded))
        self.events.document_processed(method_family(result.method), time.monotonic() - started)
        return state

    # ----------------------------------------------------------------------------- steps

    def _load(self, document_id: str) -> _Loaded:
        with self.db.session() as session:
            tenant_id = _require_document(session, document_id).tenant_id
        with self.db.tenant_session(tenant_id) as session:
            document = _require_document(session, document_id)
            set_document_state(session, document, DocumentState.PROCESSING)
            return _Loaded(tenant_id=tenant_id, document_id=document.id, sha256=document.sha256)

    def _mark_if_identical(self, loaded: _Loaded) -> bool:
        with self.db.tenant_session(loaded.tenant_id) as session:
            document = _require_document(session, loaded.document_id)
            original = identical_original(session, document)
            if original is None:
                return False
            set_document_state(session, document, DocumentState.DUPLICATE, duplicate_of=original.id)
            return True

    def _extract(self, loaded: _Loaded) -> ExtractionResult:
        data = self.files.tenant(loaded.tenant_id).get(loaded.sha256)
        templates = self.templates
        if isinstance(templates, TenantTemplates):
            templates = templates.for_tenant(loaded.tenant_id)
        return extract_document(data, templates=templates, options=self.options)

    @staticmethod
    def _render_isdoc(result: ExtractionResult) -> _Rendered:
        try:
            return _Rendered(result=result, isdoc=write_isdoc(result.invoice))
        except IncompleteInvoice as error:
            warning = InvoiceWarning(ISDOC_NOT_WRITTEN, f"ISDOC not written: {error.message}")
            warned = replace(result, warnings=[*result.warnings, warning])
            return _Rendered(result=warned, isdoc=None)

    def _catalogue_index(self, loaded: _Loaded) -> CatalogIndex | None:
        """The tenant's catalogue to match against; ``None`` when it has none."""
        if self.catalogue is None:
            return None
        index = self.catalogue.index(loaded.tenant_id)
        return index if index.products or index.partners else None

    def _save(
        self, loaded: _Loaded, result: ExtractionResult, index: CatalogIndex | None
    ) -> DocumentState:
        with self.db.tenant_session(loaded.tenant_id) as session:
            hold_duplicate_lock(session, loaded.tenant_id)
            document = _require_document(session, loaded.document_id)
            original = original_invoice(session, document.id, result.invoice)
            if original is not None:
                record = save_invoice(
                    session,
                    document.id,
                    result,
                    status=InvoiceStatus.DUPLICATE,
                    duplicate_of=original.id,
                    actor=ACTOR,
                )
                _match(session, record, index)
                set_document_state(
                    session, document, DocumentState.DUPLICATE, duplicate_of=original.document_id
                )
                return DocumentState.DUPLICATE
            status = InvoiceStatus.NEEDS_REVIEW if result.warnings else InvoiceStatus.NEW
            record = save_invoice(session, document.id, result, status=status, actor=ACTOR)
            _match(session, record, index)
            set_document_state(session, document, DocumentState.PROCESSED)
            return DocumentState.PROCESSED

    # ------------------------------------------------------------------- failure states

    def record_failure(self, document_id: str, code: str, message: str) -> None:
        """The document cannot be processed: it ends ``failed`` with why."""
        self._set_state(document_id, DocumentState.FAILED, code, message)
        self.events.processing_failed(code)

    def record_retry(self, document_id: str, code: str, message: str) -> None:
        """Processing broke and will be tried again: back to ``received``, with the last error."""
        self._set_state(document_id, DocumentState.RECEIVED, code, message)
        self.events.processing_failed(code)

    def _set_state(self, document_id: str, state: DocumentState, code: str, message: str) -> None:
        with self.db.session() as session:
            document = _require_document(session, document_id)
            set_document_state(session, document, state, error_code=code, error_message=message)


def _match(session: Session, record: InvoiceRecord, index: CatalogIndex | None) -> None:
    if index is not None:
        match_invoice(session, record, index, actor=ACTOR)


def _require_document(session: Session, document_id: str) -> Document:
    document = get_document(session, document_id)
    if document is None:
        raise DocumentMissing(f"no document {document_id!r}")
    return document
