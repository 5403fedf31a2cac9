"""The choices behind one generated invoice: what is printed and how.

A family declares a :class:`Profile` (the options its ERP has); :func:`make_plan` draws
one :class:`Plan` from it. The truth builder leaves out what the plan does not print and
the renderer prints exactly what the truth holds, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from random import Random
from typing import Any, TypeVar

from nex_automat.domain.model import DocumentType

from .labels import LABELS, TITLES

T = TypeVar("T")


class Chooser:
    """Draws choices from one seeded generator; an override wins over the draw."""

    def __init__(self, rng: Random, overrides: dict[str, Any]) -> None:
        self.rng = rng
        self.overrides = dict(overrides)
        self.used: set[str] = set()
        self.styles: dict[str, str] = {}

    def pick(self, key: str, options: Sequence[T], weights: Sequence[float] | None = None) -> T:
        if key in self.overrides:
            self.used.add(key)
            value = self.overrides[key]
        else:
            value = self.rng.choices(list(options), weights=weights)[0]
        self.styles[key] = str(value)
        return value

    def flag(self, key: str, probability: float) -> bool:
        if key in self.overrides:
            self.used.add(key)
            return bool(self.overrides[key])
        return self.rng.random() < probability

    def unused(self) -> set[str]:
        return set(self.overrides) - self.used


@dataclass(frozen=True, slots=True)
class Profile:
    """What one ERP's printout can look like; probabilities are per invoice."""

    languages: tuple[str, ...]
    fonts: tuple[str, ...]
    number_styles: tuple[str, ...]
    date_styles: tuple[str, ...]
    currency_placements: tuple[str, ...]
    number_patterns: tuple[str, ...]
    code_styles: tuple[str, ...] = ("digits6",)
    qty_places: tuple[int | None, ...] = (None,)
    price_places: tuple[int, ...] = (2,)
    p_code: float = 0.5
    p_ean: float = 0.0
    p_discount: float = 0.0
    p_line_rate: float = 1.0
    p_line_vat: float = 0.0
    p_line_gross: float = 0.0
    p_tax_point: float = 1.0
    p_constant_symbol: float = 0.5
    p_order_reference: float = 0.5
    p_variable_symbol: float = 1.0
    p_country: float = 0.4
    p_bic: float = 0.8
    p_multi_rate: float = 0.35
    p_recap_all_rates: float = 0.0
    p_upper_units: float = 0.0
    roundings: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {"sk": ("none",), "cs": ("none",)}
    )
    labels: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    titles: dict[DocumentType, dict[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(slots=True)
class Plan:
    family: str
    language: str
    currency: str
    document_type: DocumentType
    n_lines: int
    font: str
    number_style: str
    date_style: str
    currency_placement: str
    number_pattern: str
    code_style: str
    qty_places: int | None
    price_places: int
    show_code: bool
    show_ean: bool
    show_discount: bool
    show_line_rate: bool
    show_line_vat: bool
    show_line_gross: bool
    show_tax_point: bool
    show_constant_symbol: bool
    show_order_reference: bool
    show_variable_symbol: bool
    show_supplier_country: bool
    show_customer_country: bool
    show_bic: bool
    multi_rate: bool
    recap_all_rates: bool
    upper_units: bool
    rounding: str
    title: str
    labels: dict[str, str]


DOCUMENT_TYPE_WEIGHTS: dict[DocumentType, float] = {
    DocumentType.INVOICE: 0.74,
    DocumentType.CREDIT_NOTE: 0.12,
    DocumentType.ADVANCE_INVOICE: 0.07,
    DocumentType.PROFORMA: 0.07,
}


def _n_lines(rng: Random) -> int:
    band = rng.choices(["few", "some", "many", "long"], weights=[0.36, 0.34, 0.22, 0.08])[0]
    low, high = {"few": (1, 5), "some": (6, 15), "many": (16, 40), "long": (60, 90)}[band]
    return rng.randint(low, high)


def _roundings(profile: Profile, language: str, currency: str) -> list[str]:
    """Whole-crown rounding exists only for CZK."""
    allowed = [r for r in profile.roundings[language] if r != "whole" or currency == "CZK"]
    return allowed or ["none"]


def make_plan(family: str, profile: Profile, ch: Chooser) -> Plan:
    language = ch.pick("language", profile.languages)
    currency = ch.pick(
        "currency",
        ["EUR"] if language == "sk" else ["CZK", "EUR"],
        None if language == "sk" else [0.85, 0.15],
    )
    doc_type = ch.pick(
        "document_type", list(DOCUMENT_TYPE_WEIGHTS), list(DOCUMENT_TYPE_WEIGHTS.values())
    )
    doc_type = DocumentType(doc_type)
    n_lines = int(ch.overrides["n_lines"]) if "n_lines" in ch.overrides else _n_lines(ch.rng)
    ch.used.add("n_lines")
    ch.styles["n_lines"] = str(n_lines)
    is_tax_document = doc_type in (DocumentType.INVOICE, DocumentType.CREDIT_NOTE)
    show_line_vat = ch.flag("show_line_vat", profile.p_line_vat)
    labels = {
        concept: ch.pick(f"label.{concept}", (profile.labels.get(concept) or options)[language])
        for concept, options in LABELS.items()
        if language in (profile.labels.get(concept) or options)
    }
    titles = profile.titles.get(doc_type) or TITLES[doc_type]
    return Plan(
        family=family,
        language=language,
        currency=currency,
        document_type=doc_type,
        n_lines=n_lines,
        font=ch.pick("font", profile.fonts),
        number_style=ch.pick("number_style", profile.number_styles),
        date_style=ch.pick("date_style", profile.date_styles),
        currency_placement=ch.pick("currency_placement", profile.currency_placements),
        number_pattern=ch.pick("number_pattern", profile.number_patterns),
        code_style=ch.pick("code_style", profile.code_styles),
        qty_places=ch.pick("qty_places", profile.qty_places),
        price_places=ch.pick("price_places", profile.price_places),
        show_code=ch.flag("show_code", profile.p_code),
        show_ean=ch.flag("show_ean", profile.p_ean),
        show_discount=ch.flag("show_discount", profile.p_discount),
        show_line_rate=ch.flag("show_line_rate", profile.p_line_rate),
        show_line_vat=show_line_vat,
        show_line_gross=ch.flag("show_line_gross", profile.p_line_gross),
        show_tax_point=is_tax_document and ch.flag("show_tax_point", profile.p_tax_point),
        show_constant_symbol=ch.flag("show_constant_symbol", profile.p_constant_symbol),
        show_order_reference=ch.flag("show_order_reference", profile.p_order_reference),
        show_variable_symbol=ch.flag("show_variable_symbol", profile.p_variable_symbol),
        show_supplier_country=ch.flag("show_supplier_country", profile.p_country),
        show_customer_country=ch.flag("show_customer_country", profile.p_country),
        show_bic=ch.flag("show_bic", profile.p_bic),
        multi_rate=ch.flag("multi_rate", profile.p_multi_rate),
        recap_all_rates=ch.flag("recap_all_rates", profile.p_recap_all_rates),
        upper_units=ch.flag("upper_units", profile.p_upper_units),
        rounding=ch.pick("rounding", _roundings(profile, language, currency)),
        title=ch.pick("title", titles[language]),
        labels=labels,
    )


PLAN_FIELDS: frozenset[str] = frozenset(f.name for f in fields(Plan))
