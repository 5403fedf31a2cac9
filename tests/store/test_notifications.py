"""What is remembered of alerts and notices reads back as written, by key, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from nex_automat.store.db import Database
from nex_automat.store.notifications import AlertState, load_states, save_state
from nex_automat.store.tenants import create_tenant

OPENED = datetime(2026, 3, 2, 8, 15, 30, tzinfo=UTC)


def test_a_state_reads_back_as_saved_and_saving_again_replaces_it(database: Database) -> None:
    with database.session() as session:
        create_tenant(session, "acme", "Acme s.r.o.")
        save_state(
            session,
            "processing_failures:acme",
            "acme",
            AlertState(active=True, title="Documents fail to process (Acme s.r.o.)", since=OPENED),
        )
        save_state(session, "low_disk", None, AlertState(active=True, since=OPENED))
    with database.session() as session:
        remembered = load_states(session)
    assert set(remembered) == {"processing_failures:acme", "low_disk"}
    failures = remembered["processing_failures:acme"]
    assert failures.tenant_id == "acme"
    assert failures.state == AlertState(
        active=True, title="Documents fail to process (Acme s.r.o.)", since=OPENED
    )
    assert remembered["low_disk"].tenant_id is None

    cleared = AlertState(
        active=False,
        title="Low disk space",
        since=OPENED,
        notified_at=OPENED,
        cleared_at=OPENED,
        resolved_pending=True,
    )
    with database.session() as session:
        save_state(session, "low_disk", None, cleared)
    with database.session() as session:
        assert load_states(session)["low_disk"].state == cleared


def test_states_are_found_by_the_prefix_of_their_key_taken_literally(database: Database) -> None:
    with database.session() as session:
        for key in ("review_notice:acme", "reviewXnotice:acme", "summary:acme"):
            save_state(session, key, None, AlertState(notified_at=OPENED))
    with database.session() as session:
        assert set(load_states(session, "review_notice:")) == {"review_notice:acme"}
