"""Retention by count: the newest set of each of the last N days, weeks and months."""

from __future__ import annotations

from datetime import datetime, timedelta

from nex_automat.ops.backup.retention import Dated, sets_to_keep
from nex_automat.ops.config import RetentionSettings

START = datetime(2026, 1, 1, 2, 0)


def nightly(days: int, *, start: datetime = START) -> list[Dated]:
    """One set a night at 02:00 for ``days`` nights; ids are the dates."""
    return [
        Dated(f"{(start + timedelta(days=n)):%Y-%m-%d}", start + timedelta(days=n))
        for n in range(days)
    ]


def policy(
    daily: int = 0, weekly: int = 0, monthly: int = 0, pre_upgrade: int = 0
) -> RetentionSettings:
    return RetentionSettings(daily=daily, weekly=weekly, monthly=monthly, pre_upgrade=pre_upgrade)


def test_daily_keeps_the_last_seven_nights() -> None:
    kept = sets_to_keep(nightly(30), policy(daily=7))
    assert kept == {f"2026-01-{day:02d}" for day in range(24, 31)}


def test_of_several_sets_in_a_day_the_newest_counts() -> None:
    sets = [
        Dated("morning", datetime(2026, 3, 2, 9, 0)),
        Dated("night", datetime(2026, 3, 2, 2, 0)),
        Dated("evening", datetime(2026, 3, 2, 21, 0)),
        Dated("yesterday", datetime(2026, 3, 1, 2, 0)),
    ]
    assert sets_to_keep(sets, policy(daily=2)) == {"evening", "yesterday"}


def test_days_without_a_backup_do_not_use_up_the_count() -> None:
    before_outage = nightly(10)
    after_outage = nightly(2, start=START + timedelta(days=20))
    kept = sets_to_keep(before_outage + after_outage, policy(daily=7))
    assert kept == {"2026-01-21", "2026-01-22"} | {f"2026-01-{d:02d}" for d in range(6, 11)}


def test_weekly_keeps_the_newest_set_of_each_of_the_last_four_iso_weeks() -> None:
    kept = sets_to_keep(nightly(60), policy(weekly=4))
    # 2026-03-01 is a Sunday: the last (partial) week ends there, the three before on Sundays.
    assert kept == {"2026-03-01", "2026-02-22", "2026-02-15", "2026-02-08"}


def test_monthly_runs_across_the_turn_of_the_year() -> None:
    sets = nightly(120, start=datetime(2025, 10, 1, 2, 0))
    kept = sets_to_keep(sets, policy(monthly=3))
    assert kept == {"2026-01-28", "2025-12-31", "2025-11-30"}


def test_the_default_policy_keeps_seven_daily_four_weekly_twelve_monthly_at_most() -> None:
    sets = nightly(800)
    kept = sets_to_keep(sets, RetentionSettings())
    newest = sets[-1]
    assert newest.id in kept
    assert len(kept) <= 7 + 4 + 12
    assert len(kept) >= 12
    oldest_kept = min(item.created_at for item in sets if item.id in kept)
    assert newest.created_at - oldest_kept < timedelta(days=366)


def test_sets_taken_before_an_upgrade_are_kept_apart_from_the_nightly_ones() -> None:
    sets = [
        *nightly(10),
        Dated("before-1.1", datetime(2025, 6, 1, 14, 0), pre_upgrade=True),
        Dated("before-1.2", datetime(2025, 9, 1, 14, 0), pre_upgrade=True),
        Dated("before-1.3", datetime(2026, 1, 10, 14, 0), pre_upgrade=True),
    ]
    kept = sets_to_keep(sets, policy(daily=2, pre_upgrade=2))
    assert kept == {"2026-01-10", "2026-01-09", "before-1.3", "before-1.2"}


def test_the_newest_set_is_kept_even_when_the_policy_keeps_nothing() -> None:
    assert sets_to_keep(nightly(5), policy()) == {"2026-01-05"}


def test_no_sets_keep_nothing() -> None:
    assert sets_to_keep([], RetentionSettings()) == set()
