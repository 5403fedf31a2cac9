"""Slovak by default, Czech and English beside it: every string translated, numbers and dates
per locale."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime
from decimal import Decimal
from types import ModuleType

import pytest

from nex_automat.store.models import Role
from nex_automat.store.users import LANGUAGES
from nex_automat.web.ui import i18n
from nex_automat.web.ui.i18n import (
    AREAS,
    CATALOGUES,
    NBSP,
    Locale,
    format_amount,
    format_date,
    format_datetime,
    format_number,
    parse_amount,
    translate,
)
from tests.web.ui.conftest import Workspace


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("area", [i18n, *AREAS], ids=lambda area: area.__name__.split(".")[-1])
@pytest.mark.parametrize("language", ["CS", "EN"])
def test_every_catalogue_has_the_slovak_keys_and_placeholders_in_each_language(
    area: ModuleType, language: str
) -> None:
    slovak: dict[str, str] = area.SK
    other: dict[str, str] = getattr(area, language)
    assert set(other) == set(slovak)
    for key, text in slovak.items():
        assert _fields(other[key]) == _fields(text), key


def test_every_ui_language_has_a_catalogue_and_a_name_in_each() -> None:
    assert set(CATALOGUES) == set(LANGUAGES)
    for catalogue in CATALOGUES.values():
        assert {f"language.{code}" for code in LANGUAGES} <= set(catalogue)


def test_czech_strings_are_not_slovak_ones_left_untranslated() -> None:
    slovak_only = ("ľ", "ĺ", "ŕ", "ä", "ô")
    for key, text in CATALOGUES["cs"].items():
        assert not any(letter in text.lower() for letter in slovak_only), (key, text)


def test_an_unknown_language_falls_back_to_slovak() -> None:
    assert translate("de", "nav.inbox") == "Doručené"


@pytest.mark.parametrize(
    ("value", "sk", "cs", "en"),
    [
        (Decimal("1234.56"), f"1{NBSP}234,56", f"1{NBSP}234,56", "1,234.56"),
        (
            Decimal("1234567.5"),
            f"1{NBSP}234{NBSP}567,50",
            f"1{NBSP}234{NBSP}567,50",
            "1,234,567.50",
        ),
        (Decimal("-0.5"), "-0,50", "-0,50", "-0.50"),
        (Decimal("12.3456"), "12,3456", "12,3456", "12.3456"),
        (Decimal("999"), "999,00", "999,00", "999.00"),
    ],
)
def test_amounts_follow_the_locale(value: Decimal, sk: str, cs: str, en: str) -> None:
    assert format_amount(value, "sk") == sk
    assert format_amount(value, "cs") == cs
    assert format_amount(value, "en") == en


def test_plain_numbers_keep_their_places() -> None:
    assert format_number(Decimal("2.500"), "sk") == "2,500"
    assert format_number(12345, "en") == "12,345"


def test_dates_follow_the_locale() -> None:
    assert format_date(date(2025, 9, 16), "sk") == f"16.{NBSP}9.{NBSP}2025"
    assert format_date(date(2025, 9, 16), "cs") == f"16.{NBSP}9.{NBSP}2025"
    assert format_date(date(2025, 9, 16), "en") == "16 Sep 2025"


def test_timestamps_are_shown_in_the_offices_time_zone() -> None:
    summer_noon_utc = datetime(2025, 9, 16, 12, 5, tzinfo=UTC)
    assert format_datetime(summer_noon_utc, "sk") == f"16.{NBSP}9.{NBSP}2025{NBSP}14:05"
    assert format_datetime(summer_noon_utc, "cs") == f"16.{NBSP}9.{NBSP}2025{NBSP}14:05"
    assert format_datetime(summer_noon_utc, "en") == "16 Sep 2025, 14:05"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1.234,56", Decimal("1234.56")),
        ("12.5", Decimal("12.5")),
        ("100", Decimal("100")),
        ("abc", None),
        ("", None),
        ("NaN", None),
    ],
)
def test_typed_amounts_are_read_in_either_style(text: str, value: Decimal | None) -> None:
    assert parse_amount(text) == value


def test_pages_are_slovak_until_the_user_switches_to_english(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    workspace.add_invoice(number="F-1", total_gross=Decimal("1234.56"))
    browser = signed_in("eva")
    slovak = browser.get("/invoices").text
    assert '<html lang="sk">' in slovak
    assert "Na kontrolu" in slovak
    assert f"1{NBSP}234,56 EUR" in slovak
    answer = browser.post_form("/language", {"language": "en", "next": "/invoices?status=new"})
    assert answer.headers["location"] == "/invoices?status=new"
    english = browser.get("/invoices").text
    assert '<html lang="en">' in english
    assert "Needs review" in english
    assert "1,234.56 EUR" in english


def test_a_czech_user_reads_the_inbox_and_the_invoice_in_czech(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    invoice_id = workspace.add_invoice(number="F-7", total_gross=Decimal("1234.56"))
    browser = signed_in("jana", Role.APPROVER, language="cs")
    inbox = browser.get("/invoices").text
    assert '<html lang="cs">' in inbox
    assert "<title>Došlé faktury · NEX Automat</title>" in inbox
    assert "Ke kontrole" in inbox and "Dodavatel" in inbox and "Splatnost" in inbox
    assert f"1{NBSP}234,56 EUR" in inbox
    assert f"15.{NBSP}3.{NBSP}2024" in inbox
    assert "Na kontrolu" not in inbox and "Dodávateľ" not in inbox
    invoice = browser.get(f"/invoices/{invoice_id}").text
    assert '<html lang="cs">' in invoice
    assert "Faktura F-7" in invoice
    assert "Odběratel" in invoice and "Datum splatnosti" in invoice
    assert "Datum zdanitelného plnění" in invoice and "Variabilní symbol" in invoice
    assert "Schválit" in invoice and "Zamítnout" in invoice
    assert "Historie změn" in invoice
    assert "Odberateľ</" not in invoice and "Schváliť" not in invoice


def test_the_language_switch_offers_czech_and_keeps_it(
    workspace: Workspace,
    signed_in,  # type: ignore[no-untyped-def]
) -> None:
    browser = signed_in("eva")
    page = browser.get("/invoices").text
    for code in ("sk", "cs", "en"):
        assert f'name="language" value="{code}"' in page
    browser.post_form("/language", {"language": "cs", "next": "/invoices"})
    assert "Ke kontrole" in browser.get("/invoices").text
    assert "Ke kontrole" in workspace.signed_in("eva").get("/invoices").text


def test_the_sign_in_page_can_be_read_in_english_and_czech(workspace: Workspace) -> None:
    browser = workspace.browser()
    assert "Prihlásenie" in browser.get("/login").text
    assert "Sign in" in browser.get("/login?lang=en").text
    assert "Sign in" in browser.get("/login").text
    czech = browser.get("/login?lang=cs").text
    assert '<html lang="cs">' in czech and "Přihlášení" in czech
    assert 'href="/login?lang=sk"' in czech and "Česky" in czech


def test_before_sign_in_the_page_speaks_the_browsers_language_unless_one_was_chosen(
    workspace: Workspace,
) -> None:
    def login_in(accept_language: str) -> str:
        page = workspace.browser().get("/login", headers={"Accept-Language": accept_language})
        return page.text

    assert "Přihlášení" in login_in("cs-CZ,cs;q=0.9,en;q=0.8")
    assert "Sign in" in login_in("de-AT, de;q=0.9, en-GB;q=0.5")
    assert "Prihlásenie" in login_in("fr-FR, de;q=0.8")
    assert "Sign in" in login_in("cs;q=0.2, en;q=0.7")
    browser = workspace.browser()
    browser.get("/login?lang=sk")
    chosen = browser.get("/login", headers={"Accept-Language": "cs"}).text
    assert "Prihlásenie" in chosen


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("cs", "cs"),
        ("en-US,en;q=0.9,sk;q=0.8", "en"),
        ("sk;q=0.5, cs;q=0.5", "sk"),
        ("cs;q=0, en", "en"),
        ("de, *;q=0.1", None),
        ("cs;q=abc, en;q=0.1", "en"),
        ("", None),
        (None, None),
    ],
)
def test_the_browsers_first_known_language_is_preferred(
    header: str | None, language: str | None
) -> None:
    assert i18n.preferred_language(header) == language


def test_any_field_value_is_formatted_by_its_type() -> None:
    locale = Locale("sk")
    assert locale.value(Decimal("5")) == "5,00"
    assert locale.value(date(2025, 9, 16)) == f"16.{NBSP}9.{NBSP}2025"
    assert locale.value("FV-1") == "FV-1"
    assert locale.value(None) == ""
