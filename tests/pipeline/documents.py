"""Documents for the pipeline tests: realistic invoices, and ones that must fail."""

from __future__ import annotations

from sqlalchemy import func, select

from nex_automat.store.db import Database
from nex_automat.store.documents import Arrival
from nex_automat.store.models import AuditEntry, Document, DocumentSource, InvoiceRecord, Job
from tests.extract.pdfs import Text, encrypted_pdf, make_pdf
from tests.invoicegen import FAMILIES, generate


def invoice_pdf(seed: int) -> bytes:
    """A realistic supplier invoice; each seed a different invoice."""
    return generate(seed, FAMILIES[seed % len(FAMILIES)]).pdf


def resent(pdf: bytes) -> bytes:
    """The same invoice in different bytes, as a mail gateway or a re-export leaves it."""
    return pdf + b"\n% sent again\n"


def undated_invoice_pdf() -> bytes:
    """An invoice that has a number and a total but no issue date, which ISDOC requires."""
    return make_pdf(
        [
            [
                Text(72, 100, "Faktúra č. 2024777"),
                Text(72, 130, "Dodávateľ: Stavebniny s.r.o."),
                Text(72, 150, "IČO: 36123456"),
                Text(72, 200, "Celkom k úhrade: 123,00 EUR"),
            ]
        ]
    )


def locked_pdf() -> bytes:
    """Passes the magic-byte check, but opens only with a password."""
    return encrypted_pdf("tajne", "vlastnik")


GARBAGE_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8


def arrival(*, sender: str = "faktury@dodavatel.sk", message_id: str | None = None) -> Arrival:
    return Arrival(
        source=DocumentSource.MAILBOX,
        filename="faktura.pdf",
        sender=sender,
        subject="Faktúra",
        message_id=message_id,
    )


def count(database: Database, model: type[object]) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def documents(database: Database) -> list[Document]:
    with database.session() as session:
        return list(session.scalars(select(Document).order_by(Document.created_at, Document.id)))


def invoices(database: Database) -> list[InvoiceRecord]:
    with database.session() as session:
        query = select(InvoiceRecord).order_by(InvoiceRecord.created_at, InvoiceRecord.id)
        return list(session.scalars(query))


def jobs(database: Database) -> list[Job]:
    with database.session() as session:
        return list(session.scalars(select(Job).order_by(Job.id)))


def extractions(database: Database) -> list[str]:
    """The invoice audit actions in order: one ``extracted`` per invoice saved first time."""
    with database.session() as session:
        query = select(AuditEntry.action).where(AuditEntry.entity == "invoice")
        return list(session.scalars(query.order_by(AuditEntry.id)))
