"""Turns truth values into the strings one plan prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import formatting
from .plan import Plan


@dataclass(slots=True)
class Printer:
    plan: Plan
    trailing_minus: bool = False
    percent_places: int | None = None

    def label(self, concept: str) -> str:
        return self.plan.labels[concept]

    def amount(self, value: Decimal) -> str:
        return formatting.number(value, self.plan.number_style, 2, self.trailing_minus)

    def money(self, value: Decimal) -> str:
        plan = self.plan
        return formatting.money(
            value, plan.number_style, plan.currency, plan.currency_placement, self.trailing_minus
        )

    def number(self, value: Decimal) -> str:
        """A quantity or unit price with exactly the precision the truth holds."""
        return formatting.number(value, self.plan.number_style, None, self.trailing_minus)

    def percent(self, value: Decimal, sign: bool = False) -> str:
        text = formatting.number(value.normalize(), self.plan.number_style, self.percent_places)
        if self.percent_places is None:
            text = formatting.number(Decimal(f"{value.normalize():f}"), self.plan.number_style)
        return f"{text} %" if sign else text

    def date(self, value: date) -> str:
        return formatting.day(value, self.plan.date_style)

    @property
    def currency(self) -> str:
        """Symbol or code as this layout writes it."""
        return formatting.currency_label(self.plan.currency, self.plan.currency_placement)

    @property
    def currency_word(self) -> str:
        """How a sentence names the currency: "v EUR", "v Kč"."""
        return "Kč" if self.plan.currency == "CZK" else self.plan.currency

    @property
    def code(self) -> str:
        return self.plan.currency

    def with_currency(self, header: str, brackets: str = "[]") -> str:
        """A column header carrying the currency when amounts themselves do not."""
        if self.plan.currency_placement != "header":
            return header
        return f"{header} {brackets[0]}{self.plan.currency}{brackets[1]}"
