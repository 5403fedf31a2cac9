"""Installations to back up: a data folder with a config file and a database of each kind,
a backup folder beside it, a backup key, and invoices ingested through the pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nex_automat.ops.config import Settings
from tests.databases import BACKENDS

from .sites import CONFIG_TEXT, database_for, ingest, make_settings


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def site(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """An installation with its config file, a migrated database and no documents yet."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "config.yaml").write_text(CONFIG_TEXT)
    with database_for(backend, data_dir) as url:
        settings = make_settings(data_dir, url, tmp_path / "backups")
        ingest(settings, ())
        yield settings


@pytest.fixture
def ingested(site: Settings) -> Settings:
    """The installation after three invoices came in and were processed."""
    ingest(site, (1, 2, 3))
    return site


@pytest.fixture
def empty_site(backend: str, tmp_path: Path) -> Iterator[Settings]:
    """Where a restore goes: a new data folder and an empty database of the same kind."""
    with database_for(backend, tmp_path / "restored") as url:
        yield make_settings(tmp_path / "restored", url, tmp_path / "backups")
