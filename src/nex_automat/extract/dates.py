"""Dates as printed on Slovak and Czech invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class DateMatch:
    value: date
    start: int
    end: int


def parse_date(text: str) -> date | None:
    """The date ``text`` holds, or ``None``; never today's date."""
    raise NotImplementedError


def find_dates(text: str) -> list[DateMatch]:
    raise NotImplementedError
