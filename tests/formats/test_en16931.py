"""EN 16931 arithmetic rules on totals and the VAT breakdown."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from nex_automat.domain.model import AllowanceCharge, Invoice, Line, VatRow
from nex_automat.formats.en16931 import (
    StatedTotals,
    br_co_10,
    br_co_11,
    br_co_12,
    br_co_13,
    br_co_14,
    br_co_15,
    br_co_16,
    br_co_17,
    br_s_08,
    br_s_09,
    check_en16931,
    xpath_round,
)
from nex_automat.formats.ubl import read_ubl, read_ubl_stated_totals
from nex_automat.formats.violations import Violation

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "ubl"
D = Decimal


def consistent_invoice(**changes: object) -> Invoice:
    """Lines 100 + 50 at 20 %, a 10 allowance and a 5 charge: net 145, VAT 29, gross 174."""
    invoice = Invoice(
        lines=[
            Line(position=1, vat_rate=D(20), vat_category="S", net_amount=D("100.00")),
            Line(position=2, vat_rate=D(20), vat_category="S", net_amount=D("50.00")),
        ],
        allowances_charges=[
            AllowanceCharge(is_charge=False, amount=D("10.00"), vat_rate=D(20), vat_category="S"),
            AllowanceCharge(is_charge=True, amount=D("5.00"), vat_rate=D(20), vat_category="S"),
        ],
        vat_breakdown=[VatRow(rate=D(20), base=D("145.00"), vat=D("29.00"), category="S")],
        total_net=D("145.00"),
        total_vat=D("29.00"),
        total_gross=D("174.00"),
        amount_due=D("174.00"),
    )
    return dataclasses.replace(invoice, **changes)


STATED = StatedTotals(line_total=D("150.00"), allowance_total=D("10.00"), charge_total=D("5.00"))


def rule_ids(violations: list[Violation]) -> list[str]:
    return [violation.rule_id for violation in violations]


def test_consistent_invoice_breaks_no_rule() -> None:
    assert check_en16931(consistent_invoice(), STATED) == []


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.xml")), ids=lambda path: path.name)
def test_every_sample_passes(path: Path) -> None:
    data = path.read_bytes()
    assert check_en16931(read_ubl(data), read_ubl_stated_totals(data)) == []


def test_br_co_10_stated_line_total_must_be_the_sum_of_lines() -> None:
    wrong = dataclasses.replace(STATED, line_total=D("150.01"))
    assert rule_ids(list(br_co_10(consistent_invoice(), wrong))) == ["BR-CO-10"]
    assert list(br_co_10(consistent_invoice(), STATED)) == []


def test_br_co_11_stated_allowance_total_must_be_the_sum_of_allowances() -> None:
    wrong = dataclasses.replace(STATED, allowance_total=D("11.00"))
    assert rule_ids(list(br_co_11(consistent_invoice(), wrong))) == ["BR-CO-11"]
    missing = dataclasses.replace(STATED, allowance_total=None)
    assert rule_ids(list(br_co_11(consistent_invoice(), missing))) == ["BR-CO-11"]
    assert list(br_co_11(consistent_invoice(), STATED)) == []


def test_br_co_12_stated_charge_total_must_be_the_sum_of_charges() -> None:
    wrong = dataclasses.replace(STATED, charge_total=D("4.00"))
    assert rule_ids(list(br_co_12(consistent_invoice(), wrong))) == ["BR-CO-12"]
    assert list(br_co_12(consistent_invoice(), STATED)) == []


def test_br_co_10_to_12_hold_by_construction_without_stated_totals() -> None:
    invoice = consistent_invoice()
    for rule in (br_co_10, br_co_11, br_co_12):
        assert list(rule(invoice, None)) == []


def test_br_co_13_net_total_is_lines_minus_allowances_plus_charges() -> None:
    broken = consistent_invoice(total_net=D("150.00"))
    [violation] = br_co_13(broken, None)
    assert (violation.rule_id, violation.location) == ("BR-CO-13", "total_net")
    assert list(br_co_13(consistent_invoice(), None)) == []


def test_br_co_13_uses_the_stated_line_total_when_there_is_one() -> None:
    stated = dataclasses.replace(STATED, line_total=D("160.00"))
    assert rule_ids(list(br_co_13(consistent_invoice(), stated))) == ["BR-CO-13"]


def test_br_co_14_vat_total_is_the_sum_of_the_breakdown() -> None:
    assert rule_ids(list(br_co_14(consistent_invoice(total_vat=D("29.01")), None))) == ["BR-CO-14"]
    assert list(br_co_14(consistent_invoice(), None)) == []


def test_br_co_15_gross_total_is_net_plus_vat() -> None:
    assert rule_ids(list(br_co_15(consistent_invoice(total_gross=D("174.01")), None))) == [
        "BR-CO-15"
    ]
    assert list(br_co_15(consistent_invoice(), None)) == []


def test_br_co_16_amount_due_subtracts_prepaid_and_adds_rounding() -> None:
    paid = consistent_invoice(prepaid_amount=D("100.00"), amount_due=D("74.00"))
    assert list(br_co_16(paid, None)) == []
    rounded = consistent_invoice(rounding=D("0.05"), amount_due=D("174.05"))
    assert list(br_co_16(rounded, None)) == []
    unpaid = consistent_invoice(prepaid_amount=D("100.00"))
    assert rule_ids(list(br_co_16(unpaid, None))) == ["BR-CO-16"]


def test_br_co_17_category_vat_may_differ_by_less_than_one_unit() -> None:
    per_line_rounding = VatRow(rate=D(20), base=D("145.00"), vat=D("29.99"), category="S")
    assert list(br_co_17(consistent_invoice(vat_breakdown=[per_line_rounding]), None)) == []
    off_by_one = VatRow(rate=D(20), base=D("145.00"), vat=D("30.00"), category="S")
    [violation] = br_co_17(consistent_invoice(vat_breakdown=[off_by_one]), None)
    assert (violation.rule_id, violation.location) == ("BR-CO-17", "vat_breakdown[0].vat")


def test_br_co_17_zero_rate_must_carry_no_vat() -> None:
    exempt = VatRow(rate=D(0), base=D("100.00"), vat=D("0.00"), category="E")
    assert list(br_co_17(consistent_invoice(vat_breakdown=[exempt]), None)) == []
    taxed = VatRow(rate=D(0), base=D("100.00"), vat=D("1.00"), category="E")
    assert rule_ids(list(br_co_17(consistent_invoice(vat_breakdown=[taxed]), None))) == ["BR-CO-17"]


def test_br_s_08_standard_base_is_its_lines_plus_charges_minus_allowances() -> None:
    assert list(br_s_08(consistent_invoice(), None)) == []
    wrong = VatRow(rate=D(20), base=D("146.00"), vat=D("29.20"), category="S")
    assert rule_ids(list(br_s_08(consistent_invoice(vat_breakdown=[wrong]), None))) == ["BR-S-08"]


def test_br_s_08_needs_something_taxed_at_the_rate() -> None:
    empty = VatRow(rate=D(10), base=D("0.00"), vat=D("0.00"), category="S")
    rows = [*consistent_invoice().vat_breakdown, empty]
    violations = list(br_s_08(consistent_invoice(vat_breakdown=rows), None))
    assert [(v.rule_id, v.location) for v in violations] == [("BR-S-08", "vat_breakdown[1].base")]


def test_br_s_08_is_not_evaluated_without_line_rates() -> None:
    lines = [Line(position=1, net_amount=D("150.00"))]
    wrong = VatRow(rate=D(20), base=D("999.00"), vat=D("199.80"), category="S")
    assert list(br_s_08(consistent_invoice(lines=lines, vat_breakdown=[wrong]), None)) == []


def test_br_s_09_standard_vat_is_base_times_rate() -> None:
    assert list(br_s_09(consistent_invoice(), None)) == []
    wrong = VatRow(rate=D(20), base=D("145.00"), vat=D("28.00"), category="S")
    assert rule_ids(list(br_s_09(consistent_invoice(vat_breakdown=[wrong]), None))) == ["BR-S-09"]


def test_credit_note_amounts_are_checked_by_magnitude() -> None:
    negative = VatRow(rate=D(20), base=D("-145.00"), vat=D("-29.00"), category="S")
    assert list(br_s_09(consistent_invoice(vat_breakdown=[negative]), None)) == []
    assert list(br_co_17(consistent_invoice(vat_breakdown=[negative]), None)) == []


def test_missing_totals_skip_the_rules_that_need_them() -> None:
    bare = Invoice(lines=[Line(position=1)])
    assert check_en16931(bare) == []


def test_xpath_round_goes_half_towards_positive_infinity() -> None:
    assert xpath_round(D("2.345")) == D("2.35")
    assert xpath_round(D("-2.345")) == D("-2.34")
    assert xpath_round(D("2.5"), 0) == D(3)
