"""The recurring tasks a running service schedules, each from its part of the settings."""

from __future__ import annotations

from nex_automat.ops.scheduler import Scheduler
from nex_automat.pipeline.services import Services


def schedule_tasks(scheduler: Scheduler, services: Services) -> None:
    """Add every recurring task the settings ask for to ``scheduler``."""
