"""Catalogue matching in a real browser: confirm a fuzzy match, choose another product, approve,
and find the receipt in the ERP's import folder as valid ISDOC.

The installation is set up as a user would: ``nex-automat init``, the catalogue imported with
``nex-automat catalog import`` from the ERP's CSV exports, a folder drop configured in
``config.yaml``, the supplier's PDF ingested with ``nex-automat ingest`` (which matches it),
and ``nex-automat serve`` driven by Chromium. A screenshot of the matching goes to
``test-artifacts/``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from nex_automat.formats.isdoc import validate_isdoc
from nex_automat.store.db import open_database
from nex_automat.store.models import SupplierCode
from tests.e2e.installation import Installation, initialise, run_cli
from tests.e2e.ui.browser import ARTIFACTS, PASSWORD
from tests.invoicegen import generate

SAMPLE = ("wholesale_sk", 10)
"""Hydroizol Trenčín: nails (barcode), a drain pipe (similar name), plasterboard (same
name), a floor screed the catalogue lacks under that name."""
SUPPLIER_ICO = "40838072"
TENANT = "default"
RECEIPT_TIMEOUT = 60.0

CATALOGUE: dict[str, str] = {
    "groups": "kod;nazov;marza\nSPOJ;Spojovací materiál;25\nKAN;Kanalizácia;20\n"
    "SUCHE;Suché stavby;30\nPODL;Podlahy;28\n",
    "products": "kod;nazov;mj;dph;skupina;nakupna cena;predajna cena\n"
    "100200;Klinec stavebný 100 mm;kg;23;SPOJ;1,70;2,20\n"
    "300100;Drenážna rúra DN100 perforovaná s filtrom kokos 50m;m;23;KAN;2,10;2,70\n"
    "400100;Sadrokartón RB 12,5 mm 1250x2000;m2;23;SUCHE;2,40;3,10\n"
    "500100;Samonivelačná stierka Weber 25 kg;bal;23;PODL;15,00;19,50\n",
    "barcodes": "kod;ean\n100200;8584214211657\n",
    "partners": f"nazov;ico\nHydroizol Trenčín spol. s r.o.;{SUPPLIER_ICO}\n",
}


def export_folder(installation: Installation) -> Path:
    return installation.data_dir.parent / "erp-import"


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    root = tmp_path_factory.mktemp("matching")
    installed = initialise(root / "data", None)
    created = run_cli(
        "user",
        "create",
        "vera",
        "--role",
        "approver",
        env={**installed.env, "NEX_PASSWORD": PASSWORD},
    )
    assert created.returncode == 0, created.stderr
    for kind, text in CATALOGUE.items():
        path = root / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        imported = run_cli("catalog", "import", path, "--kind", kind, env=installed.env)
        assert imported.returncode == 0, imported.stdout + imported.stderr
    folder = export_folder(installed)
    folder.mkdir()
    with (installed.data_dir / "config.yaml").open("a", encoding="utf-8") as config:
        config.write(
            f"\nexports:\n  - name: erp\n    kind: folder\n    tenant: {TENANT}\n"
            f"    path: {folder}\n    formats: [isdoc]\n"
        )
    inbox = root / "inbox"
    inbox.mkdir()
    family, seed = SAMPLE
    (inbox / f"{family}-{seed}.pdf").write_bytes(generate(seed, family).pdf)
    ingested = run_cli("ingest", inbox, env=installed.env)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    return installed


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server_url, viewport={"width": 1400, "height": 1000}, locale="sk-SK"
    )
    opened = context.new_page()
    yield opened
    context.close()


def sign_in_and_open(page: Page) -> None:
    page.goto("/invoices")
    page.get_by_label("Používateľské meno").fill("vera")
    page.get_by_label("Heslo").fill(PASSWORD)
    page.get_by_role("button", name="Prihlásiť sa").click()
    expect(page).to_have_url(re.compile(r"/invoices$"))
    page.locator("table.invoices tbody tr[data-href]").first.click()
    expect(page).to_have_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))


def row(page: Page, number: int):  # type: ignore[no-untyped-def]
    return page.locator("tr[data-match-row]").nth(number - 1)


def wait_for_receipt(folder: Path) -> Path:
    deadline = time.monotonic() + RECEIPT_TIMEOUT
    while time.monotonic() < deadline:
        found = sorted(folder.glob(f"*-{SUPPLIER_ICO}-receipt.isdoc"))
        if found:
            return found[0]
        time.sleep(0.25)
    raise AssertionError(f"no receipt in {folder} after {RECEIPT_TIMEOUT:.0f} s")


def learned_codes(installation: Installation) -> dict[str, str | None]:
    db = open_database(installation.effective_database_url())
    try:
        with db.tenant_session(TENANT) as session:
            rows = session.scalars(select(SupplierCode))
            return {row.seller_code: row.confirmed_by for row in rows}
    finally:
        db.dispose()


def test_confirm_a_fuzzy_match_choose_another_product_approve_and_hand_over(
    page: Page, installation: Installation, shared_dir: Path
) -> None:
    sign_in_and_open(page)
    section = page.locator("[data-matching]")
    expect(section.locator("[data-partner-name]")).to_have_text("Hydroizol Trenčín spol. s r.o.")
    expect(row(page, 1)).to_have_attribute("data-band", "sure")
    expect(row(page, 2)).to_have_attribute("data-band", "doubtful")
    expect(row(page, 2).locator("[data-product]")).to_contain_text("300100")
    expect(row(page, 4)).to_have_attribute("data-band", "none")
    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / "invoice-matching.png"))

    row(page, 2).focus()
    page.keyboard.press("Enter")
    expect(page.locator("p.alert.ok")).to_contain_text("Produkt položky je potvrdený.")
    expect(row(page, 2)).to_have_attribute("data-band", "confirmed")
    expect(row(page, 3)).to_be_focused()

    search = row(page, 4).locator("[data-search-input]")
    search.fill("stierka")
    option = row(page, 4).locator("[role=option]")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("500100")
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.locator("p.alert.ok")).to_contain_text("Produkt položky je zmenený")
    expect(row(page, 4)).to_have_attribute("data-band", "confirmed")
    expect(row(page, 4).locator("[data-product]")).to_contain_text("Samonivelačná stierka Weber")
    assert learned_codes(installation) == {"85708396": "vera", "82034376": "vera"}

    price = page.locator("[data-price-row]").nth(3)
    price.locator("[data-margin]").fill("40")
    expect(price.locator("[data-sale]")).to_have_value("23,59")  # 16.848 × 1.40
    expect(price.locator("[data-gross]")).to_have_value("29,02")
    page.locator("[data-save-prices]").click()
    expect(page.locator("p.alert.ok")).to_contain_text("Predajné ceny sú uložené.")

    page.get_by_role("button", name="Schváliť").click()
    expect(page.locator("p.alert.ok")).to_contain_text("Faktúra je schválená.")
    page.screenshot(path=str(ARTIFACTS / "invoice-matched-approved.png"), full_page=True)

    receipt = wait_for_receipt(export_folder(installation)).read_bytes()
    xsd = shared_dir / "standards" / "isdoc" / "isdoc-invoice-6.0.2.xsd"
    assert validate_isdoc(receipt, xsd) == []
    for code in (b"100200", b"300100", b"400100", b"500100"):
        assert b"<ID>" + code + b"</ID>" in receipt
