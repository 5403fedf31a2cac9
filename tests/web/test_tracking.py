"""Every request has an id, echoed in ``X-Request-ID`` and carried by what it logs."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from nex_automat.ops.logging import configure_logging, reset_logging
from nex_automat.pipeline.services import Services
from tests.web.conftest import Api
from tests.web.samples import b64, invoice_pdf


@pytest.fixture
def json_log(services: Services) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    logging_settings = services.settings.logging.model_copy(update={"format": "json"})
    configure_logging(
        services.settings.model_copy(update={"logging": logging_settings}), stream=stream
    )
    yield stream
    reset_logging()


def access_lines(stream: io.StringIO) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == "nex_automat.http"]


def test_a_request_without_an_id_gets_a_fresh_one(client: TestClient) -> None:
    first = client.get("/health").headers["X-Request-ID"]
    second = client.get("/health").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_a_sane_request_id_is_echoed_and_an_odd_one_replaced(client: TestClient) -> None:
    given = client.get("/health", headers={"X-Request-ID": "n8n-run:42.7"})
    assert given.headers["X-Request-ID"] == "n8n-run:42.7"
    for odd in ("x" * 129, "two words", "semi;colon"):
        answered = client.get("/health", headers={"X-Request-ID": odd}).headers["X-Request-ID"]
        assert answered != odd
        assert re.fullmatch(r"[0-9a-f]{32}", answered)


def test_errors_carry_the_request_id_too(acme: Api) -> None:
    response = acme.client.get(
        "/api/v1/invoices/none", headers={**acme.headers, "X-Request-ID": "trace-404"}
    )
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "trace-404"


def test_each_request_is_logged_with_its_id_route_and_status_never_its_key(
    acme: Api, json_log: io.StringIO
) -> None:
    response = acme.client.post(
        "/invoice",
        json={"file_b64": b64(invoice_pdf(0))},
        headers={**acme.headers, "X-Request-ID": "upload-1"},
    )
    assert response.status_code == 201
    acme.client.get("/health", headers={"X-Request-ID": "probe-1"})
    [upload] = access_lines(json_log)
    assert upload["request_id"] == "upload-1"
    assert upload["message"].startswith("POST /invoice 201 ")
    assert (upload["route"], upload["status"], upload["level"]) == ("/invoice", 201, "INFO")
    assert acme.key not in json_log.getvalue()
