"""Properties of the unit recogniser: any token is a known unit as printed, or ``None``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nex_automat.extract.units import UNITS, is_unit, parse_unit

units = st.sampled_from(sorted(UNITS))
padding = st.sampled_from(["", " ", "\t", "\u00a0", "  \n"])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(token=st.text(max_size=20))
def test_any_token_is_a_unit_as_printed_or_none(token: str) -> None:
    unit = parse_unit(token)
    assert unit is None or unit == token.strip()
    assert is_unit(token) == (unit is not None)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(unit=units, case=st.sampled_from([str, str.upper, str.title]), dot=st.booleans())
def test_every_known_unit_is_recognised_in_any_case_with_or_without_a_dot(
    unit: str, case: object, dot: bool
) -> None:
    assert callable(case)
    printed = case(unit) + ("." if dot else "")
    assert parse_unit(f" {printed}\t") == printed


@settings(max_examples=100, derandomize=True, deadline=None)
@given(unit=units, before=padding, after=padding, word=st.sampled_from(["12", "x", "ks2"]))
def test_a_unit_with_something_else_in_the_token_is_not_a_unit(
    unit: str, before: str, after: str, word: str
) -> None:
    assert parse_unit(f"{before}{word} {unit}{after}") is None
