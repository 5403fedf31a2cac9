"""The scheduler runs each task at its time, keeps going when one fails, and stops on request."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta, timezone

from nex_automat.ops.scheduler import DailyAt, Every, Scheduler

START = datetime(2026, 3, 1, 1, 30, tzinfo=timezone(timedelta(hours=1)))


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_daily_task_is_due_at_its_time_today_then_tomorrow() -> None:
    schedule = DailyAt.parse("02:00")
    assert schedule.at == time(2, 0)
    first = schedule.next_after(datetime(2026, 3, 1, 1, 30).astimezone())
    assert (first.date(), first.time()) == (datetime(2026, 3, 1).date(), time(2, 0))
    second = schedule.next_after(first)
    assert (second.date(), second.time()) == (datetime(2026, 3, 2).date(), time(2, 0))


def test_tasks_run_only_when_due() -> None:
    clock = FakeClock(START)
    scheduler = Scheduler(clock=clock)
    runs: list[str] = []
    scheduler.add("poll", Every(60), lambda: runs.append("poll"))
    assert scheduler.run_due() == []
    clock.now = START + timedelta(seconds=61)
    assert [task.name for task in scheduler.run_due()] == ["poll"]
    assert scheduler.run_due() == []
    assert runs == ["poll"]
    assert scheduler.seconds_to_next() == 60


def test_a_failing_task_records_its_error_and_the_others_still_run() -> None:
    clock = FakeClock(START)
    scheduler = Scheduler(clock=clock)
    runs: list[str] = []

    def broken() -> None:
        raise OSError("disk full")

    failing = scheduler.add("backup", Every(10), broken)
    scheduler.add("summary", Every(10), lambda: runs.append("summary"))
    clock.now = START + timedelta(seconds=11)
    scheduler.run_due()
    assert failing.last_error == "OSError: disk full"
    assert runs == ["summary"]
    assert failing.due == clock.now + timedelta(seconds=10)


def test_run_forever_returns_when_stopped() -> None:
    scheduler = Scheduler()
    ran = threading.Event()
    scheduler.add("tick", Every(0.01), ran.set)
    stop = threading.Event()
    thread = threading.Thread(target=scheduler.run_forever, args=(stop,))
    thread.start()
    assert ran.wait(5)
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
