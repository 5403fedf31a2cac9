"""At most one running job per document.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 06:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RUNNING = sa.text("state = 'running'")


def upgrade() -> None:
    # Two jobs of one document left running by processes stopped before this lock
    # existed: the oldest keeps running, the others wait in the queue again.
    op.execute(
        "UPDATE jobs SET state = 'queued', locked_by = NULL, locked_at = NULL "
        "WHERE state = 'running' AND id NOT IN "
        "(SELECT min(id) FROM jobs WHERE state = 'running' GROUP BY document_id)"
    )
    op.create_index(
        "uq_jobs_running_document",
        "jobs",
        ["document_id"],
        unique=True,
        sqlite_where=_RUNNING,
        postgresql_where=_RUNNING,
    )


def downgrade() -> None:
    op.drop_index("uq_jobs_running_document", table_name="jobs")
