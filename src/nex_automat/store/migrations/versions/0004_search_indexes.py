"""Trigram indexes for the inbox's free-text search, on PostgreSQL only.

The search asks ``ILIKE '%text%'`` of the invoice number, the supplier's name and the line
descriptions; a B-tree cannot answer a pattern that starts with ``%``, a pg_trgm GIN index
can (for ``ILIKE`` directly: pg_trgm folds case itself, so no ``lower()`` expression is
needed). SQLite has no such index and searches its small databases by scanning.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGRAM_INDEXES: tuple[tuple[str, str, str], ...] = (
    ("ix_invoices_number_trgm", "invoices", "number"),
    ("ix_invoices_supplier_name_trgm", "invoices", "supplier_name"),
    ("ix_invoice_lines_description_trgm", "invoice_lines", "description"),
)
"""(index, table, column) — the same three the models declare for PostgreSQL."""


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        op.create_index(
            name,
            table,
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )


def downgrade() -> None:
    if not _postgresql():
        return
    for name, table, _ in reversed(TRIGRAM_INDEXES):
        op.drop_index(name, table_name=table)
