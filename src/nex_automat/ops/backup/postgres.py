"""PostgreSQL's part of a backup: ``pg_dump`` and ``pg_restore``, and a scratch database.

The tools get the connection as a libpq connection string without the password. When the
URL has one, it is written to a temporary password file readable only by this user and
named in ``PGPASSFILE`` for the tool alone; it is never on a command line, where any user
can read it, nor in the environment of anything else.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy import Connection, create_engine, make_url, text

from nex_automat.ops.backup.errors import BackupToolFailed

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")
MAINTENANCE_DATABASES = ("postgres", "template1")
TOOL_TIMEOUT = 6 * 3600
STDERR_TAIL = 2000


def conninfo(url: str) -> str:
    """The libpq connection string of ``url``, password left out."""
    parsed = make_url(url)
    params: dict[str, object] = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "dbname": parsed.database,
    }
    for name, value in parsed.query.items():
        params[name] = value[-1] if isinstance(value, tuple) else value
    return make_conninfo(**{k: str(v) for k, v in params.items() if v is not None})


@contextmanager
def tool_environment(url: str) -> Iterator[dict[str, str]]:
    """The environment of one ``pg_dump``/``pg_restore`` run: no password in it."""
    env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
    password = make_url(url).password
    if password is None:
        yield env
        return
    fd, name = tempfile.mkstemp(prefix="nex-pgpass-")
    try:
        Path(name).chmod(0o600)
        escaped = str(password).replace("\\", "\\\\").replace(":", "\\:")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f"*:*:*:*:{escaped}\n")
        env["PGPASSFILE"] = name
        yield env
    finally:
        Path(name).unlink(missing_ok=True)


def tool(name: str, folder: Path | None) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: in ``folder`` if given, else on the PATH."""
    found = shutil.which(name, path=str(folder) if folder is not None else None)
    if found is None:
        where = f"in {folder}" if folder is not None else "on the PATH"
        raise BackupToolFailed(
            f"{name} not found {where}; install the PostgreSQL client tools of the server's "
            "version or newer, or set backup.pg_tools_dir to their folder"
        )
    return found


def run_tool(arguments: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(
        arguments,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT,
        check=False,
    )
    if completed.returncode != 0:
        detail = completed.stderr.strip()[-STDERR_TAIL:] or f"exit code {completed.returncode}"
        raise BackupToolFailed(f"{Path(arguments[0]).name} failed: {detail}")


def dump(url: str, target: Path, *, snapshot: str | None, tools: Path | None) -> None:
    """The whole database in ``pg_dump``'s custom (compressed) format."""
    arguments = [
        tool("pg_dump", tools),
        "--format=custom",
        "--no-password",
        f"--file={target}",
        f"--dbname={conninfo(url)}",
    ]
    if snapshot is not None:
        arguments.append(f"--snapshot={snapshot}")
    with tool_environment(url) as env:
        run_tool(arguments, env)


def restore(url: str, source: Path, *, tools: Path | None) -> None:
    """Load a dump into the empty database ``url``, all or nothing, owned by its user."""
    arguments = [
        tool("pg_restore", tools),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
        f"--dbname={conninfo(url)}",
        str(source),
    ]
    with tool_environment(url) as env:
        run_tool(arguments, env)


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A new empty database on the server of ``url``, dropped after the block."""
    name = f"nex_verify_{secrets.token_hex(6)}"
    admin_url = _maintenance_url(url)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _maintenance_url(url: str) -> str:
    """A database of the server to create and drop others from."""
    errors = []
    for database in MAINTENANCE_DATABASES:
        candidate = make_url(url).set(database=database).render_as_string(hide_password=False)
        engine = create_engine(candidate)
        try:
            with engine.connect():
                return candidate
        except Exception as error:  # any connection failure: try the next one
            errors.append(f"{database}: {error}")
        finally:
            engine.dispose()
    raise BackupToolFailed(
        "cannot reach a maintenance database (postgres or template1) to create the scratch "
        "database for the check: " + "; ".join(errors)
    )


def user_schemas_clause() -> str:
    names = ", ".join(f"'{schema}'" for schema in SYSTEM_SCHEMAS)
    return (
        f"nspname NOT IN ({names}) AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%'"
    )


def count_rows(connection: Connection) -> dict[str, int]:
    """Rows of every table outside the system schemas; ``schema.table`` unless in public."""
    query = text(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        f" WHERE c.relkind IN ('r', 'p') AND {user_schemas_clause()}"
        " AND NOT c.relispartition ORDER BY 1, 2"
    )
    counts = {}
    for schema, table in connection.execute(query):
        qualified = f'"{_quoted(schema)}"."{_quoted(table)}"'
        name = table if schema == "public" else f"{schema}.{table}"
        counts[name] = int(connection.scalar(text(f"SELECT count(*) FROM {qualified}")) or 0)
    return counts


def relation_count(connection: Connection) -> int:
    """Tables, views and sequences outside the system schemas: zero in an empty database."""
    query = text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        f" WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {user_schemas_clause()}"
    )
    return int(connection.scalar(query) or 0)


def schema_revision(connection: Connection) -> str | None:
    exists = connection.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL"))
    if not exists:
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def server_version(connection: Connection) -> str:
    return str(connection.scalar(text("SHOW server_version")))


def _quoted(name: str) -> str:
    return name.replace('"', '""')
