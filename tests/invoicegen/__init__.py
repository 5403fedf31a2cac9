"""Realistic Slovak and Czech supplier invoice PDFs with their known truth.

The yardstick the extractor is measured by: every PDF comes with the :class:`Invoice`
it shows, built so that what is not printed is ``None`` and the arithmetic holds to the cent.

>>> generated = generate(7, family="pohoda_sk")
>>> generated.pdf[:5]
b'%PDF-'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random
from typing import Any

from nex_automat.domain.model import DocumentType, Invoice

from .families import HELD_OUT, REGISTRY
from .plan import Chooser, make_plan
from .truth import build

FAMILIES: tuple[str, ...] = tuple(REGISTRY)
HELD_OUT_FAMILIES: tuple[str, ...] = tuple(HELD_OUT)
"""Families for a generalisation check only; a random draw never picks them."""
_ALL = {**REGISTRY, **HELD_OUT}

__all__ = ["FAMILIES", "HELD_OUT_FAMILIES", "GeneratedInvoice", "generate"]


@dataclass(slots=True)
class GeneratedInvoice:
    invoice: Invoice
    pdf: bytes
    family: str
    language: str
    styles: dict[str, str] = field(default_factory=dict)


def generate(seed: int, family: str | None = None, **overrides: Any) -> GeneratedInvoice:
    """The invoice for ``seed``; ``overrides`` force plan choices (``n_lines=70``,
    ``document_type=DocumentType.CREDIT_NOTE``, ``language="cs"``, ``number_style=...``)."""
    rng = Random(seed)
    language = overrides.get("language")
    candidates = [
        n for n in FAMILIES if language is None or language in REGISTRY[n].profile.languages
    ]
    name = family if family is not None else rng.choice(candidates)
    if name not in _ALL:
        raise ValueError(f"unknown family {name!r}; known: {', '.join(_ALL)}")
    chosen = _ALL[name]
    if "document_type" in overrides:
        overrides["document_type"] = DocumentType(overrides["document_type"])
    if "language" in overrides and overrides["language"] not in chosen.profile.languages:
        raise ValueError(f"family {name} prints only {chosen.profile.languages}")
    chooser = Chooser(rng, overrides)
    plan = make_plan(name, chosen.profile, chooser)
    unused = chooser.unused()
    if unused:
        raise TypeError(f"unknown overrides: {', '.join(sorted(unused))}")
    invoice, decor = build(rng, plan)
    if chosen.adjust is not None:
        chosen.adjust(invoice, plan, rng)
    pdf = chosen.render(invoice, plan, decor, rng)
    styles = {"family": name, **chooser.styles}
    return GeneratedInvoice(
        invoice=invoice, pdf=pdf, family=name, language=plan.language, styles=styles
    )
