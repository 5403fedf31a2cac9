"""The workspace in a real browser: Chromium driven by Playwright against ``nex-automat serve``.

One installation (SQLite, the embedded default) with a few generated supplier invoices
ingested by the CLI and an admin created by ``nex-automat user create`` serves the test.
Chromium is Debian's ``/usr/bin/chromium``; nothing is downloaded. Screenshots go to
``test-artifacts/`` (ignored by git); with NEX_UPDATE_DOC_IMAGES=1 the inbox's also
refreshes ``docs/images/inbox.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.installation import Installation, initialise, run_cli
from tests.e2e.ui.browser import ARTIFACTS, PASSWORD, publish
from tests.invoicegen import generate

SAMPLES = (("pohoda_sk", 1), ("money_cz", 2), ("abra_cz", 3), ("omega_sk", 4))


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    root = tmp_path_factory.mktemp("workspace")
    installed = initialise(root / "data", None)
    created = run_cli(
        "user",
        "create",
        "eva",
        "--role",
        "admin",
        env={**installed.env, "NEX_PASSWORD": PASSWORD},
    )
    assert created.returncode == 0, created.stderr
    inbox = root / "inbox"
    inbox.mkdir()
    for family, seed in SAMPLES:
        (inbox / f"{family}-{seed}.pdf").write_bytes(generate(seed, family).pdf)
    ingested = run_cli("ingest", inbox, env=installed.env)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    return installed


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server_url, viewport={"width": 1280, "height": 800}, locale="sk-SK"
    )
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page) -> None:
    page.goto("/invoices")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Používateľské meno").fill("eva")
    page.get_by_label("Heslo").fill(PASSWORD)
    page.get_by_role("button", name="Prihlásiť sa").click()
    expect(page).to_have_url(re.compile(r"/invoices$"))


def test_sign_in_search_open_with_the_keyboard_and_sign_out(page: Page) -> None:
    sign_in(page)
    rows = page.locator("table.invoices tbody tr[data-href]")
    expect(rows).to_have_count(len(SAMPLES))
    shot = screenshot(page, "inbox.png")
    publish(shot, "inbox.png")

    number = generate(SAMPLES[1][1], SAMPLES[1][0]).invoice.number
    assert number
    page.keyboard.press("/")
    search = page.get_by_label("Hľadať")
    expect(search).to_be_focused()
    search.fill(number)
    search.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(number)
    screenshot(page, "inbox-search.png")

    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowDown")
    expect(rows.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    screenshot(page, "invoice.png")

    page.get_by_role("button", name="Odhlásiť").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/invoices")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_arrow_keys_move_the_selection_through_the_list(page: Page) -> None:
    sign_in(page)
    rows = page.locator("table.invoices tbody tr[data-href]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(rows.nth(0)).to_have_attribute("aria-selected", "true")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "false")


def test_the_language_switch_turns_the_workspace_czech_or_english(page: Page) -> None:
    sign_in(page)
    page.get_by_role("button", name="CS Česky").click()
    expect(page.locator("html")).to_have_attribute("lang", "cs")
    expect(page.get_by_role("link", name=re.compile("Ke kontrole"))).to_be_visible()
    page.get_by_role("button", name="EN English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name=re.compile("Needs review"))).to_be_visible()
    page.get_by_role("button", name="SK Slovensky").click()
    expect(page.locator("html")).to_have_attribute("lang", "sk")


SWAGGER_STUB = (
    "window.SwaggerUIBundle = function (options) {"
    " document.getElementById('swagger-ui').textContent = 'docs of ' + options.url; };"
    " SwaggerUIBundle.presets = {apis: {}}; SwaggerUIBundle.SwaggerUIStandalonePreset = {};"
)


def test_the_api_docs_run_their_own_inline_script_and_no_injected_one(page: Page) -> None:
    def cdn(route: Route) -> None:
        if route.request.url.endswith(".js"):
            route.fulfill(content_type="application/javascript", body=SWAGGER_STUB)
        else:
            route.fulfill(content_type="text/css", body="")

    page.route("https://cdn.jsdelivr.net/**", cdn)
    page.route("https://fastapi.tiangolo.com/**", lambda route: route.abort())
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto("/docs")

    expect(page.locator("#swagger-ui")).to_have_text("docs of /openapi.json")
    assert refused == []
    injected = page.evaluate(
        "() => { const script = document.createElement('script');"
        " script.textContent = 'window.injected = true';"
        " document.body.appendChild(script); return window.injected === true; }"
    )
    assert injected is False
    assert any("Content Security Policy" in text for text in refused)
