"""Fixtures of the operations tests: the private SMTP server, services over each database,
notification settings that reach the server, and a clock the test moves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from nex_automat.ops.config import NotificationSettings, TenantSettings, load_settings
from nex_automat.pipeline.services import Services, build_services
from nex_automat.store.db import Database
from nex_automat.store.tenants import create_tenant
from tests.servers.smtp import SmtpServer, smtp_server

__all__ = ["smtp_server"]

BASE_URL = "https://faktury.example.sk"
INTEGRATOR = "spravca@integrator.sk"


class Clock:
    """A clock that stands still until the test moves it."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def notification_settings(server: SmtpServer, **changes: Any) -> NotificationSettings:
    """Notifications in English through ``server``, to the integrator, with ``changes``."""
    values: dict[str, Any] = {
        "smtp": server.settings(),
        "recipients": [INTEGRATOR],
        "base_url": BASE_URL,
        "language": "en",
    }
    return NotificationSettings.model_validate(values | changes)


def give_tenants(services: Services, **tenants: dict[str, Any]) -> None:
    """Give each tenant named its own settings, as ``tenants:`` in the config file does."""
    own = {tenant: TenantSettings.model_validate(values) for tenant, values in tenants.items()}
    services.settings = services.settings.model_copy(update={"tenants": own})


@pytest.fixture
def no_nex_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``NEX_*`` variable of the machine running the tests leaks into loaded settings."""
    for name in list(os.environ):
        if name.startswith("NEX_"):
            monkeypatch.delenv(name)


@pytest.fixture
def services(database: Database, tmp_path: Path) -> Iterator[Services]:
    """The service's pieces over the test's database, with tenants acme and globex."""
    url = database.engine.url.render_as_string(hide_password=False)
    built = build_services(load_settings(tmp_path / "data", database_url=url, workers=1))
    with built.db.session() as session:
        create_tenant(session, "acme", "Acme s.r.o.")
        create_tenant(session, "globex", "Globex a.s.")
    yield built
    built.close()
