"""``nex-automat config check``: the settings load, and what they point to is there.

Loading (:func:`~nex_automat.ops.config.load_settings`) already refuses wrong types,
unknown keys and missing secrets. This goes on to what only the machine can tell: the
data folder exists, every secret file can be read and is not empty, the backup key has
the right form, the database URL names a database NEX Automat speaks, the templates
folder loads (with each tenant's subfolder), watched folders exist, the log file's folder
can be written, and every tenant the settings name exists in the database and is enabled.
Each problem names the key and says how to fix it, like a loading error.

The database is only read, and only when there is one: an installation not yet set up
(no SQLite file) or a database that does not answer skips the tenant check, which
``doctor`` reports on with the database itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from nex_automat.errors import NexError
from nex_automat.ops.config import (
    CONFIG_FILE_NAME,
    ConfigError,
    Settings,
    load_settings,
    resolve_data_dir,
)
from nex_automat.ops.logging import log_file_path
from nex_automat.ops.secrets import is_secret_file
from nex_automat.pipeline.tenant_templates import TenantTemplates
from nex_automat.store.db import open_database
from nex_automat.store.models import Tenant

DATABASE_BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class ConfigReport:
    """The outcome: the settings when they load, and every problem found."""

    config_file: Path
    settings: Settings | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.settings is not None and not self.problems


def check_configuration(data_dir: Path | None = None) -> ConfigReport:
    """Load the settings of ``data_dir`` and check what they refer to."""
    config_file = resolve_data_dir(data_dir) / CONFIG_FILE_NAME
    try:
        settings = load_settings(data_dir)
    except ConfigError as error:
        return ConfigReport(config_file, None, list(error.problems))
    return ConfigReport(config_file, settings, list(problems_of(settings)))


def problems_of(settings: Settings) -> Iterator[str]:
    """Each problem with what ``settings`` refer to, as ``key: what; how to fix``."""
    yield from _data_dir(settings)
    yield from _database(settings.database_url)
    yield from _secret_files(settings, ())
    yield from _backup_key(settings)
    yield from _templates(settings.templates_dir)
    for index, folder in enumerate(settings.folders):
        if not folder.path.is_dir():
            yield (
                f"folders.{index}.path: {folder.path} is not a folder; "
                "create it or correct the path"
            )
    yield from _log_file(settings)
    yield from _tenants(settings)


def _data_dir(settings: Settings) -> Iterator[str]:
    if not settings.data_dir.is_dir():
        yield (
            f"data_dir: {settings.data_dir} does not exist; run `nex-automat init` "
            "or point --data-dir (NEX_DATA_DIR) at the installation"
        )


def _database(url: str | None) -> Iterator[str]:
    if url is None:
        return
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        yield (
            "database_url: not a database URL; write it as "
            "postgresql+psycopg://user@host:5432/database, or remove it for SQLite"
        )
        return
    if backend not in DATABASE_BACKENDS:
        yield f"database_url: {backend} is not supported; use PostgreSQL or SQLite"


def _secret_files(model: BaseModel, path: tuple[str, ...]) -> Iterator[str]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        key = ".".join((*path, name))
        if isinstance(value, Path) and is_secret_file(model, name):
            yield from _secret_file(key, value)
        elif isinstance(value, BaseModel):
            yield from _secret_files(value, (*path, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _secret_files(item, (*path, name, str(index)))


def _secret_file(key: str, path: Path) -> Iterator[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        yield (
            f"{key}: cannot read {path}: {error.strerror or error}; "
            "check the path and that the service's user may read it"
        )
        return
    except UnicodeDecodeError:
        yield f"{key}: {path} is not text; the file must hold only the secret"
        return
    if not text.strip():
        yield f"{key}: {path} is empty; write the secret into it"


def _backup_key(settings: Settings) -> Iterator[str]:
    key_file = settings.backup.key_file
    if key_file is None or not os.access(key_file, os.R_OK):
        return  # an unreadable file is reported with the other secret files
    try:
        settings.backup.encryption_key()
    except ConfigError as error:
        yield error.message


def _templates(folder: Path | None) -> Iterator[str]:
    """The templates as the service reads them: the shared ones, then each tenant's own."""
    if folder is None:
        return
    if not folder.is_dir():
        yield f"templates_dir: {folder} is not a folder; create it or correct the path"
        return
    try:
        templates = TenantTemplates(folder)
    except NexError as error:
        yield f"templates_dir: {error.message}"
        return
    for own in sorted(path for path in folder.iterdir() if path.is_dir()):
        try:
            templates.for_tenant(own.name)
        except NexError as error:
            yield f"templates_dir: tenant {own.name}: {error.message}"


def _log_file(settings: Settings) -> Iterator[str]:
    path = log_file_path(settings)
    if path is None:
        return
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        yield (
            f"logging.file: {path.parent} cannot be created or written; "
            "choose another path or give the service's user the right to write there"
        )


def tenants_named(settings: Settings) -> dict[str, list[str]]:
    """Each tenant id the settings name → the keys naming it, in the order of the file."""
    named: dict[str, list[str]] = {settings.default_tenant: ["default_tenant"]}
    for tenant_id in settings.tenants:
        named.setdefault(tenant_id, []).append(f"tenants.{tenant_id}")
    sections = {
        "mailboxes": settings.mailboxes,
        "folders": settings.folders,
        "exports": settings.exports,
        "catalog_sync": settings.catalog_sync,
    }
    for section, items in sections.items():
        for index, item in enumerate(items):
            named.setdefault(item.tenant, []).append(f"{section}.{index}.tenant")
    return named


def _tenants(settings: Settings) -> Iterator[str]:
    known = _tenants_in_database(settings)
    if known is None:
        return
    for tenant_id, keys in tenants_named(settings).items():
        where = ", ".join(keys)
        # A disabled tenant is a state chosen on purpose (its mailboxes simply wait),
        # not a mistake in the file.
        if tenant_id not in known:
            yield (
                f"{where}: no tenant {tenant_id!r} in the database; create it with "
                f"`nex-automat tenant create {tenant_id} --name NAME` or correct the id"
            )


def _tenants_in_database(settings: Settings) -> set[str] | None:
    """The tenant ids in the database; ``None`` when there is no database to ask yet
    or it cannot be read (a wrong URL is reported on its own, a dead server by ``doctor``)."""
    url = settings.effective_database_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    backend = parsed.get_backend_name()
    if backend not in DATABASE_BACKENDS:
        return None
    if backend == "sqlite" and not (parsed.database and Path(parsed.database).is_file()):
        return None  # opening it would create it; `init` does that
    db = open_database(url)
    try:
        with db.session() as session:
            return set(session.scalars(select(Tenant.id)))
    except SQLAlchemyError:
        return None
    finally:
        db.dispose()
