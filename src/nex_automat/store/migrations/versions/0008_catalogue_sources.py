"""Saved column mappings per import source and ERP sync state.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from nex_automat.store import sqltypes

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tenant(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants")
        ),
    ]


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sqltypes.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "catalogue_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=True),
        _moment("updated_at"),
        *_tenant("catalogue_sources"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_sources")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_catalogue_sources_tenant_id_name")),
    )
    op.create_table(
        "catalogue_syncs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        _moment("started_at"),
        _moment("finished_at"),
        _moment("last_success_at", nullable=True),
        sa.Column("records_read", sa.Integer(), nullable=False),
        sa.Column("records_written", sa.Integer(), nullable=False),
        sa.Column("records_failed", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        *_tenant("catalogue_syncs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_syncs")),
        sa.UniqueConstraint(
            "tenant_id", "name", "kind", name=op.f("uq_catalogue_syncs_tenant_id_name_kind")
        ),
    )


def downgrade() -> None:
    op.drop_table("catalogue_syncs")
    op.drop_table("catalogue_sources")
