"""The review flow in a real browser: find, open, correct with the keyboard, save, approve.

Chromium (Debian's ``/usr/bin/chromium``) drives ``nex-automat serve`` over an installation
with generated invoices ingested by the CLI; an approver and an operator are created by
``nex-automat user create``. The detail view's screenshot goes to ``test-artifacts/``; with
NEX_UPDATE_DOC_IMAGES=1 it also refreshes ``docs/images/invoice.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.installation import Installation, initialise, run_cli
from tests.e2e.ui.browser import ARTIFACTS, PASSWORD, publish
from tests.invoicegen import generate

SAMPLE = ("pohoda_sk", 7)


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    root = tmp_path_factory.mktemp("review")
    installed = initialise(root / "data", None)
    for username, role in (("vera", "approver"), ("oto", "operator")):
        created = run_cli(
            "user",
            "create",
            username,
            "--role",
            role,
            env={**installed.env, "NEX_PASSWORD": PASSWORD},
        )
        assert created.returncode == 0, created.stderr
    inbox = root / "inbox"
    inbox.mkdir()
    for family, seed in (SAMPLE, ("money_cz", 8)):
        (inbox / f"{family}-{seed}.pdf").write_bytes(generate(seed, family).pdf)
    ingested = run_cli("ingest", inbox, env=installed.env)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    return installed


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server_url, viewport={"width": 1400, "height": 900}, locale="sk-SK"
    )
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, username: str) -> None:
    page.goto("/invoices")
    page.get_by_label("Používateľské meno").fill(username)
    page.get_by_label("Heslo").fill(PASSWORD)
    page.get_by_role("button", name="Prihlásiť sa").click()
    expect(page).to_have_url(re.compile(r"/invoices$"))


def open_by_search(page: Page) -> str:
    number = generate(SAMPLE[1], SAMPLE[0]).invoice.number
    assert number
    page.keyboard.press("/")
    page.get_by_label("Hľadať").fill(number)
    page.get_by_label("Hľadať").press("Enter")
    rows = page.locator("table.invoices tbody tr[data-href]")
    expect(rows).to_have_count(1)
    rows.first.click()
    expect(page).to_have_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    return page.url


def test_correct_a_quantity_with_the_keyboard_save_and_approve(page: Page) -> None:
    sign_in(page, "vera")
    open_by_search(page)
    expect(page.locator("figure.page img").first).to_be_visible()
    net_total = page.locator('[data-total="total_net"] [data-computed]')
    before = net_total.inner_text()
    quantity = page.locator("[data-lines] tbody tr[data-line]").first.locator(
        '[data-col="quantity"]'
    )
    quantity.focus()
    expect(page.locator(".overlay .highlight")).to_have_count(1)
    quantity.press("Control+a")
    quantity.type("100")
    expect(net_total).not_to_have_text(before)
    expect(page.locator('[data-total="total_net"] [data-difference]')).to_have_class(
        re.compile("bad")
    )
    quantity.press("Enter")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "invoice-detail.png"), full_page=False)
    publish(ARTIFACTS / "invoice-detail.png", "invoice.png")
    page.keyboard.press("Control+s")
    expect(page.locator("p.alert.ok")).to_contain_text("Zmeny sú uložené.")
    audit = page.locator("[data-audit]")
    expect(audit).to_contain_text("úprava položky")
    expect(audit).to_contain_text("100")

    confirm = page.get_by_label(re.compile("Skontroloval"))
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name="Schváliť").click()
    expect(page.locator("p.alert.ok")).to_contain_text("Faktúra je schválená.")
    expect(audit.locator("tbody tr").filter(has_text="zmena stavu").first).to_contain_text(
        "Schválené"
    )
    page.screenshot(path=str(ARTIFACTS / "invoice-approved.png"), full_page=True)


def test_an_operator_has_no_approve_button_and_forced_posts_are_refused(page: Page) -> None:
    sign_in(page, "oto")
    url = open_by_search(page)
    expect(page.get_by_role("button", name="Schváliť")).to_have_count(0)
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert token
    forced = page.request.post(f"{url}/approve", form={"csrf_token": token, "confirm": "1"})
    assert forced.status == 403
    without_token = page.request.post(f"{url}/save", form={"f.number": "hacked"})
    assert without_token.status == 403
    page.reload()
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("hacked")
