"""Initial schema: tenants, API keys, documents, invoices and lines, audit log, jobs.

Revision ID: 0001
Revises:
Create Date: 2026-11-30 00:23:26.728656
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from nex_automat.store import sqltypes

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_api_keys_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_keys_prefix"), ["prefix"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_audit_log_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_log_tenant_id_entity_entity_id"),
            ["tenant_id", "entity", "entity_id"],
            unique=False,
        )

    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "upload",
                "mailbox",
                "folder",
                "cli",
                name="documentsource",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sender", sa.String(length=500), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=500), nullable=True),
        sa.Column("received_at", sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "received",
                "processing",
                "processed",
                "failed",
                "duplicate",
                name="documentstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("duplicate_of", sa.String(length=36), nullable=True),
        sa.Column("created_at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["documents.id"], name=op.f("fk_documents_duplicate_of_documents")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_documents_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documents_tenant_id_created_at_id"),
            ["tenant_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_documents_tenant_id_message_id"),
            ["tenant_id", "message_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_documents_tenant_id_sha256"), ["tenant_id", "sha256"], unique=False
        )

    op.create_table(
        "invoices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "needs_review",
                "approved",
                "exported",
                "rejected",
                "failed",
                "duplicate",
                name="invoicestatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("duplicate_of", sa.String(length=36), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("template", sa.String(length=200), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("document_type", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("tax_point_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("variable_symbol", sa.String(length=20), nullable=True),
        sa.Column("constant_symbol", sa.String(length=10), nullable=True),
        sa.Column("order_reference", sa.String(length=200), nullable=True),
        sa.Column("preceding_invoice", sa.String(length=100), nullable=True),
        sa.Column("buyer_reference", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("exchange_rate", sqltypes.DecimalText(), nullable=True),
        sa.Column("supplier_name", sa.String(length=500), nullable=True),
        sa.Column("supplier_ico", sa.String(length=20), nullable=True),
        sa.Column("supplier_dic", sa.String(length=20), nullable=True),
        sa.Column("supplier_vat_id", sa.String(length=20), nullable=True),
        sa.Column("supplier_street", sa.String(length=500), nullable=True),
        sa.Column("supplier_city", sa.String(length=200), nullable=True),
        sa.Column("supplier_postal_code", sa.String(length=20), nullable=True),
        sa.Column("supplier_country", sa.String(length=2), nullable=True),
        sa.Column("supplier_iban", sa.String(length=34), nullable=True),
        sa.Column("supplier_bic", sa.String(length=11), nullable=True),
        sa.Column("customer_name", sa.String(length=500), nullable=True),
        sa.Column("customer_ico", sa.String(length=20), nullable=True),
        sa.Column("customer_dic", sa.String(length=20), nullable=True),
        sa.Column("customer_vat_id", sa.String(length=20), nullable=True),
        sa.Column("customer_street", sa.String(length=500), nullable=True),
        sa.Column("customer_city", sa.String(length=200), nullable=True),
        sa.Column("customer_postal_code", sa.String(length=20), nullable=True),
        sa.Column("customer_country", sa.String(length=2), nullable=True),
        sa.Column("customer_iban", sa.String(length=34), nullable=True),
        sa.Column("customer_bic", sa.String(length=11), nullable=True),
        sa.Column("total_net", sqltypes.DecimalText(), nullable=True),
        sa.Column("total_vat", sqltypes.DecimalText(), nullable=True),
        sa.Column("total_gross", sqltypes.DecimalText(), nullable=True),
        sa.Column("rounding", sqltypes.DecimalText(), nullable=True),
        sa.Column("amount_due", sqltypes.DecimalText(), nullable=True),
        sa.Column("prepaid_amount", sqltypes.DecimalText(), nullable=True),
        sa.Column("vat_breakdown", sa.JSON(), nullable=False),
        sa.Column("allowances_charges", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("created_at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("status_changed_by", sa.String(length=200), nullable=True),
        sa.Column(
            "status_changed_at",
            sqltypes.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column("rejected_by", sa.String(length=200), nullable=True),
        sa.Column("rejected_at", sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column("rejected_reason", sa.Text(), nullable=True),
        sa.Column("exported_at", sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_invoices_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["invoices.id"], name=op.f("fk_invoices_duplicate_of_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_invoices_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("document_id", name=op.f("uq_invoices_document_id")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoices_tenant_id_created_at_id"),
            ["tenant_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_invoices_tenant_id_issue_date"),
            ["tenant_id", "issue_date"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_invoices_tenant_id_status"), ["tenant_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_invoices_tenant_id_supplier_ico_number"),
            ["tenant_id", "supplier_ico", "number"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_invoices_tenant_id_supplier_vat_id_number"),
            ["tenant_id", "supplier_vat_id", "number"],
            unique=False,
        )

    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "queued", "running", "done", "failed", name="jobstate", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("run_after", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("locked_by", sa.String(length=200), nullable=True),
        sa.Column("locked_at", sqltypes.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sqltypes.UtcDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_jobs_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_jobs_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_document_id"), ["document_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_jobs_state_priority_run_after"),
            ["state", "priority", "run_after"],
            unique=False,
        )

    op.create_table(
        "invoice_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("seller_code", sa.String(length=100), nullable=True),
        sa.Column("ean", sa.String(length=14), nullable=True),
        sa.Column("quantity", sqltypes.DecimalText(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("unit_price", sqltypes.DecimalText(), nullable=True),
        sa.Column("discount_percent", sqltypes.DecimalText(), nullable=True),
        sa.Column("vat_rate", sqltypes.DecimalText(), nullable=True),
        sa.Column("net_amount", sqltypes.DecimalText(), nullable=True),
        sa.Column("vat_amount", sqltypes.DecimalText(), nullable=True),
        sa.Column("gross_amount", sqltypes.DecimalText(), nullable=True),
        sa.Column("vat_category", sa.String(length=4), nullable=True),
        sa.Column("edits", sa.JSON(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_invoice_lines_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_invoice_lines_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_lines")),
    )
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_lines_invoice_id_position"),
            ["invoice_id", "position"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_lines_invoice_id_position"))

    op.drop_table("invoice_lines")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_state_priority_run_after"))
        batch_op.drop_index(batch_op.f("ix_jobs_document_id"))

    op.drop_table("jobs")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_tenant_id_supplier_vat_id_number"))
        batch_op.drop_index(batch_op.f("ix_invoices_tenant_id_supplier_ico_number"))
        batch_op.drop_index(batch_op.f("ix_invoices_tenant_id_status"))
        batch_op.drop_index(batch_op.f("ix_invoices_tenant_id_issue_date"))
        batch_op.drop_index(batch_op.f("ix_invoices_tenant_id_created_at_id"))

    op.drop_table("invoices")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_tenant_id_sha256"))
        batch_op.drop_index(batch_op.f("ix_documents_tenant_id_message_id"))
        batch_op.drop_index(batch_op.f("ix_documents_tenant_id_created_at_id"))

    op.drop_table("documents")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_tenant_id_entity_entity_id"))

    op.drop_table("audit_log")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_prefix"))

    op.drop_table("api_keys")
    op.drop_table("tenants")
