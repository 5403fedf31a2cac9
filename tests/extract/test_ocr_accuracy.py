"""Field-level accuracy of the OCR path on generator invoices degraded like real scans.

Single-page invoices of every family, from two separate pairs of seeds, are rendered at
200 dpi, turned slightly, put on grey paper with sensor noise, blurred and saved as JPEG,
then read like any uploaded photo.
"""

from __future__ import annotations

import pytest

from nex_automat.extract.document import extract_document
from tests.extract.scans import degrade_pdf_page
from tests.invoicegen import FAMILIES, generate
from tests.invoicegen.compare import FieldResult, compare

SEED_SETS = ((0, 1), (5, 6))
KEY_FIELDS = frozenset({"number", "issue_date", "tax_point_date", "due_date", "amount_due"})


@pytest.fixture(
    scope="module", params=SEED_SETS, ids=lambda seeds: "seeds-" + "-".join(map(str, seeds))
)
def results(request: pytest.FixtureRequest) -> list[FieldResult]:
    found: list[FieldResult] = []
    for family in FAMILIES:
        for seed in request.param:
            generated = generate(seed, family, n_lines=6)
            result = extract_document(degrade_pdf_page(generated.pdf, 0, seed=seed))
            assert result.method == "ocr"
            found += compare(generated.invoice, result.invoice)
    return [r for r in found if r.expected is not None or r.got is not None]


def _accuracy(results: list[FieldResult]) -> float:
    return sum(r.ok for r in results) / len(results)


def _misses(results: list[FieldResult]) -> str:
    return "\n".join(f"{r.path}: {r.expected!r} -> {r.got!r}" for r in results if not r.ok)[:3000]


@pytest.mark.slow
def test_number_dates_and_amount_due_are_at_least_97_percent(results: list[FieldResult]) -> None:
    key = [r for r in results if r.path in KEY_FIELDS]
    assert _accuracy(key) >= 0.97, f"{_accuracy(key):.3f}\n{_misses(key)}"


@pytest.mark.slow
def test_overall_field_accuracy_is_at_least_90_percent(results: list[FieldResult]) -> None:
    assert _accuracy(results) >= 0.90, f"{_accuracy(results):.3f}"
