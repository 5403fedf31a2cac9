"""The service schedules each configured catalogue sync and runs it when it is due."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from nex_automat.ops.config import load_settings
from nex_automat.ops.scheduler import DailyAt, Every, Scheduler
from nex_automat.ops.tasks import SUMMARY_CHECK_SECONDS, schedule_tasks
from nex_automat.pipeline.services import Services, build_services
from nex_automat.store.db import Database
from nex_automat.store.models import CatalogueSync, ProductGroup
from nex_automat.store.tenants import create_tenant, set_tenant_disabled
from tests.ops.conftest import Clock, notification_settings
from tests.servers.erp import ErpServer, Feed, erp_server
from tests.servers.smtp import SmtpServer


@pytest.fixture
def erp() -> Iterator[ErpServer]:
    with erp_server(groups=Feed([{"code": "CEM", "name": "Cementy"}], style="none")) as server:
        yield server


def services_with_syncs(
    database: Database, tmp_path: Path, erp: ErpServer, **schedule: object
) -> Services:
    url = database.engine.url.render_as_string(hide_password=False)
    sync = {
        "name": "erp",
        "tenant": "acme",
        "api_key_header": "X-Api-Key",
        "api_key": erp.api_key,
        "kinds": {"groups": {"url": erp.url("/groups")}},
        **schedule,
    }
    settings = load_settings(tmp_path / "data", database_url=url, catalog_sync=[sync])
    built = build_services(settings)
    with built.db.session() as session:
        create_tenant(session, "acme", "Acme s.r.o.")
    return built


def test_a_catalog_sync_runs_every_interval_and_records_its_state(
    database: Database, tmp_path: Path, erp: ErpServer
) -> None:
    services = services_with_syncs(database, tmp_path, erp, interval_minutes=15)
    try:
        clock = Clock()
        scheduler = Scheduler(clock=clock)
        schedule_tasks(scheduler, services)
        [task] = [task for task in scheduler.tasks if task.name == "catalog sync acme/erp"]
        assert task.due == clock.now + timedelta(minutes=15)
        assert scheduler.run_due() == []
        clock.advance(minutes=15)
        assert task in scheduler.run_due()
        assert task.last_error is None
        with services.db.tenant_session("acme") as session:
            assert session.scalars(select(ProductGroup.code)).all() == ["CEM"]
            state = session.scalars(select(CatalogueSync)).one()
            assert (state.name, state.kind, state.state) == ("erp", "groups", "ok")
    finally:
        services.close()


def test_a_disabled_tenants_catalog_sync_asks_its_erp_nothing(
    database: Database, tmp_path: Path, erp: ErpServer
) -> None:
    services = services_with_syncs(database, tmp_path, erp, interval_minutes=15)
    try:
        with services.db.session() as session:
            set_tenant_disabled(session, "acme", True)
        clock = Clock()
        scheduler = Scheduler(clock=clock)
        schedule_tasks(scheduler, services)
        clock.advance(minutes=15)
        [task] = [task for task in scheduler.run_due() if task.name == "catalog sync acme/erp"]
        assert task.last_error is None
        assert erp.seen == []
        with services.db.tenant_session("acme") as session:
            assert session.scalars(select(CatalogueSync)).all() == []
    finally:
        services.close()


def test_a_catalog_sync_can_run_daily_at_a_time(
    database: Database, tmp_path: Path, erp: ErpServer
) -> None:
    services = services_with_syncs(database, tmp_path, erp, daily_at="03:30")
    try:
        scheduler = Scheduler()
        schedule_tasks(scheduler, services)
        [task] = [task for task in scheduler.tasks if task.name == "catalog sync acme/erp"]
        assert task.schedule == DailyAt(time(3, 30))
    finally:
        services.close()


def test_notifications_are_scheduled_only_as_configured(
    services: Services, smtp_server: SmtpServer
) -> None:
    scheduler = Scheduler()
    schedule_tasks(scheduler, services)
    assert not {"alerts", "review notices", "daily summary"} & {t.name for t in scheduler.tasks}

    services.settings = services.settings.model_copy(
        update={"notifications": notification_settings(smtp_server, alerts={"check_minutes": 2})}
    )
    scheduler = Scheduler()
    schedule_tasks(scheduler, services)
    tasks = {task.name: task.schedule for task in scheduler.tasks}
    assert tasks["alerts"] == Every(120)
    assert tasks["review notices"] == Every(120)
    assert tasks["daily summary"] == Every(SUMMARY_CHECK_SECONDS)

    quiet = notification_settings(
        smtp_server, summary={"at": None}, review_notice={"after_hours": None}
    )
    services.settings = services.settings.model_copy(update={"notifications": quiet})
    scheduler = Scheduler()
    schedule_tasks(scheduler, services)
    names = {task.name for task in scheduler.tasks}
    assert "alerts" in names
    assert not {"review notices", "daily summary"} & names
