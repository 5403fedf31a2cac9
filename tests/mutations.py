"""Hypothesis strategies that damage real documents the way hostile or broken senders do.

A fuzz run starts from valid files (generated PDFs, published e-invoices) and applies a
few mutations to each: bytes flipped, tokens of the format inserted or overwritten,
numbers replaced by hostile ones, spans deleted, duplicated or cut off. Hypothesis draws
the choices, so a run is repeatable under a fixed seed and a failure shrinks to a few
mutations. :class:`TimeBudget` bounds the whole run's wall time on a slow machine.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from nex_automat.errors import NexError

HOSTILE_NUMBERS: tuple[bytes, ...] = (
    b"0",
    b"-1",
    b"-0",
    b"1",
    b"255",
    b"65536",
    b"2147483647",
    b"2147483648",
    b"4294967296",
    b"-2147483649",
    b"99999999999999999999999999999999",
    b"1e308",
    b"1E+999999",
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"0.0000000000000000000000000001",
    b"1.5",
)
"""Numbers that sit on integer limits or leave the range of any real document."""

ARCHIVE_CODES = frozenset(
    {
        "damaged_archive",
        "encrypted_archive",
        "archive_too_many_entries",
        "archive_too_large",
        "archive_compression_ratio",
        "unsupported_format",
    }
)
"""What reading a ZIP (an ISDOCX, inside a PDF or alone) may end in."""

_DIGITS = re.compile(rb"-?\d+(?:\.\d+)?")

Mutation = Callable[[bytearray, st.DrawFn, int], None]
"""Changes the bytes in place, never before the offset it is given."""


def _position(data: bytearray, draw: st.DrawFn, first: int) -> int:
    first = min(first, len(data))
    return draw(st.integers(first, max(len(data) - 1, first)))


def _flip(data: bytearray, draw: st.DrawFn, first: int) -> None:
    if len(data) > first:
        data[_position(data, draw, first)] = draw(st.integers(0, 255))


def _delete(data: bytearray, draw: st.DrawFn, first: int) -> None:
    start = _position(data, draw, first)
    del data[start : start + draw(st.integers(1, 256))]


def _duplicate(data: bytearray, draw: st.DrawFn, first: int) -> None:
    start = _position(data, draw, first)
    chunk = bytes(data[start : start + draw(st.integers(1, 512))])
    data[start:start] = chunk * draw(st.integers(1, 4))


def _truncate(data: bytearray, draw: st.DrawFn, first: int) -> None:
    del data[_position(data, draw, first) :]


def _replace_number(data: bytearray, draw: st.DrawFn, first: int) -> None:
    numbers = [found for found in _DIGITS.finditer(data) if found.start() >= first]
    if numbers:
        found = numbers[draw(st.integers(0, len(numbers) - 1))]
        data[found.start() : found.end()] = draw(st.sampled_from(HOSTILE_NUMBERS))


def _token_mutations(tokens: Sequence[bytes]) -> tuple[Mutation, ...]:
    def insert(data: bytearray, draw: st.DrawFn, first: int) -> None:
        position = _position(data, draw, first)
        data[position:position] = draw(st.sampled_from(tokens))

    def overwrite(data: bytearray, draw: st.DrawFn, first: int) -> None:
        token = draw(st.sampled_from(tokens))
        position = _position(data, draw, first)
        data[position : position + len(token)] = token

    return insert, overwrite


def mutated(
    seeds: Sequence[bytes], tokens: Sequence[bytes], *, max_mutations: int = 6, keep: int = 0
) -> st.SearchStrategy[bytes]:
    """One of ``seeds`` with 1 to ``max_mutations`` mutations, ``tokens`` among them; the
    first ``keep`` bytes (a format's signature, which only decides the reader) stay."""
    kinds: tuple[Mutation, ...] = (
        _flip,
        _delete,
        _duplicate,
        _truncate,
        _replace_number,
        *_token_mutations(tokens),
    )

    @st.composite
    def strategy(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(1, max_mutations))):
            draw(st.sampled_from(kinds))(data, draw, keep)
        return bytes(data)

    return strategy()


@dataclass
class TimeBudget:
    """Wall-clock seconds a fuzz run may spend; examples after it are not run."""

    seconds: float
    _ends: float | None = field(default=None, init=False)

    def exhausted(self) -> bool:
        now = time.monotonic()
        if self._ends is None:
            self._ends = now + self.seconds
        return now > self._ends


def note(outcome: str) -> None:
    """Count an outcome in Hypothesis's statistics (``--hypothesis-show-statistics``)."""
    if currently_in_test_context():
        event(outcome)


def assert_clear_refusal(error: NexError, codes: frozenset[str]) -> None:
    """A refusal names a specific code of ours and says why."""
    assert error.code in codes, f"unexpected code {error.code!r}: {error.message}"
    assert error.message.strip()
