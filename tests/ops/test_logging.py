"""The service's logs: JSON or console lines with their context, files rotated and kept as
configured, and no secret in any of it."""

from __future__ import annotations

import io
import json
import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest

from nex_automat.logcontext import log_context
from nex_automat.ops.config import Settings, load_settings
from nex_automat.ops.logging import REDACTED, Redactor, configure_logging, reset_logging
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import build_services
from nex_automat.store.db import Database
from nex_automat.store.documents import Arrival
from nex_automat.store.files import sha256_hex
from nex_automat.store.models import DocumentSource
from nex_automat.store.sqltypes import utcnow
from tests.invoicegen import FAMILIES, generate

log = logging.getLogger("nex_automat.tests.logging")

API_KEY = "nex_Qk3vX0p9LmN2bR7tY5wZ8aC1dE4fG6hJ"


@pytest.fixture(autouse=True)
def restore_logging(no_nex_variables: None) -> Iterator[None]:
    level = logging.getLogger().level
    yield
    reset_logging()
    logging.getLogger().setLevel(level)


def settings_with(data_dir: Path, text: str = "") -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.yaml").write_text(text, encoding="utf-8")
    return load_settings(data_dir)


def json_lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"request with key {API_KEY}", API_KEY),
        ("login failed for password=hunter2-x", "hunter2-x"),
        ('{"user": "eva", "password": "correct horse battery"}', "correct horse battery"),
        ("{'api_key': 'k-77231-xyz'}", "k-77231-xyz"),
        ("Authorization: Bearer eyJhbGciOi.payload.sig", "eyJhbGciOi.payload.sig"),
        ("authorization=Basic ZXZhOnNlY3JldA==", "ZXZhOnNlY3JldA=="),
        (f"headers [(b'x-api-key', b'{API_KEY}')]", API_KEY),
        ("[(b'authorization', b'Bearer abc.def.ghi')]", "abc.def.ghi"),
        ("X-API-Key: plain-old-key-123", "plain-old-key-123"),
        ("connecting to postgresql+psycopg://nex:Pa55-word@db:5432/nex", "Pa55-word"),
        ("smtp_password='quoted secret'", "quoted secret"),
        ("csrf_token=4f1d9a", "4f1d9a"),
    ],
)
def test_secrets_in_any_usual_notation_are_redacted(text: str, secret: str) -> None:
    redacted = Redactor()(text)
    assert secret not in redacted
    assert REDACTED in redacted


@pytest.mark.parametrize(
    "text",
    [
        "API key 3 (n8n) revoked",
        "mailbox faktury: 2 message(s), 2 document(s) received, 0 rejected",
        "GET /api/v1/invoices/4b0c 200 12 ms",
        "session_hours=12 workers=2",
        "https://faktury.example.sk:8443/inbox",
    ],
)
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert Redactor()(text) == text


def test_known_secret_values_are_redacted_wherever_they_appear() -> None:
    redactor = Redactor(["s3cr3t-imap", "x"])
    assert redactor("server said: bad credentials s3cr3t-imap!") == (
        f"server said: bad credentials {REDACTED}!"
    )
    assert redactor("x marks the spot") == "x marks the spot", "too short to redact"


def test_the_settings_secrets_from_env_and_files_never_reach_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    password_file = tmp_path / "smtp-password"
    password_file.write_text("file-held-secret\n")
    monkeypatch.setenv("NEX_MAILBOXES__0__PASSWORD", "env-held-secret")
    settings = settings_with(
        tmp_path / "data",
        "database_url: postgresql+psycopg://nex:db-held-secret@db/nex\n"
        "logging:\n  format: json\n"
        "mailboxes:\n  - name: faktury\n    host: imap.example.sk\n    user: f@example.sk\n"
        "notifications:\n"
        "  smtp:\n    host: smtp.example.sk\n    user: nex@example.sk\n"
        f"    password_file: {password_file}\n    sender: nex@example.sk\n"
        "  recipients: [admin@example.sk]\n  base_url: https://faktury.example.sk\n",
    )
    stream = io.StringIO()
    configure_logging(settings, stream=stream)
    log.warning("IMAP said no to %s", "env-held-secret")
    log.warning("SMTP said no to file-held-secret")
    log.warning("db-held-secret appears on its own")
    try:
        raise RuntimeError("failed with env-held-secret inside")
    except RuntimeError:
        log.exception("a traceback")
    output = stream.getvalue()
    for secret in ("env-held-secret", "file-held-secret", "db-held-secret"):
        assert secret not in output
    lines = json_lines(stream)
    assert len(lines) == 4
    assert "RuntimeError" in str(lines[3]["exception"])


