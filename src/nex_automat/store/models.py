"""The database tables.

Every row except a tenant belongs to a tenant (:class:`TenantOwned`); the scoping itself
lives in :mod:`nex_automat.store.tenancy`. Invoice and line columns mirror the domain
model field by field, so :mod:`nex_automat.store.invoices` converts without guessing.
Extracted line values are kept as read; a reviewer's edits sit beside them in ``edits``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from nex_automat.store.sqltypes import DecimalText, UtcDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        Decimal: DecimalText(),
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def new_id() -> str:
    return str(uuid.uuid4())


ONLY_ON = "only_on"
"""``info`` key of a schema item that exists on one database only (its dialect name)."""


def trigram_index(name: str, column: str) -> Index:
    """A pg_trgm GIN index, so ``ILIKE '%text%'`` on ``column`` needn't scan the table.

    PostgreSQL only (migration 0004 creates the extension); SQLite has no such index.
    """
    return Index(
        name,
        column,
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops"},
        info={ONLY_ON: "postgresql"},
    ).ddl_if(dialect="postgresql")


def exists_on(item: object, dialect: str) -> bool:
    """Whether a schema item of the models is built on ``dialect`` (see :data:`ONLY_ON`).

    Alembic's comparison ignores ``ddl_if``; pass this as its ``include_object``.
    """
    info = getattr(item, "info", {})
    return info.get(ONLY_ON, dialect) == dialect


def _enum(cls: type[StrEnum]) -> Enum:
    """Stored as its value in a plain string column, so a new state needs no DDL."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class DocumentSource(StrEnum):
    UPLOAD = "upload"
    MAILBOX = "mailbox"
    FOLDER = "folder"
    CLI = "cli"


