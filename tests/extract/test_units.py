"""Units of measure as printed on Slovak and Czech invoices."""

from __future__ import annotations

import pytest

from nex_automat.extract.units import is_unit, parse_unit


@pytest.mark.parametrize(
    "token",
    [
        "ks", "kus", "kusy", "ks.", "pc", "pcs", "kg", "g", "t", "m", "bm", "m2", "m²",
        "m3", "m³", "l", "ml", "bal", "bal.", "balenie", "pár", "sada", "set", "hod",
        "h", "km", "cm", "mm", "pal", "paleta", "krt", "kar", "role", "rol", "fl",
        "vrece", "vre", "plt", "tis", "kpl", "kWh",
    ],
)  # fmt: skip
def test_units_printed_on_invoices_are_known(token: str) -> None:
    assert parse_unit(token) == token
    assert is_unit(token)


@pytest.mark.parametrize("token", ["KS", "Ks", "KG", "Bal.", "PÁR", "M2", "M³"])
def test_units_are_recognised_regardless_of_case(token: str) -> None:
    assert parse_unit(token) == token


def test_unit_is_returned_as_printed_without_surrounding_whitespace() -> None:
    assert parse_unit("  ks. ") == "ks."
    assert parse_unit("\tKg\n") == "Kg"


@pytest.mark.parametrize(
    "token", ["", " ", ".", "ks..", "k s", "12", "12 ks", "EUR", "€", "DPH", "kusovník", "%"]
)
def test_other_tokens_are_not_units(token: str) -> None:
    assert parse_unit(token) is None
    assert not is_unit(token)
