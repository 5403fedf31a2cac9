"""Field-level accuracy of the generic extractor on realistic invoices it has no template for.

The corpus comes from the test generator: every layout family, Slovak and Czech, several
number and date styles, credit notes and long multi-page invoices, each with its known
truth. Only fields that are printed (or wrongly reported) count, so empty fields cannot
inflate the score.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import jsonschema
import pytest

from nex_automat.domain.model import DocumentType
from nex_automat.extract.contract import success_json
from nex_automat.extract.document import extract_pdf
from nex_automat.extract.result import ExtractionResult
from tests.invoicegen import FAMILIES, GeneratedInvoice, generate
from tests.invoicegen.compare import FieldResult, compare

SEEDS_PER_FAMILY = 6
KEY_FIELDS = frozenset(
    {
        "number",
        "issue_date",
        "tax_point_date",
        "due_date",
        "total_net",
        "total_vat",
        "total_gross",
        "rounding",
        "amount_due",
    }
)


@dataclass(frozen=True)
class Case:
    generated: GeneratedInvoice
    result: ExtractionResult
    fields: list[FieldResult]


def _corpus() -> list[GeneratedInvoice]:
    corpus = [generate(seed, family) for family in FAMILIES for seed in range(SEEDS_PER_FAMILY)]
    corpus += [generate(100 + i, family, n_lines=65 + i) for i, family in enumerate(FAMILIES)]
    corpus += [
        generate(200 + i, family, document_type=DocumentType.CREDIT_NOTE)
        for i, family in enumerate(FAMILIES)
    ]
    return corpus


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    cases = []
    for generated in _corpus():
        result = extract_pdf(generated.pdf)
        cases.append(Case(generated, result, compare(generated.invoice, result.invoice)))
    return cases


def _counted(results: list[FieldResult]) -> list[FieldResult]:
    return [r for r in results if r.expected is not None or r.got is not None]


def _accuracy(results: list[FieldResult]) -> float:
    counted = _counted(results)
    return sum(r.ok for r in counted) / len(counted)


def _report(cases: list[Case], *, only: frozenset[str] | None = None) -> str:
    misses: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for case in cases:
        for r in _counted(case.fields):
            name = re.sub(r"\[\d+\]", "[]", r.path)
            if r.ok or (only is not None and r.path not in only):
                continue
            misses[name] += 1
            examples.setdefault(
                name, f"{case.generated.family}: expected {r.expected!r}, got {r.got!r}"
            )
    return "\n".join(f"{n:4} × {path}  e.g. {examples[path]}" for path, n in misses.most_common(25))


def test_the_corpus_covers_every_family_and_long_credit_notes(cases: list[Case]) -> None:
    assert {c.generated.family for c in cases} == set(FAMILIES)
    assert len(FAMILIES) >= 8
    assert {c.generated.language for c in cases} == {"sk", "cs"}
    assert max(len(c.generated.invoice.lines) for c in cases) >= 60
    assert any(c.result.pages >= 3 for c in cases)
    assert any(c.generated.invoice.document_type is DocumentType.CREDIT_NOTE for c in cases)


def test_overall_field_accuracy_is_at_least_97_percent(cases: list[Case]) -> None:
    results = [r for case in cases for r in case.fields]
    accuracy = _accuracy(results)
    assert accuracy >= 0.97, f"accuracy {accuracy:.4f}\n{_report(cases)}"


def test_totals_number_and_dates_are_at_least_99_percent(cases: list[Case]) -> None:
    results = [r for case in cases for r in case.fields if r.path in KEY_FIELDS]
    accuracy = _accuracy(results)
    assert accuracy >= 0.99, f"accuracy {accuracy:.4f}\n{_report(cases, only=KEY_FIELDS)}"


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_is_read_well_on_its_own(cases: list[Case], family: str) -> None:
    results = [r for case in cases if case.generated.family == family for r in case.fields]
    accuracy = _accuracy(results)
    family_cases = [c for c in cases if c.generated.family == family]
    assert accuracy >= 0.93, f"{family}: accuracy {accuracy:.4f}\n{_report(family_cases)}"


def test_every_result_validates_against_the_contract(
    cases: list[Case], contract_schema: dict[str, Any]
) -> None:
    for case in cases:
        jsonschema.validate(success_json("x.pdf", case.result), contract_schema)


def test_every_line_is_read_none_dropped(cases: list[Case]) -> None:
    for case in cases:
        expected = len(case.generated.invoice.lines)
        got = len(case.result.invoice.lines)
        unparsed = sum(w.code == "unparsed_line" for w in case.result.warnings)
        assert got + unparsed >= expected, f"{case.generated.family}: {got}+{unparsed}/{expected}"


def test_correctly_read_invoices_raise_no_arithmetic_warnings(cases: list[Case]) -> None:
    arithmetic = {"totals_mismatch", "vat_recap_mismatch", "lines_sum_mismatch"}
    for case in cases:
        if all(r.ok for r in case.fields):
            codes = {w.code for w in case.result.warnings}
            assert not codes & arithmetic, f"{case.generated.family}: {case.result.warnings}"
