"""The webhook against a real HTTP receiver: signed, retried with backoff, failed, retried."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from nex_automat.catalog.handover_files import EVENT
from nex_automat.ops.export_settings import WebhookExportSettings
from nex_automat.pipeline.export.handover import HandoverWorker
from nex_automat.pipeline.export.webhook import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    public_url,
)
from nex_automat.store.audit import audit_trail
from nex_automat.store.db import Database
from nex_automat.store.exports import deliveries_of
from nex_automat.store.invoices import get_invoice
from nex_automat.store.models import DeliveryState, ExportDelivery, InvoiceStatus
from tests.catalog.catalogue import seed_catalogue
from tests.pipeline.conftest import TENANT
from tests.pipeline.export.approved import Clock, approve, matched_invoice
from tests.servers.webhook import Received, webhook_receiver

SECRET = "whsec-7f3a91c2d4e5b6a7980f1e2d3c4b5a69"
TIMEOUT = 0.3
HANG = 1.0


def webhook(url: str, **options: object) -> WebhookExportSettings:
    values: dict[str, object] = {
        "name": "erp-hook",
        "tenant": TENANT,
        "secret": SecretStr(SECRET),
        "timeout_seconds": TIMEOUT,
        "backoff_seconds": 60,
    }
    return WebhookExportSettings.model_validate(
        {**values, **options, "kind": "webhook", "url": url}
    )


@dataclass(frozen=True)
class Approved:
    invoice_id: str
    document_id: str


@pytest.fixture
def approved(database: Database, tenant: str) -> Approved:
    with database.tenant_session(tenant) as session:
        record = matched_invoice(session, seed_catalogue(session))
        approve(session, record)
        return Approved(record.id, record.document_id)


def delivery(database: Database, approved: Approved) -> ExportDelivery:
    with database.tenant_session(TENANT) as session:
        (found,) = deliveries_of(session, approved.invoice_id)
        return found


def invoice_status(database: Database, approved: Approved) -> InvoiceStatus:
    with database.tenant_session(TENANT) as session:
        record = get_invoice(session, approved.invoice_id)
        assert record is not None
        return record.status


def verifies(request: Received, secret: str) -> bool:
    """What a receiver does: recompute the signature over timestamp and body."""
    timestamp = request.headers[TIMESTAMP_HEADER]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(request.headers[SIGNATURE_HEADER], "sha256=" + expected)


def test_a_500_and_a_timeout_are_retried_after_doubling_waits_until_the_receiver_accepts(
    database: Database, approved: Approved
) -> None:
    clock = Clock()
    with webhook_receiver([500, "hang"], hang_seconds=HANG) as receiver:
        worker = HandoverWorker(database, [webhook(receiver.url())], clock=clock)
        first = clock.now
        worker.hand_over(TENANT, approved.document_id)
        found = delivery(database, approved)
        assert (found.state, found.attempts) == (DeliveryState.PENDING, 1)
        assert found.next_attempt_at == first + timedelta(seconds=60)
        assert found.last_error == f"{receiver.url()} answered HTTP 500: receiver says no"

        clock.advance(59)
        worker.hand_over(TENANT, approved.document_id)
        assert len(receiver.received) == 1

        clock.advance(1)
        started = time.monotonic()
        worker.hand_over(TENANT, approved.document_id)
        assert time.monotonic() - started < HANG
        found = delivery(database, approved)
        assert (found.state, found.attempts) == (DeliveryState.PENDING, 2)
        assert found.next_attempt_at == clock.now + timedelta(seconds=120)
        assert found.last_error == f"{receiver.url()} did not answer within {TIMEOUT:g} s"

        clock.advance(120)
        worker.hand_over(TENANT, approved.document_id)
        found = delivery(database, approved)
    assert (found.state, found.attempts, found.target) == (
        DeliveryState.DELIVERED,
        3,
        receiver.url(),
    )
    assert found.last_error is None
    assert len(receiver.received) == 3
    assert invoice_status(database, approved) is InvoiceStatus.EXPORTED


def test_every_try_is_signed_and_carries_the_same_hand_over(
    database: Database, approved: Approved
) -> None:
    clock = Clock()
    with webhook_receiver([503]) as receiver:
        worker = HandoverWorker(database, [webhook(receiver.url())], clock=clock)
        before = int(time.time())
        worker.hand_over(TENANT, approved.document_id)
        clock.advance(60)
        worker.hand_over(TENANT, approved.document_id)
        after = int(time.time())
    first, second = receiver.received
    for request in (first, second):
        assert verifies(request, SECRET)
        assert not verifies(request, SECRET + "x")
        assert before <= int(request.headers[TIMESTAMP_HEADER]) <= after
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers[EVENT_HEADER] == EVENT
    assert first.body == second.body
    assert first.headers[DELIVERY_HEADER] == second.headers[DELIVERY_HEADER]
    payload = json.loads(first.body)
    assert payload["tenant"] == TENANT
    assert [line["product_code"] for line in payload["receipt"]["lines"]] == [
        "10001",
        "10002",
        "10003",
        "20003",
    ]
    assert payload["receipt"]["total_net"] == "43.20"
    assert [change["product_code"] for change in payload["price_changes"]] == ["10001", "10002"]
    assert payload["new_products"][0]["code"] == "20003"


def test_a_signature_over_another_timestamp_does_not_verify(
    database: Database, approved: Approved
) -> None:
    with webhook_receiver() as receiver:
        HandoverWorker(database, [webhook(receiver.url())]).hand_over(TENANT, approved.document_id)
    (request,) = receiver.received
    replayed = Received(
        request.path,
        {**request.headers, TIMESTAMP_HEADER: str(int(request.headers[TIMESTAMP_HEADER]) + 600)},
        request.body,
        request.at,
    )
    assert verifies(request, SECRET) and not verifies(replayed, SECRET)


def test_a_delivery_failing_every_try_ends_failed_and_a_retry_delivers_it(
    database: Database, approved: Approved
) -> None:
    clock = Clock()
    with webhook_receiver([500, 502, 500]) as receiver:
        worker = HandoverWorker(
            database, [webhook(receiver.url(), attempts=3, backoff_seconds=5)], clock=clock
        )
        for wait in (0, 5, 10):
            clock.advance(wait)
            worker.hand_over(TENANT, approved.document_id)
        failed = delivery(database, approved)
        assert (failed.state, failed.attempts, failed.next_attempt_at) == (
            DeliveryState.FAILED,
            3,
            None,
        )
        assert "HTTP 500" in (failed.last_error or "")
        clock.advance(3600)
        worker.hand_over(TENANT, approved.document_id)
        assert len(receiver.received) == 3
        assert invoice_status(database, approved) is InvoiceStatus.APPROVED

        with database.tenant_session(TENANT) as session:
            worker.retry(session, failed.id, actor="eva")
        retried = delivery(database, approved)
        assert (retried.state, retried.attempts) == (DeliveryState.PENDING, 0)
        worker.hand_over(TENANT, approved.document_id)
    done = delivery(database, approved)
    assert (done.state, done.attempts) == (DeliveryState.DELIVERED, 1)
    assert len(receiver.received) == 4
    assert invoice_status(database, approved) is InvoiceStatus.EXPORTED
    with database.tenant_session(TENANT) as session:
        trail = audit_trail(session, "invoice", approved.invoice_id)
        actions = [(e.action, e.actor) for e in trail]
    assert [a for a in actions if a[0].startswith("export_")] == [
        ("export_failed", "export"),
        ("export_retry", "eva"),
        ("export_delivered", "export"),
    ]


def test_a_redirect_is_a_failed_try_not_followed(database: Database, approved: Approved) -> None:
    with webhook_receiver(["redirect"]) as receiver:
        HandoverWorker(database, [webhook(receiver.url())]).hand_over(TENANT, approved.document_id)
    assert [request.path for request in receiver.received] == ["/hook"]
    assert "answered HTTP 307" in (delivery(database, approved).last_error or "")


def test_a_receiver_that_is_not_there_fails_the_try(database: Database, approved: Approved) -> None:
    with webhook_receiver() as receiver:
        url = receiver.url()
    HandoverWorker(database, [webhook(url)]).hand_over(TENANT, approved.document_id)
    found = delivery(database, approved)
    assert found.state is DeliveryState.PENDING
    assert (found.last_error or "").startswith(f"{url} could not be reached")


def test_the_secret_is_in_no_log_line_and_no_error(
    database: Database, approved: Approved, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with webhook_receiver([500]) as receiver:
        HandoverWorker(database, [webhook(receiver.url())]).hand_over(TENANT, approved.document_id)
    found = delivery(database, approved)
    assert found.last_error and SECRET not in found.last_error
    assert caplog.records and all(SECRET not in record.getMessage() for record in caplog.records)
    assert SECRET not in repr(webhook(receiver.url()))


def test_the_secret_can_come_from_a_file_and_an_unreadable_one_fails_the_try(
    database: Database, approved: Approved, tmp_path: Path
) -> None:
    secret_file = tmp_path / "webhook-secret"
    with webhook_receiver() as receiver:
        settings = webhook(receiver.url(), secret=None, secret_file=secret_file, attempts=1)
        worker = HandoverWorker(database, [settings])
        worker.hand_over(TENANT, approved.document_id)
        assert receiver.received == []
        assert delivery(database, approved).last_error == (
            f"webhook 'erp-hook': cannot read secret_file {secret_file}: "
            "No such file or directory; check the path and its permissions"
        )
        secret_file.write_text(SECRET + "\n")
        with database.tenant_session(TENANT) as session:
            worker.retry(session, delivery(database, approved).id, actor="eva")
        worker.hand_over(TENANT, approved.document_id)
    (request,) = receiver.received
    assert verifies(request, SECRET)


def test_the_target_shown_keeps_no_credentials_of_the_url() -> None:
    assert public_url("https://user:pw@erp.example.sk:8443/hook?token=abc") == (
        "https://erp.example.sk:8443/hook"
    )
