"""Slovak by default, English second: every string translated, numbers and dates per locale."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from nex_automat.web.ui.i18n import (
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


def test_both_catalogues_have_the_same_keys() -> None:
    assert set(CATALOGUES["sk"]) == set(CATALOGUES["en"])


def test_placeholders_match_between_languages() -> None:
    def fields(text: str) -> set[str]:
        return {part.split("}")[0] for part in text.split("{")[1:]}

    for key, text in CATALOGUES["sk"].items():
        assert fields(text) == fields(CATALOGUES["en"][key]), key


def test_an_unknown_language_falls_back_to_slovak() -> None:
    assert translate("de", "nav.inbox") == "Doručené"


@pytest.mark.parametrize(
    ("value", "sk", "en"),
    [
        (Decimal("1234.56"), f"1{NBSP}234,56", "1,234.56"),
        (Decimal("1234567.5"), f"1{NBSP}234{NBSP}567,50", "1,234,567.50"),
        (Decimal("-0.5"), "-0,50", "-0.50"),
        (Decimal("12.3456"), "12,3456", "12.3456"),
        (Decimal("999"), "999,00", "999.00"),
    ],
)
def test_amounts_follow_the_locale(value: Decimal, sk: str, en: str) -> None:
    assert format_amount(value, "sk") == sk
    assert format_amount(value, "en") == en


def test_plain_numbers_keep_their_places() -> None:
    assert format_number(Decimal("2.500"), "sk") == "2,500"
    assert format_number(12345, "en") == "12,345"


def test_dates_follow_the_locale() -> None:
    assert format_date(date(2025, 9, 16), "sk") == f"16.{NBSP}9.{NBSP}2025"
    assert format_date(date(2025, 9, 16), "en") == "16 Sep 2025"


def test_timestamps_are_shown_in_the_offices_time_zone() -> None:
    summer_noon_utc = datetime(2025, 9, 16, 12, 5, tzinfo=UTC)
    assert format_datetime(summer_noon_utc, "sk") == f"16.{NBSP}9.{NBSP}2025{NBSP}14:05"
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


def test_the_sign_in_page_can_be_read_in_english(workspace: Workspace) -> None:
    browser = workspace.browser()
    assert "Prihlásenie" in browser.get("/login").text
    assert "Sign in" in browser.get("/login?lang=en").text
    assert "Sign in" in browser.get("/login").text


def test_any_field_value_is_formatted_by_its_type() -> None:
    locale = Locale("sk")
    assert locale.value(Decimal("5")) == "5,00"
    assert locale.value(date(2025, 9, 16)) == f"16.{NBSP}9.{NBSP}2025"
    assert locale.value("FV-1") == "FV-1"
    assert locale.value(None) == ""
