"""Every answer carries the security headers: pages, API JSON, files, redirects and errors."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from nex_automat.ops.config import load_settings
from nex_automat.pipeline.services import Services, build_services
from nex_automat.web.app import create_app
from nex_automat.web.security_headers import ALWAYS, DEFAULT_POLICY, HSTS, PAGE_POLICY
from tests.databases import sqlite_url
from tests.web.conftest import Api

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def assert_secured(response: httpx.Response, policy: str | None) -> None:
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, name
    assert response.headers.get("Content-Security-Policy") == policy
    assert "unsafe-inline" not in (policy or "")


@pytest.mark.parametrize(
    ("path", "status"),
    [("/health", 200), ("/api/v1/invoices", 200), ("/api/v1/invoices/nope", 404), ("/x", 404)],
)
def test_api_answers_allow_nothing_to_run_or_frame(acme: Api, path: str, status: int) -> None:
    response = acme.get(path)
    assert response.status_code == status
    assert_secured(response, DEFAULT_POLICY)
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unauthorized_answer_is_secured_too(client: TestClient) -> None:
    response = client.get("/api/v1/invoices")
    assert response.status_code == 401
    assert_secured(response, DEFAULT_POLICY)


def test_pages_have_their_own_strict_policy_and_no_store(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert_secured(page, PAGE_POLICY)
    assert page.headers["Cache-Control"] == "no-store"


def test_redirects_and_static_files_are_secured(client: TestClient) -> None:
    redirect = client.get("/", follow_redirects=False)
    assert redirect.status_code in (302, 303, 307)
    assert_secured(redirect, DEFAULT_POLICY)
    script = client.get("/static/app.js")
    assert script.status_code == 200
    assert_secured(script, DEFAULT_POLICY)
    assert redirect.headers["Cache-Control"] == "no-store"
    assert "no-store" not in script.headers.get("Cache-Control", "")


def test_the_pages_templates_need_no_inline_script_or_style() -> None:
    templates = Path(__file__).resolve().parents[2] / "src" / "nex_automat" / "web" / "templates"
    for template in templates.glob("*.html"):
        html = template.read_text(encoding="utf-8")
        assert "<style" not in html and " style=" not in html, template.name
        for tag in html.split("<script")[1:]:
            assert tag.split(">", 1)[0].strip().startswith("src="), template.name
        assert not INLINE_HANDLER.search(html), template.name


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_the_api_docs_allow_their_cdn_and_exactly_their_own_inline_scripts(
    client: TestClient, path: str
) -> None:
    docs = client.get(path)
    assert docs.status_code == 200
    policy = docs.headers["Content-Security-Policy"]
    assert docs.headers["X-Frame-Options"] == "DENY"
    assert docs.headers["Cache-Control"] == "no-store"
    directives = {
        name: value
        for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))
        if name
    }
    scripts = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    }
    assert set(directives["script-src"].split()) == {"https://cdn.jsdelivr.net", *hashes}
    assert directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'none'"


def test_hsts_only_when_served_over_https(client: TestClient, tmp_path: Path) -> None:
    assert "Strict-Transport-Security" not in client.get("/health").headers
    settings = load_settings(
        tmp_path / "data", database_url=sqlite_url(tmp_path), secure_cookies=True, workers=1
    )
    services: Services = build_services(settings)
    try:
        services.db.upgrade()
        https = TestClient(create_app(services))
        assert https.get("/health").headers["Strict-Transport-Security"] == HSTS
        assert https.get("/login").headers["Strict-Transport-Security"] == HSTS
    finally:
        services.close()
