"""The catalogue: product groups, products, barcodes, partners and learned supplier codes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from nex_automat.store import sqltypes

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tenant(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants")
        ),
    ]


def _updated_at() -> sa.Column[object]:
    return sa.Column("updated_at", sqltypes.UtcDateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "product_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("default_margin", sqltypes.DecimalText(), nullable=True),
        _updated_at(),
        *_tenant("product_groups"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_groups")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_product_groups_tenant_id_code")),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("vat_rate", sqltypes.DecimalText(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("purchase_price", sqltypes.DecimalText(), nullable=True),
        sa.Column("sale_price", sqltypes.DecimalText(), nullable=True),
        sa.Column("discontinued", sa.Boolean(), nullable=False),
        _updated_at(),
        *_tenant("products"),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["product_groups.id"],
            name=op.f("fk_products_group_id_product_groups"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_products_tenant_id_code")),
    )
    op.create_index(op.f("ix_products_group_id"), "products", ["group_id"], unique=False)
    op.create_table(
        "barcodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=14), nullable=False),
        sa.Column("primary", sa.Boolean(), nullable=False),
        *_tenant("barcodes"),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_barcodes_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_barcodes")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_barcodes_tenant_id_code")),
    )
    op.create_index(op.f("ix_barcodes_product_id"), "barcodes", ["product_id"], unique=False)
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("ico", sa.String(length=20), nullable=True),
        sa.Column("dic", sa.String(length=20), nullable=True),
        sa.Column("vat_id", sa.String(length=20), nullable=True),
        sa.Column("iban", sa.String(length=34), nullable=True),
        sa.Column("street", sa.String(length=500), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        _updated_at(),
        *_tenant("partners"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("tenant_id", "ico", name=op.f("uq_partners_tenant_id_ico")),
        sa.UniqueConstraint("tenant_id", "vat_id", name=op.f("uq_partners_tenant_id_vat_id")),
    )
    op.create_table(
        "supplier_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("seller_code", sa.String(length=100), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=True),
        sa.Column("confirmed_at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("times_confirmed", sa.Integer(), nullable=False),
        *_tenant("supplier_codes"),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_supplier_codes_partner_id_partners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_supplier_codes_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_codes")),
        sa.UniqueConstraint(
            "tenant_id",
            "partner_id",
            "seller_code",
            name=op.f("uq_supplier_codes_tenant_id_partner_id_seller_code"),
        ),
    )
    op.create_index(
        op.f("ix_supplier_codes_product_id"), "supplier_codes", ["product_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_supplier_codes_product_id"), table_name="supplier_codes")
    op.drop_table("supplier_codes")
    op.drop_table("partners")
    op.drop_index(op.f("ix_barcodes_product_id"), table_name="barcodes")
    op.drop_table("barcodes")
    op.drop_index(op.f("ix_products_group_id"), table_name="products")
    op.drop_table("products")
    op.drop_table("product_groups")
