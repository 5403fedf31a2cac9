"""Storage: the database (SQLite embedded, PostgreSQL in production) and document files.

Start with :func:`open_database` and :meth:`Database.upgrade`; work in
``db.tenant_session(tenant_id)`` so every query is scoped to one tenant; keep bytes in the
tenant's own folder (``DocumentFiles.tenant(tenant_id)``) before recording them; run work
through :class:`JobQueue`.
"""

from __future__ import annotations

from nex_automat.store.db import Database, open_database
from nex_automat.store.files import DocumentFiles
from nex_automat.store.jobs import JobQueue

__all__ = ["Database", "DocumentFiles", "JobQueue", "open_database"]
