"""Opening a database: SQLite settings, idempotent migrations on start."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from nex_automat.store.db import Database, open_database
from nex_automat.store.invoices import save_invoice
from nex_automat.store.models import Document, DocumentSource, InvoiceRecord

from .factories import add_pdf, make_invoice, make_result


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'deep' / 'folder' / 'nex.db'}")
    with db.engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert connection.scalar(text("PRAGMA busy_timeout")) == 30_000
    db.dispose()


def test_sqlite_lower_knows_slovak_capitals(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'nex.db'}")
    with db.engine.connect() as connection:
        assert connection.scalar(text("SELECT lower('ŠTÚROVO ŽILINA')")) == "štúrovo žilina"
    db.dispose()


def test_upgrade_twice_leaves_the_schema_at_head(database: Database) -> None:
    database.upgrade()
    database.upgrade()
    assert database.current_revision() == database.head_revision()
    assert database.head_revision() is not None


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(
            Document(
                tenant_id="nobody",
                sha256="a" * 64,
                media_type="application/pdf",
                size=1,
                source=DocumentSource.UPLOAD,
            )
        )


def test_session_rolls_back_when_the_block_fails(
    database: Database, tenants: tuple[str, str]
) -> None:
    with pytest.raises(RuntimeError), database.tenant_session("acme") as session:
        session.add(
            Document(sha256="a" * 64, media_type="application/pdf", size=1, source="upload")
        )
        session.flush()
        raise RuntimeError("boom")
    with database.tenant_session("acme") as session:
        assert session.query(Document).count() == 0


def test_concurrent_writers_all_succeed(database: Database, tenants: tuple[str, str]) -> None:
    """Eight clients storing invoices at once queue for the writer instead of failing."""
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def client(n: int) -> None:
        try:
            start.wait()
            for round_ in range(5):
                with database.tenant_session("acme") as session:
                    document = add_pdf(session, f"%PDF {n}-{round_}".encode())
                    save_invoice(session, document.id, make_result(make_invoice(f"{n}-{round_}")))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.tenant_session("acme") as session:
        assert session.scalar(select(func.count()).select_from(InvoiceRecord)) == 40
