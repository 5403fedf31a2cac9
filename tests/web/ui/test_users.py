"""Users and sessions in the store, and ``nex-automat user create``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nex_automat.cli import app
from nex_automat.store.db import Database, open_database
from nex_automat.store.models import Role, Tenant
from nex_automat.store.tenants import create_tenant
from nex_automat.store.users import (
    InvalidUsername,
    UnknownTenant,
    UnsupportedLanguage,
    UsernameTaken,
    WeakPassword,
    create_user,
    find_user,
    verify_credentials,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def acme(database: Database) -> Database:
    with database.session() as session:
        create_tenant(session, "acme", "Acme s.r.o.")
    return database


def test_the_password_is_stored_only_as_an_argon2id_hash(acme: Database) -> None:
    with acme.session() as session:
        user = create_user(
            session, tenant_id="acme", username="Eva", password=PASSWORD, role=Role.APPROVER
        )
        assert user.username == "eva"
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert user.language == "sk"


def test_credentials_are_checked_case_insensitively_by_username(acme: Database) -> None:
    with acme.session() as session:
        create_user(session, tenant_id="acme", username="eva", password=PASSWORD, role=Role.ADMIN)
    with acme.session() as session:
        assert verify_credentials(session, " EVA ", PASSWORD) is not None
        assert verify_credentials(session, "eva", PASSWORD.upper()) is None
        assert verify_credentials(session, "nobody", PASSWORD) is None


def test_usernames_are_unique_across_tenants(acme: Database) -> None:
    with acme.session() as session:
        create_tenant(session, "globex", "Globex a.s.")
        create_user(session, tenant_id="acme", username="eva", password=PASSWORD, role=Role.ADMIN)
        with pytest.raises(UsernameTaken):
            create_user(
                session, tenant_id="globex", username="EVA", password=PASSWORD, role=Role.ADMIN
            )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"username": "a"}, InvalidUsername),
        ({"username": "eva novak"}, InvalidUsername),
        ({"password": "short"}, WeakPassword),
        ({"tenant_id": "nobody"}, UnknownTenant),
        ({"language": "de"}, UnsupportedLanguage),
    ],
)
def test_bad_user_details_are_refused(acme: Database, fields: dict[str, str], error: type) -> None:
    given = {"tenant_id": "acme", "username": "eva", "password": PASSWORD, "role": Role.OPERATOR}
    with acme.session() as session, pytest.raises(error):
        create_user(session, **{**given, **fields})  # type: ignore[arg-type]


def test_a_disabled_tenant_signs_no_one_in(acme: Database) -> None:
    with acme.session() as session:
        create_user(session, tenant_id="acme", username="eva", password=PASSWORD, role=Role.ADMIN)
    with acme.session() as session:
        tenant = session.get(Tenant, "acme")
        assert tenant is not None
        tenant.disabled = True
    with acme.session() as session:
        assert verify_credentials(session, "eva", PASSWORD) is None


def initialised(tmp_path: Path) -> str:
    data = str(tmp_path / "data")
    assert CliRunner().invoke(app, ["init", "--data-dir", data]).exit_code == 0
    return data


def test_user_create_takes_the_password_from_the_environment(tmp_path: Path) -> None:
    runner = CliRunner()
    data = initialised(tmp_path)
    answer = runner.invoke(
        app,
        ["user", "create", "eva", "--role", "approver", "--language", "cs", "--data-dir", data],
        env={"NEX_PASSWORD": PASSWORD},
    )
    assert answer.exit_code == 0, answer.output
    db = open_database(f"sqlite:///{tmp_path / 'data' / 'nex-automat.db'}")
    try:
        with db.session() as session:
            user = find_user(session, "eva")
            assert user is not None
            assert (user.role, user.language, user.tenant_id) == (Role.APPROVER, "cs", "default")
    finally:
        db.dispose()


def test_user_create_asks_twice_without_the_variable(tmp_path: Path) -> None:
    runner = CliRunner()
    data = initialised(tmp_path)
    answer = runner.invoke(
        app,
        ["user", "create", "eva", "--role", "operator", "--data-dir", data],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        env={"NEX_PASSWORD": ""},
    )
    assert answer.exit_code == 0, answer.output
    assert PASSWORD not in answer.output


def test_user_create_refuses_an_unknown_tenant(tmp_path: Path) -> None:
    answer = CliRunner().invoke(
        app,
        [
            "user",
            "create",
            "eva",
            "--role",
            "admin",
            "--tenant",
            "nobody",
            "--data-dir",
            str(tmp_path / "data"),
        ],
        env={"NEX_PASSWORD": PASSWORD},
    )
    assert answer.exit_code == 2
