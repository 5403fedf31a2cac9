"""``nex-automat tenant`` as an integrator runs it: real processes on a real data folder,
on the embedded SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from nex_automat.store.apikeys import authenticate
from nex_automat.store.db import open_database
from nex_automat.store.users import find_user, verify_credentials
from tests.databases import BACKENDS
from tests.e2e.installation import Installation, database_url_for, initialise, run_cli

WIDE = {"COLUMNS": "250"}
PASSWORD = "correct horse battery"


@pytest.fixture(params=BACKENDS)
def installation(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Installation]:
    with database_url_for(request.param) as url:
        yield initialise(tmp_path / "data", url)


def cli(installation: Installation, *args: str, **env: str) -> CompletedProcess[str]:
    return run_cli(*args, env={**installation.env, **WIDE, **env})


def listed(installation: Installation) -> dict[str, list[str]]:
    """``tenant list`` as id → the row's cells."""
    completed = cli(installation, "tenant", "list")
    assert completed.returncode == 0, completed.stderr
    rows = [line.strip("│┃ ").split("│") for line in completed.stdout.splitlines()]
    cells = [[cell.strip() for cell in row] for row in rows if len(row) == 6]
    return {row[0]: row for row in cells if row[0] != "id"}


def signs_in(installation: Installation, key: str, username: str) -> tuple[bool, bool]:
    """Whether the API key, and the user with :data:`PASSWORD`, are let in."""
    db = open_database(installation.effective_database_url())
    try:
        with db.session() as session:
            key_ok = authenticate(session, key) is not None
            user_ok = verify_credentials(session, username, PASSWORD) is not None
    finally:
        db.dispose()
    return key_ok, user_ok


def test_a_new_tenant_gets_its_own_key_and_user_and_is_listed(
    installation: Installation,
) -> None:
    created = cli(installation, "tenant", "create", "acme", "--name", "Acme [SK] s.r.o.")
    assert created.returncode == 0, created.stderr
    assert "tenant acme (Acme [SK] s.r.o.) created" in created.stderr
    key = cli(installation, "apikey", "create", "--tenant", "acme").stdout.strip()
    user = cli(
        installation,
        "user",
        "create",
        "eva",
        "--role",
        "admin",
        "--tenant",
        "acme",
        NEX_PASSWORD=PASSWORD,
    )
    assert user.returncode == 0, user.stderr

    tenants = listed(installation)
    assert tenants["acme"][1:5] == ["Acme [SK] s.r.o.", "active", "1", "1"]
    assert tenants["default"][2:5] == ["active", "0", "1"]
    assert signs_in(installation, key, "eva") == (True, True)


def test_a_disabled_tenant_is_refused_until_it_is_enabled(installation: Installation) -> None:
    cli(installation, "tenant", "create", "acme", "--name", "Acme s.r.o.")
    key = cli(installation, "apikey", "create", "--tenant", "acme").stdout.strip()
    cli(
        installation,
        "user",
        "create",
        "eva",
        "--role",
        "operator",
        "--tenant",
        "acme",
        NEX_PASSWORD=PASSWORD,
    )

    disabled = cli(installation, "tenant", "disable", "acme")
    assert disabled.returncode == 0, disabled.stderr
    assert signs_in(installation, key, "eva") == (False, False)
    assert signs_in(installation, installation.key, "nobody")[0] is True
    assert listed(installation)["acme"][2] == "disabled"

    assert cli(installation, "tenant", "enable", "acme").returncode == 0
    assert signs_in(installation, key, "eva") == (True, True)
    assert listed(installation)["acme"][2] == "active"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("tenant", "create", "default", "--name", "Again"), "tenant_exists"),
        (("tenant", "create", "Acme Corp", "--name", "Acme"), "invalid_tenant_id"),
        (("tenant", "disable", "nobody"), "unknown_tenant"),
        (("tenant", "enable", "nobody"), "unknown_tenant"),
    ],
)
def test_a_wrong_tenant_id_is_refused_with_its_code(
    installation: Installation, args: tuple[str, ...], code: str
) -> None:
    completed = cli(installation, *args)
    assert completed.returncode == 2
    assert completed.stderr.startswith(f"{code}: "), completed.stderr
    assert sorted(listed(installation)) == ["default"]


def language_of(installation: Installation, username: str) -> str:
    db = open_database(installation.effective_database_url())
    try:
        with db.session() as session:
            user = find_user(session, username)
            assert user is not None
            return user.language
    finally:
        db.dispose()


def test_a_new_user_starts_in_the_language_of_its_tenant_unless_given_one(
    installation: Installation,
) -> None:
    cli(installation, "tenant", "create", "acme", "--name", "Acme s.r.o.")
    tenant_language = {"NEX_TENANTS__ACME__LANGUAGE": "cs", "NEX_PASSWORD": PASSWORD}
    for username, extra in (("eva", ()), ("jan", ("--language", "en"))):
        created = cli(
            installation,
            "user",
            "create",
            username,
            "--role",
            "operator",
            "--tenant",
            "acme",
            *extra,
            **tenant_language,
        )
        assert created.returncode == 0, created.stderr
    cli(installation, "user", "create", "ada", "--role", "admin", **tenant_language)

    assert language_of(installation, "eva") == "cs"
    assert language_of(installation, "jan") == "en"
    assert language_of(installation, "ada") == "sk", "the default tenant has no language set"
