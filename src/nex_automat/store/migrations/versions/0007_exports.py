"""Hand-over to the ERP: export deliveries per invoice and connector.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from nex_automat.store import sqltypes

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sqltypes.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "export_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("connector", sa.String(length=100), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "delivered",
                "failed",
                name="deliverystate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        _timestamp("next_attempt_at", nullable=True),
        _timestamp("delivered_at", nullable=True),
        sa.Column("target", sa.Text(), nullable=True),
        _timestamp("approved_at", nullable=True),
        _timestamp("created_at", nullable=False),
        _timestamp("updated_at", nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_export_deliveries_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_export_deliveries_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_deliveries")),
        sa.UniqueConstraint(
            "tenant_id",
            "invoice_id",
            "connector",
            "format",
            name=op.f("uq_export_deliveries_tenant_id_invoice_id_connector_format"),
        ),
    )
    op.create_index(
        op.f("ix_export_deliveries_invoice_id"), "export_deliveries", ["invoice_id"], unique=False
    )
    op.create_index(
        op.f("ix_export_deliveries_tenant_id_state_next_attempt_at"),
        "export_deliveries",
        ["tenant_id", "state", "next_attempt_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_export_deliveries_tenant_id_state_next_attempt_at"),
        table_name="export_deliveries",
    )
    op.drop_index(op.f("ix_export_deliveries_invoice_id"), table_name="export_deliveries")
    op.drop_table("export_deliveries")