class DocumentState(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    PROCESSED = "processed"
    FAILED = "failed"
    DUPLICATE = "duplicate"


class InvoiceStatus(StrEnum):
    NEW = "new"
    NEEDS_REVIEW = "needs_review"
    APPROVED = "approved"
    EXPORTED = "exported"
    REJECTED = "rejected"
    FAILED = "failed"
    DUPLICATE = "duplicate"


class Role(StrEnum):
    """What a person may do; :mod:`nex_automat.web.ui.roles` says which role allows what."""

    OPERATOR = "operator"
    APPROVER = "approver"
    ADMIN = "admin"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Tenant(Base):
    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TenantOwned:
    """A row that belongs to one tenant; tenant sessions see and write only their own."""

    tenant_id: Mapped[str] = mapped_column(String(64), ForeignKey("tenants.id"))


class ApiKey(TenantOwned, Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class Document(TenantOwned, Base):
    __tablename__ = "documents"
    __table_args__ = (
        Index(None, "tenant_id", "sha256"),
        Index(None, "tenant_id", "message_id"),
        Index(None, "tenant_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    source: Mapped[DocumentSource] = mapped_column(_enum(DocumentSource))
    sender: Mapped[str | None] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(500))
    received_at: Mapped[datetime | None]
    state: Mapped[DocumentState] = mapped_column(
        _enum(DocumentState), default=DocumentState.RECEIVED
    )
    error_code: Mapped[str | None] = mapped_column(String(100))
    error_message: Mapped[str | None] = mapped_column(Text)
    duplicate_of: Mapped[str | None] = mapped_column(String(36), ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InvoiceRecord(TenantOwned, Base):
    """An invoice as stored: the domain :class:`~nex_automat.domain.model.Invoice` flattened."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("document_id"),
        Index(None, "tenant_id", "status"),
        Index(None, "tenant_id", "supplier_ico", "number"),
        Index(None, "tenant_id", "supplier_vat_id", "number"),
        Index(None, "tenant_id", "issue_date"),
        Index(None, "tenant_id", "created_at", "id"),
        trigram_index("ix_invoices_number_trgm", "number"),
        trigram_index("ix_invoices_supplier_name_trgm", "supplier_name"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(String(36), ForeignKey("documents.id"))
    status: Mapped[InvoiceStatus] = mapped_column(_enum(InvoiceStatus), default=InvoiceStatus.NEW)
    duplicate_of: Mapped[str | None] = mapped_column(String(36), ForeignKey("invoices.id"))
    method: Mapped[str] = mapped_column(String(20))
    template: Mapped[str | None] = mapped_column(String(200))
    pages: Mapped[int | None]

    document_type: Mapped[str] = mapped_column(String(32))
    number: Mapped[str | None] = mapped_column(String(100))
    issue_date: Mapped[date | None]
    tax_point_date: Mapped[date | None]
    due_date: Mapped[date | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    variable_symbol: Mapped[str | None] = mapped_column(String(20))
    constant_symbol: Mapped[str | None] = mapped_column(String(10))
    order_reference: Mapped[str | None] = mapped_column(String(200))
    preceding_invoice: Mapped[str | None] = mapped_column(String(100))
    buyer_reference: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    exchange_rate: Mapped[Decimal | None]

    supplier_name: Mapped[str | None] = mapped_column(String(500))
    supplier_ico: Mapped[str | None] = mapped_column(String(20))
    supplier_dic: Mapped[str | None] = mapped_column(String(20))
    supplier_vat_id: Mapped[str | None] = mapped_column(String(20))
    supplier_street: Mapped[str | None] = mapped_column(String(500))
    supplier_city: Mapped[str | None] = mapped_column(String(200))
    supplier_postal_code: Mapped[str | None] = mapped_column(String(20))
    supplier_country: Mapped[str | None] = mapped_column(String(2))
    supplier_iban: Mapped[str | None] = mapped_column(String(34))
    supplier_bic: Mapped[str | None] = mapped_column(String(11))

    customer_name: Mapped[str | None] = mapped_column(String(500))
    customer_ico: Mapped[str | None] = mapped_column(String(20))
    customer_dic: Mapped[str | None] = mapped_column(String(20))
    customer_vat_id: Mapped[str | None] = mapped_column(String(20))
    customer_street: Mapped[str | None] = mapped_column(String(500))
    customer_city: Mapped[str | None] = mapped_column(String(200))
    customer_postal_code: Mapped[str | None] = mapped_column(String(20))
    customer_country: Mapped[str | None] = mapped_column(String(2))
    customer_iban: Mapped[str | None] = mapped_column(String(34))
    customer_bic: Mapped[str | None] = mapped_column(String(11))

    total_net: Mapped[Decimal | None]
    total_vat: Mapped[Decimal | None]
    total_gross: Mapped[Decimal | None]
    rounding: Mapped[Decimal | None]
    amount_due: Mapped[Decimal | None]
    prepaid_amount: Mapped[Decimal | None]

    vat_breakdown: Mapped[list[Any]] = mapped_column(default=list)
    allowances_charges: Mapped[list[Any]] = mapped_column(default=list)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    edits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Reviewer's header and party values by field path (``"number"``, ``"supplier.ico"``),
    as strings (``None`` clears the field); the extracted values stay in their columns."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    status_changed_by: Mapped[str | None] = mapped_column(String(200))
    status_changed_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None]
    rejected_by: Mapped[str | None] = mapped_column(String(200))
    rejected_at: Mapped[datetime | None]
    rejected_reason: Mapped[str | None] = mapped_column(Text)
    exported_at: Mapped[datetime | None]
    partner_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    """The catalogue partner the supplier was recognised as, or chosen by a reviewer."""
    supplier_match_method: Mapped[str | None] = mapped_column(String(20))
    """How the partner was found: ``ico``, ``vat_id``, ``iban``, ``name`` or ``manual``."""

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice",
        order_by="InvoiceLine.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class InvoiceLine(TenantOwned, Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        Index(None, "invoice_id", "position"),
        trigram_index("ix_invoice_lines_description_trgm", "description"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("invoices.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    description: Mapped[str | None] = mapped_column(Text)
    seller_code: Mapped[str | None] = mapped_column(String(100))
    ean: Mapped[str | None] = mapped_column(String(14))
    quantity: Mapped[Decimal | None]
    unit: Mapped[str | None] = mapped_column(String(20))
    unit_price: Mapped[Decimal | None]
    discount_percent: Mapped[Decimal | None]
    vat_rate: Mapped[Decimal | None]
    net_amount: Mapped[Decimal | None]
    vat_amount: Mapped[Decimal | None]
    gross_amount: Mapped[Decimal | None]
    vat_category: Mapped[str | None] = mapped_column(String(4))
    edits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Reviewer's values by field name, as strings (``None`` clears the field); ``position``
    holds the line's place after a reviewer reordered, added or deleted lines."""
    added: Mapped[bool] = mapped_column(default=False)
    """Added by a reviewer: all its values are edits, nothing was extracted."""
    deleted: Mapped[bool] = mapped_column(default=False)
    """Deleted by a reviewer: kept with its extracted values, left out of the edited invoice."""

    product_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("products.id", ondelete="SET NULL"), index=True
    )
    """The catalogue product the line is matched to (proposed or confirmed)."""
    match_method: Mapped[str | None] = mapped_column(String(20))
    """``ean``, ``supplier_code``, ``name``, ``manual`` or ``new_product``; none if unmatched."""
    match_confidence: Mapped[float | None] = mapped_column(Float)
    """0..1, how sure the matcher was; a score, not an amount, so a float."""
    match_alternatives: Mapped[list[Any] | None] = mapped_column(JSON)
    """Other likely products: ``{product_id, code, name, score}`` each, best first."""
    match_state: Mapped[str | None] = mapped_column(String(20))
    """``proposed`` by the matcher, ``confirmed`` by a person, or ``new_product`` to create."""
    new_product: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The product card to create: ``{name, code, unit, vat_rate, group_id}``."""
    sale_price: Mapped[Decimal | None]
    """The sale price (without VAT) set for the line's product when the invoice is received."""

    invoice: Mapped[InvoiceRecord] = relationship(back_populates="lines")


class AuditEntry(TenantOwned, Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "tenant_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(32))
    field: Mapped[str | None] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Job(TenantOwned, Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index(None, "state", "priority", "run_after"),
        Index(None, "document_id"),
        # The per-document lock: at most one job of a document runs at a time, whichever
        # process (service thread, worker) claims it.
        Index(
            "uq_jobs_running_document",
            "document_id",
            unique=True,
            sqlite_where=text("state = 'running'"),
            postgresql_where=text("state = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(String(36), ForeignKey("documents.id"))
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[JobState] = mapped_column(_enum(JobState), default=JobState.QUEUED)
    priority: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(200))
    locked_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class User(TenantOwned, Base):
    """A person who signs in to the review workspace; the username is unique installation-wide."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("username"), Index(None, "tenant_id", "username"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(_enum(Role))
    password_hash: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="sk")
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class UserSession(Base):
    """A signed-in browser; deleting the row signs it out at once.

    ``id`` is the SHA-256 of the cookie's secret, so the table alone lets no one sign in.
    Not tenant-owned: it is looked up before the tenant is known, like an API key.
    """

    __tablename__ = "user_sessions"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Catalogue (issue 7): products, barcodes, groups, partners, learned supplier codes ---


class ProductGroup(TenantOwned, Base):
    """A product group of the ERP; its margin prices new products of the group."""

    __tablename__ = "product_groups"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    default_margin: Mapped[Decimal | None]
    """Percent of the purchase price added to make the sale price."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Product(TenantOwned, Base):
    """A product card of the ERP; ``code`` is its PLU there."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("tenant_id", "code"), Index(None, "group_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(500))
    unit: Mapped[str | None] = mapped_column(String(20))
    vat_rate: Mapped[Decimal | None]
    group_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("product_groups.id", ondelete="SET NULL")
    )
    purchase_price: Mapped[Decimal | None]
    sale_price: Mapped[Decimal | None]
    discontinued: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Barcode(TenantOwned, Base):
    """An EAN/GTIN of a product; a product has several, a code belongs to one product."""

    __tablename__ = "barcodes"
    __table_args__ = (UniqueConstraint("tenant_id", "code"), Index(None, "product_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer, ForeignKey("products.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(14))
    primary: Mapped[bool] = mapped_column(default=False)


class Partner(TenantOwned, Base):
    """A supplier or customer of the company, as its ERP knows it."""

    __tablename__ = "partners"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ico"),
        UniqueConstraint("tenant_id", "vat_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    ico: Mapped[str | None] = mapped_column(String(20))
    dic: Mapped[str | None] = mapped_column(String(20))
    vat_id: Mapped[str | None] = mapped_column(String(20))
    iban: Mapped[str | None] = mapped_column(String(34))
    street: Mapped[str | None] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SupplierCode(TenantOwned, Base):
    """A supplier's article code tied to our product by people confirming matches."""

    __tablename__ = "supplier_codes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "partner_id", "seller_code"),
        Index(None, "product_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(Integer, ForeignKey("partners.id", ondelete="CASCADE"))
    seller_code: Mapped[str] = mapped_column(String(100))
    product_id: Mapped[int] = mapped_column(Integer, ForeignKey("products.id", ondelete="CASCADE"))
    confirmed_by: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    times_confirmed: Mapped[int] = mapped_column(default=1)


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class ExportDelivery(TenantOwned, Base):
    """One approved invoice handed to the ERP by one connector in one format.

    A delivery belongs to one approval (``approved_at``): approving the invoice again after
    a reopen arms it anew, so the ERP gets the corrected documents. ``target`` says where
    it went (the file names written, or the URL posted to).
    """

    __tablename__ = "export_deliveries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "invoice_id", "connector", "format"),
        Index(None, "invoice_id"),
        Index(None, "tenant_id", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("invoices.id", ondelete="CASCADE")
    )
    connector: Mapped[str] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(16))
    state: Mapped[DeliveryState] = mapped_column(
        _enum(DeliveryState), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    """When a pending delivery is tried next; while one is being tried, when its try lapses."""
    delivered_at: Mapped[datetime | None]
    target: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime | None]
    """The invoice's approval this delivery hands over."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CatalogueSource(TenantOwned, Base):
    """A named kind of ERP export and the column mapping its files need, kept for next time."""

    __tablename__ = "catalogue_sources"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    """What the source's files list: ``products``, ``barcodes``, ``groups`` or ``partners``."""
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Field → column header, as the last import from the source read them."""
    updated_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CatalogueSync(TenantOwned, Base):
    """How the last run of one kind of a configured ERP sync went."""

    __tablename__ = "catalogue_syncs"
    __table_args__ = (UniqueConstraint("tenant_id", "name", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    """The sync's name in the configuration."""
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    """``ok`` (written, perhaps with bad records left out) or ``failed`` (nothing written)."""
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    last_success_at: Mapped[datetime | None]
    records_read: Mapped[int] = mapped_column(default=0)
    records_written: Mapped[int] = mapped_column(default=0)
    records_failed: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class NotificationState(Base):
    """An alert, or a recurring notice, as last seen: so a restart neither repeats nor forgets.

    ``key`` names what it is about (``low_disk``, ``mailbox:faktury``,
    ``processing_failures:acme``); ``tenant_id`` is the tenant it concerns, ``None`` for the
    whole installation. Not tenant-owned: alerts are looked for across all tenants at once,
    like jobs are claimed.
    """

    __tablename__ = "notification_states"
    __table_args__ = (UniqueConstraint("key"), Index(None, "tenant_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    tenant_id: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("tenants.id", ondelete="CASCADE")
    )
    active: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str | None] = mapped_column(Text)
    """The last mail's one-line description, repeated in the mail that says it cleared."""
    since: Mapped[datetime | None]
    """When it last became active."""
    notified_at: Mapped[datetime | None]
    """When mail about it last went out; ``None`` while the first mail is still owed."""
    cleared_at: Mapped[datetime | None]
    resolved_pending: Mapped[bool] = mapped_column(default=False)
    """It cleared, and the mail saying so has not gone out yet."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
