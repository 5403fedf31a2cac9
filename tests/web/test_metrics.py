"""``/metrics``: Prometheus text that prometheus-client's own parser reads, with the
pipeline's events, the database's state, mailboxes, backups and HTTP by route template."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from nex_automat import __version__
from nex_automat.errors import MailboxUnavailable
from nex_automat.ops.backup.status import record_failure, record_success
from nex_automat.ops.config import MailboxSettings, MetricsSettings, load_settings
from nex_automat.ops.metrics import Metrics, StateCollector
from nex_automat.pipeline.mailbox import MailboxPoller
from nex_automat.pipeline.services import Services, build_services
from nex_automat.store.db import open_database
from nex_automat.store.jobs import JobQueue
from nex_automat.store.tenants import set_tenant_disabled
from nex_automat.web.app import create_app
from tests.e2e.installation import free_port
from tests.web.conftest import Api
from tests.web.samples import invoice_pdf, isdoc_needing_review

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> tuple[str, Samples]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return response.text, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


def test_a_processed_upload_is_counted_by_source_method_and_outcome(
    acme: Api, client: TestClient, process: Any
) -> None:
    _, before = scrape(client)
    assert value(before, "nex_documents_received_total", source="upload") == 0
    assert value(before, "nex_processing_duration_seconds_count", method="text") == 0

    created = acme.post_invoice(invoice_pdf(1))
    isdoc = acme.post_invoice(isdoc_needing_review(), filename="f.isdoc")
    _, queued = scrape(client)
    assert value(queued, "nex_queue_jobs", state="queued") == 2
    assert value(queued, "nex_queue_oldest_wait_seconds") >= 0
    assert process() == 2

    _, after = scrape(client)
    assert value(after, "nex_documents_received_total", source="upload") == 2
    assert value(after, "nex_documents_received_total", source="mailbox") == 0
    assert value(after, "nex_processing_duration_seconds_count", method="text") == 1
    assert value(after, "nex_processing_duration_seconds_count", method="xml") == 1
    assert value(after, "nex_processing_duration_seconds_count", method="ocr") == 0
    assert value(after, "nex_processing_duration_seconds_sum", method="text") > 0
    assert value(after, "nex_queue_jobs", state="queued") == 0
    assert value(after, "nex_queue_jobs", state="running") == 0
    assert value(after, "nex_queue_oldest_wait_seconds") == 0
    assert value(after, "nex_invoices", status="new") == 1
    assert value(after, "nex_invoices", status="needs_review") == 1
    assert value(after, "nex_invoices", status="approved") == 0
    assert value(after, "nex_documents", state="processed") == 2
    assert value(after, "nex_database_up") == 1
    assert value(after, "nex_storage_free_bytes") > 0
    assert created.status_code in (200, 201) and isdoc.status_code in (200, 201)


def test_jobs_of_a_disabled_tenant_are_shown_as_held_not_queued(
    acme: Api, client: TestClient, services: Services
) -> None:
    acme.post_invoice(invoice_pdf(2))
    with services.db.session() as session:
        set_tenant_disabled(session, "acme", True)

    _, held = scrape(client)

    assert value(held, "nex_queue_held_jobs") == 1
    assert value(held, "nex_queue_jobs", state="queued") == 0
    assert value(held, "nex_queue_oldest_wait_seconds") == 0


def test_the_workers_at_hand_are_exposed(client: TestClient, services: Services) -> None:
    _, samples = scrape(client)
    assert value(samples, "nex_service_worker_threads") == services.settings.workers
    assert value(samples, "nex_worker_processes") == 0


def test_failures_are_counted_by_error_code(acme: Api, client: TestClient, process: Any) -> None:
    whole = invoice_pdf(2)
    document_id = acme.post_invoice(whole[: len(whole) // 3], filename="cut.pdf").json()["id"]
    process()
    document = acme.get(f"/api/v1/documents/{document_id}").json()
    assert document["status"] == "failed"
    code = document["error"]["code"]
    _, samples = scrape(client)
    assert value(samples, "nex_processing_failures_total", code=code) == 1
    assert value(samples, "nex_documents", state="failed") == 1


def test_http_requests_are_labelled_by_route_template_not_by_path(
    acme: Api, client: TestClient, process: Any
) -> None:
    document_id = acme.post_invoice(invoice_pdf(3)).json()["id"]
    process()
    invoice_id = acme.get(f"/api/v1/documents/{document_id}").json()["invoice_id"]
    assert acme.get(f"/api/v1/invoices/{invoice_id}").status_code == 200
    assert acme.get("/api/v1/invoices/no-such-invoice").status_code == 404
    assert acme.get("/no/such/route").status_code == 404
    text, samples = scrape(client)
    route = "/api/v1/invoices/{invoice_id}"
    assert value(samples, "nex_http_requests_total", method="GET", route=route, status="200") == 1
    assert value(samples, "nex_http_requests_total", method="GET", route=route, status="404") == 1
    assert (
        value(samples, "nex_http_requests_total", method="GET", route="unmatched", status="404")
        == 1
    )
    assert value(samples, "nex_http_request_duration_seconds_count", method="GET", route=route) == 2
    posted = value(
        samples, "nex_http_requests_total", method="POST", route="/invoice", status="201"
    )
    assert posted == 1
    assert invoice_id not in text
    assert document_id not in text


def test_every_service_counts_in_its_own_registry(
    services: Services, acme: Api, client: TestClient, tmp_path: Path
) -> None:
    acme.post_invoice(invoice_pdf(0))
    other = build_services(
        load_settings(tmp_path / "other", database_url=f"sqlite:///{tmp_path / 'other.db'}")
    )
    try:
        _, samples = scrape(TestClient(create_app(other)))
    finally:
        other.close()
    assert value(samples, "nex_documents_received_total", source="upload") == 0
    _, mine = scrape(client)
    assert value(mine, "nex_documents_received_total", source="upload") == 1


def test_mailbox_poll_errors_and_last_good_poll_are_exposed(services: Services) -> None:
    mailbox = MailboxSettings(
        name="faktury", host="127.0.0.1", port=free_port(), security="plain", user="u", password="p"
    )
    poller = MailboxPoller(mailbox, services.intake, services.db)
    for _ in range(2):
        with pytest.raises(MailboxUnavailable):
            poller.poll_once()
    services.pollers.append(poller)
    _, samples = scrape(TestClient(create_app(services)))
    assert value(samples, "nex_mailbox_poll_errors_total", mailbox="faktury") == 2
    assert value(samples, "nex_mailbox_last_success_timestamp_seconds", mailbox="faktury") == 0


def test_the_last_backup_is_exposed(services: Services, client: TestClient) -> None:
    _, never = scrape(client)
    assert value(never, "nex_backup_last_success_timestamp_seconds") == 0
    finished = datetime(2026, 3, 1, 2, 5, tzinfo=UTC)
    record_success(services.settings, "20260301-020000", finished, 52_428_800)
    record_failure(services.settings, finished + timedelta(days=1), "disk full")
    _, samples = scrape(client)
    assert value(samples, "nex_backup_last_success_timestamp_seconds") == finished.timestamp()
    assert value(samples, "nex_backup_last_success_bytes") == 52_428_800
    assert (
        value(samples, "nex_backup_last_failure_timestamp_seconds")
        == (finished + timedelta(days=1)).timestamp()
    )


def test_an_unreachable_database_still_scrapes_with_database_down(services: Services) -> None:
    unreachable = open_database("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2")
    metrics = Metrics()
    metrics.watch(StateCollector(services.settings, unreachable, JobQueue(unreachable), []))
    broken = dataclasses.replace(services, db=unreachable, metrics=metrics)
    try:
        _, samples = scrape(TestClient(create_app(broken)))
    finally:
        unreachable.dispose()
    assert value(samples, "nex_database_up") == 0
    assert value(samples, "nex_build_info", version=__version__) == 1
    assert not [name for name, _ in samples if name in ("nex_invoices", "nex_queue_jobs")]


@pytest.mark.parametrize(
    ("networks", "client_host", "allowed"),
    [
        ([], "203.0.113.7", True),
        (["10.0.0.0/8", "192.168.1.0/24"], "10.20.30.40", True),
        (["10.0.0.0/8", "192.168.1.0/24"], "192.168.2.1", False),
        (["127.0.0.1/32"], "testclient", False),
        (["::1/128"], "::1", True),
    ],
)
def test_metrics_need_no_key_but_only_allowed_networks_may_scrape(
    services: Services, networks: list[str], client_host: str, allowed: bool
) -> None:
    settings = services.settings.model_copy(
        update={"metrics": MetricsSettings.model_validate({"allow_networks": networks})}
    )
    app = create_app(dataclasses.replace(services, settings=settings))
    response = TestClient(app, client=(client_host, 50000)).get("/metrics")
    if allowed:
        assert response.status_code == 200
        assert "nex_build_info" in response.text
    else:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
