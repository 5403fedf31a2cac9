"""Each invoice line's catalogue match and prices; the invoice's recognised partner.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from nex_automat.store import sqltypes

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("supplier_match_method", sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_invoices_partner_id_partners"),
            "partners",
            ["partner_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_invoices_partner_id"), ["partner_id"], unique=False)
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("product_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("match_method", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("match_confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("match_alternatives", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("match_state", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("new_product", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("sale_price", sqltypes.DecimalText(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_invoice_lines_product_id_products"),
            "products",
            ["product_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_invoice_lines_product_id"), ["product_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_lines_product_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_invoice_lines_product_id_products"), type_="foreignkey"
        )
        batch_op.drop_column("sale_price")
        batch_op.drop_column("new_product")
        batch_op.drop_column("match_state")
        batch_op.drop_column("match_alternatives")
        batch_op.drop_column("match_confidence")
        batch_op.drop_column("match_method")
        batch_op.drop_column("product_id")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_partner_id"))
        batch_op.drop_constraint(batch_op.f("fk_invoices_partner_id_partners"), type_="foreignkey")
        batch_op.drop_column("supplier_match_method")
        batch_op.drop_column("partner_id")