def test_json_lines_carry_the_context_and_extra_fields(tmp_path: Path) -> None:
    settings = settings_with(tmp_path / "data", "logging:\n  format: json\n  level: DEBUG\n")
    stream = io.StringIO()
    configure_logging(settings, stream=stream)
    with log_context(request_id="req-1"), log_context(document_id="doc-9", tenant="acme"):
        log.info("processing %s", "faktura.pdf", extra={"pages": 2, "token": "t-secret"})
    log.debug("outside any context")
    first, second = json_lines(stream)
    assert first["message"] == "processing faktura.pdf"
    assert (first["request_id"], first["document_id"], first["tenant"]) == (
        "req-1",
        "doc-9",
        "acme",
    )
    assert (first["level"], first["logger"], first["pages"]) == (
        "INFO",
        "nex_automat.tests.logging",
        2,
    )
    assert first["token"] == REDACTED
    assert str(first["time"]).endswith("Z")
    assert "request_id" not in second
    assert second["level"] == "DEBUG"


def test_console_lines_show_the_context_in_brackets(tmp_path: Path) -> None:
    stream = io.StringIO()
    configure_logging(settings_with(tmp_path / "data"), stream=stream)
    with log_context(document_id="doc-9", tenant="acme"):
        log.warning("could not read page %d", 3)
    log.info("plain")
    first, second = stream.getvalue().splitlines()
    assert " WARNING nex_automat.tests.logging [document=doc-9 tenant=acme] " in first
    assert first.endswith("could not read page 3")
    assert second.endswith("INFO    nex_automat.tests.logging plain")


def test_the_level_filters_and_configuring_again_replaces_the_handlers(tmp_path: Path) -> None:
    settings = settings_with(tmp_path / "data", "logging:\n  level: WARNING\n")
    first = io.StringIO()
    configure_logging(settings, stream=first)
    second = io.StringIO()
    configure_logging(settings, stream=second)
    log.info("not shown")
    log.warning("shown once")
    assert first.getvalue() == ""
    assert second.getvalue().count("shown once") == 1


def test_the_log_file_rotates_by_size_and_keeps_the_configured_number(tmp_path: Path) -> None:
    settings = settings_with(
        tmp_path / "data",
        "logging:\n  file: logs/nex.log\n  rotate: size\n  max_megabytes: 1\n  keep: 2\n",
    )
    configure_logging(settings, stream=io.StringIO())
    line = "x" * 1000
    for index in range(3500):
        log.warning("%05d %s", index, line)
    folder = tmp_path / "data" / "logs"
    assert sorted(p.name for p in folder.iterdir()) == ["nex.log", "nex.log.1", "nex.log.2"]
    assert all(p.stat().st_size <= 1024 * 1024 for p in folder.iterdir())
    assert "03499" in (folder / "nex.log").read_text()


def test_daily_rotation_keeps_only_the_configured_days(tmp_path: Path) -> None:
    log_file = tmp_path / "nex.log"
    settings = settings_with(tmp_path / "data", f"logging:\n  file: {log_file}\n  keep: 3\n")
    handlers = configure_logging(settings, stream=io.StringIO())
    [daily] = [h for h in handlers if isinstance(h, logging.handlers.TimedRotatingFileHandler)]
    assert daily.when == "MIDNIGHT"
    for day in range(1, 7):
        (tmp_path / f"nex.log.2026-01-0{day}").write_text(f"day {day}\n")
    log.warning("today")
    daily.doRollover()
    kept = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("nex.log."))
    assert len(kept) == 3
    assert "nex.log.2026-01-01" not in kept
    assert (tmp_path / "nex.log").exists()


def test_a_processing_job_logs_with_its_document_and_tenant(
    tmp_path: Path, database: Database
) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    settings = load_settings(tmp_path / "data", database_url=url)
    settings = settings.model_copy(
        update={"logging": settings.logging.model_copy(update={"format": "json"})}
    )
    services = build_services(settings)
    stream = io.StringIO()
    configure_logging(settings, stream=stream)
    try:
        pdf = generate(3, FAMILIES[0]).pdf
        arrival = Arrival(source=DocumentSource.CLI, filename="f.pdf", received_at=utcnow())
        receipt = services.intake.receive(settings.default_tenant, pdf, arrival)
        services.files.tenant(settings.default_tenant).path(sha256_hex(pdf)).unlink()
        run_pending(services.queue, services.processor)
    finally:
        services.close()
    [broke] = [line for line in json_lines(stream) if "broke" in str(line["message"])]
    assert broke["document_id"] == receipt.document_id
    assert broke["tenant"] == settings.default_tenant
    assert broke["level"] == "ERROR"
