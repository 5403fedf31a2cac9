"""Business-rule findings shared by every e-invoice format checker."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule; ``location`` is an XPath or field path so a reviewer can find the value."""

    rule_id: str
    message: str
    location: str | None = None
