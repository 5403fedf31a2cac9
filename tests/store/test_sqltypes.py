"""Decimals and timestamps read back exactly as written, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select
from sqlalchemy.exc import StatementError

from nex_automat.store.db import Database
from nex_automat.store.sqltypes import DecimalText, UtcDateTime, as_number

AWKWARD = ["-0.01", "1234567890.123456", "2.500", "0", "0.000", "100", "-12.3", "0.000001"]


@pytest.fixture
def probe(database: Database) -> Iterator[Table]:
    metadata = MetaData()
    table = Table(
        "type_probe",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("amount", DecimalText()),
        Column("at", UtcDateTime()),
    )
    metadata.create_all(database.engine)
    yield table
    metadata.drop_all(database.engine)


@pytest.mark.parametrize("text", AWKWARD)
def test_decimal_reads_back_identical_with_its_places(
    database: Database, probe: Table, text: str
) -> None:
    with database.engine.begin() as connection:
        connection.execute(insert(probe).values(id=1, amount=Decimal(text)))
        stored = connection.scalar(select(probe.c.amount))
    assert isinstance(stored, Decimal)
    assert str(stored) == text


def test_decimal_in_exponent_form_is_stored_in_plain_notation(
    database: Database, probe: Table
) -> None:
    with database.engine.begin() as connection:
        connection.execute(insert(probe).values(id=1, amount=Decimal("1E+2")))
        stored = connection.scalar(select(probe.c.amount))
    assert stored == Decimal("100")


@pytest.mark.parametrize("bad", [1.5, "1.5", 2])
def test_decimal_column_refuses_anything_but_decimal(
    database: Database, probe: Table, bad: object
) -> None:
    with pytest.raises(StatementError, match="expected a Decimal"), database.engine.begin() as c:
        c.execute(insert(probe).values(id=1, amount=bad))


def test_decimal_column_refuses_nan(database: Database, probe: Table) -> None:
    with pytest.raises(StatementError, match="finite"), database.engine.begin() as c:
        c.execute(insert(probe).values(id=1, amount=Decimal("NaN")))


def test_amounts_compare_as_numbers_not_as_text(database: Database, probe: Table) -> None:
    values = ["9.5", "10", "100.00", "-2", "10.01"]
    with database.engine.begin() as connection:
        connection.execute(
            insert(probe), [{"id": i, "amount": Decimal(v)} for i, v in enumerate(values)]
        )
        at_least_ten = connection.scalars(
            select(probe.c.amount)
            .where(as_number(probe.c.amount) >= Decimal("10"))
            .order_by(as_number(probe.c.amount))
        ).all()
    assert [str(v) for v in at_least_ten] == ["10", "10.01", "100.00"]


def test_timestamp_comes_back_aware_in_utc(database: Database, probe: Table) -> None:
    bratislava_summer = timezone(timedelta(hours=2))
    written = datetime(2024, 7, 1, 10, 30, 15, 123456, tzinfo=bratislava_summer)
    with database.engine.begin() as connection:
        connection.execute(insert(probe).values(id=1, at=written))
        stored = connection.scalar(select(probe.c.at))
    assert stored == written
    assert stored.tzinfo == UTC
    assert stored.hour == 8


def test_naive_timestamp_is_refused(database: Database, probe: Table) -> None:
    with pytest.raises(StatementError, match="naive"), database.engine.begin() as connection:
        connection.execute(insert(probe).values(id=1, at=datetime(2024, 1, 1, 12, 0)))


def test_timestamps_compare_in_time_order(database: Database, probe: Table) -> None:
    base = datetime(2024, 1, 1, tzinfo=UTC)
    stamps = [base + timedelta(microseconds=n) for n in (5, 1, 1_000_000, 0)]
    with database.engine.begin() as connection:
        connection.execute(insert(probe), [{"id": i, "at": s} for i, s in enumerate(stamps)])
        later = connection.scalars(
            select(probe.c.at).where(probe.c.at > base + timedelta(microseconds=1))
        ).all()
    assert sorted(later) == [stamps[0], stamps[2]]
