"""Which sets to keep: the newest of each of the last N days, weeks and months.

Periods count only where there is a backup: seven daily sets are the newest sets of the
seven most recent days that have one, so a machine that was off for a week keeps its
last good week instead of nothing. Sets taken before a schema upgrade are counted apart,
the newest few kept whatever their age, because they are the way back to the previous
version. The newest set is always kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

from nex_automat.ops.config import RetentionSettings


@dataclass(frozen=True, slots=True)
class Dated:
    id: str
    created_at: datetime
    """In the local time zone whose days, weeks and months count."""
    pre_upgrade: bool = False


def _day(moment: datetime) -> Hashable:
    return moment.date()


def _week(moment: datetime) -> Hashable:
    year, week, _ = moment.isocalendar()
    return (year, week)


def _month(moment: datetime) -> Hashable:
    return (moment.year, moment.month)


def sets_to_keep(sets: Iterable[Dated], policy: RetentionSettings) -> set[str]:
    """The ids of the sets ``policy`` keeps; every other set may be removed."""
    every = sorted(sets, key=lambda item: (item.created_at, item.id), reverse=True)
    regular = [item for item in every if not item.pre_upgrade]
    keep: set[str] = set()
    rules: tuple[tuple[Callable[[datetime], Hashable], int], ...] = (
        (_day, policy.daily),
        (_week, policy.weekly),
        (_month, policy.monthly),
    )
    for period, count in rules:
        keep |= _newest_per_period(regular, period, count)
    upgrades = [item for item in every if item.pre_upgrade]
    keep |= {item.id for item in upgrades[: policy.pre_upgrade]}
    if every:
        keep.add(every[0].id)
    return keep


def _newest_per_period(
    newest_first: list[Dated], period: Callable[[datetime], Hashable], count: int
) -> set[str]:
    kept: set[str] = set()
    seen: set[Hashable] = set()
    for item in newest_first:
        key = period(item.created_at)
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.add(key)
        kept.add(item.id)
    return kept
