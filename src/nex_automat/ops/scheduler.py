"""Recurring work of the service: nightly backups, daily summaries, catalogue syncs, alerts.

One thread wakes at the next due task, runs it and works out when it is due again. A task
that fails is logged and tried again at its next time; it never stops the others. Times of
day are local wall-clock times, as the integrator writes them in the configuration
("02:00"), so a daily task follows daylight-saving changes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """The current local time, aware of its offset."""
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Every:
    """Due ``seconds`` after the previous run ended; the first run is ``seconds`` after start."""

    seconds: float

    def next_after(self, moment: datetime) -> datetime:
        return moment + timedelta(seconds=self.seconds)


@dataclass(frozen=True)
class DailyAt:
    """Due once a day at a local time of day."""

    at: time

    @classmethod
    def parse(cls, text: str) -> DailyAt:
        """``"02:00"`` → 02:00 every day; raises ``ValueError`` for anything else."""
        return cls(time.fromisoformat(text))

    def next_after(self, moment: datetime) -> datetime:
        candidate = datetime.combine(moment.date(), self.at).astimezone()
        if candidate <= moment:
            candidate = datetime.combine(moment.date() + timedelta(days=1), self.at).astimezone()
        return candidate


Schedule = Every | DailyAt


@dataclass
class Task:
    name: str
    schedule: Schedule
    run: Callable[[], object]
    due: datetime | None = None
    last_error: str | None = None


@dataclass
class Scheduler:
    """Runs tasks at their times in one thread until the stop event is set."""

    clock: Clock = local_now
    tasks: list[Task] = field(default_factory=list)

    def add(self, name: str, schedule: Schedule, run: Callable[[], object]) -> Task:
        task = Task(name, schedule, run)
        task.due = schedule.next_after(self.clock())
        self.tasks.append(task)
        return task

    def run_due(self) -> list[Task]:
        """Run every task whose time has come; returns those it ran."""
        ran = []
        for task in self.tasks:
            now = self.clock()
            if task.due is None or task.due > now:
                continue
            try:
                task.run()
                task.last_error = None
            except Exception as error:  # a failing task must not stop the others
                task.last_error = f"{type(error).__name__}: {error}"
                logger.exception("scheduled task %s failed", task.name)
            task.due = task.schedule.next_after(self.clock())
            ran.append(task)
        return ran

    def seconds_to_next(self) -> float:
        dues = [task.due for task in self.tasks if task.due is not None]
        if not dues:
            return 60.0
        return max(0.0, (min(dues) - self.clock()).total_seconds())

    def run_forever(self, stop: threading.Event) -> None:
        """The thread's body: sleep until the next due task, or until stopped."""
        while not stop.is_set():
            self.run_due()
            stop.wait(min(self.seconds_to_next(), 60.0))
