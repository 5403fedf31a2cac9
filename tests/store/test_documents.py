"""Documents are recorded with how they arrived and found again by bytes or message-id."""

from __future__ import annotations

from datetime import UTC, datetime

from nex_automat.store.db import Database
from nex_automat.store.documents import (
    Arrival,
    add_document,
    find_documents_by_message_id,
    find_documents_by_sha256,
    get_document,
    set_document_state,
)
from nex_automat.store.files import sha256_hex
from nex_automat.store.models import DocumentSource, DocumentState

from .factories import add_pdf


def test_a_document_keeps_how_it_arrived(database: Database, tenants: tuple[str, str]) -> None:
    received = datetime(2024, 3, 15, 8, 0, tzinfo=UTC)
    arrival = Arrival(
        source=DocumentSource.MAILBOX,
        filename="../../etc/Faktúra č. 1.pdf",
        sender="fakturacia@dodavatel.sk",
        subject="Faktúra 2024001",
        message_id="<abc@dodavatel.sk>",
        received_at=received,
    )
    with database.tenant_session("acme") as session:
        document_id = add_document(
            session, sha256=sha256_hex(b"x"), media_type="application/pdf", size=1, arrival=arrival
        ).id
    with database.tenant_session("acme") as session:
        document = get_document(session, document_id)
        assert document is not None
        assert document.source is DocumentSource.MAILBOX
        assert document.filename == "../../etc/Faktúra č. 1.pdf"
        assert document.received_at == received
        assert document.state is DocumentState.RECEIVED
        assert document.created_at.tzinfo is not None


def test_same_bytes_are_found_oldest_first_within_the_tenant(
    database: Database, tenants: tuple[str, str]
) -> None:
    with database.tenant_session("acme") as session:
        first = add_pdf(session, b"%PDF same").id
        second = add_pdf(session, b"%PDF same").id
        add_pdf(session, b"%PDF other")
    with database.tenant_session("globex") as session:
        add_pdf(session, b"%PDF same")
    with database.tenant_session("acme") as session:
        found = find_documents_by_sha256(session, sha256_hex(b"%PDF same"))
    assert [d.id for d in found] == [first, second]


def test_documents_are_found_by_message_id(database: Database, tenants: tuple[str, str]) -> None:
    with database.tenant_session("acme") as session:
        add_pdf(session, b"%PDF 1", message_id="<m1@x>")
        add_pdf(session, b"%PDF 2", message_id="<m1@x>")
        add_pdf(session, b"%PDF 3", message_id="<m2@x>")
    with database.tenant_session("acme") as session:
        assert len(find_documents_by_message_id(session, "<m1@x>")) == 2
        assert find_documents_by_message_id(session, "<none@x>") == []


def test_state_changes_carry_their_error_or_original(
    database: Database, tenants: tuple[str, str]
) -> None:
    with database.tenant_session("acme") as session:
        original = add_pdf(session, b"%PDF a")
        copy = add_pdf(session, b"%PDF a")
        set_document_state(session, copy, DocumentState.DUPLICATE, duplicate_of=original.id)
        set_document_state(
            session, original, DocumentState.FAILED, error_code="unreadable", error_message="bad"
        )
    with database.tenant_session("acme") as session:
        reread_copy = get_document(session, copy.id)
        reread_original = get_document(session, original.id)
    assert reread_copy is not None and reread_copy.duplicate_of == original.id
    assert reread_original is not None and reread_original.error_code == "unreadable"
