"""Column types that read back exactly what was written, on SQLite and on PostgreSQL.

SQLite has no decimal type, and SQLAlchemy's ``Numeric`` on SQLite goes through a float,
so ``Decimal("0.1")`` could come back as ``0.1000000000000000055…``. Money and quantities
therefore live in SQLite as the exact decimal string. On PostgreSQL they live in an
unconstrained ``NUMERIC``, which keeps the scale it was given (``2.500`` stays ``2.500``),
so both databases return the identical ``Decimal``, with the places the document printed.

Timestamps are UTC and timezone-aware on the way in and on the way out; SQLite stores them
as naive UTC text of fixed width, so they sort and compare as time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Dialect, Numeric, String, TypeDecorator
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import DateTime, TypeEngine


class DecimalText(TypeDecorator[Decimal]):
    """An exact ``Decimal``: text on SQLite, ``NUMERIC`` on PostgreSQL.

    Values are written in plain notation (never ``1E+2``); NaN and infinities are refused
    because no invoice amount is one. Comparisons in SQL need :func:`as_number` on SQLite,
    where the column is text.
    """

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(Numeric(asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"expected a Decimal, got {type(value).__name__}: {value!r}")
        if not value.is_finite():
            raise ValueError(f"not a finite amount: {value}")
        if dialect.name == "sqlite":
            return format(value, "f")
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(str(value))


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time, always timezone-aware UTC; a naive datetime is refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused, give it a timezone: {value!r}")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class as_number(FunctionElement[Decimal]):  # noqa: N801 - reads as a SQL function
    """A :class:`DecimalText` column as a number SQL can compare and sort.

    On PostgreSQL the column already is one; on SQLite its text is cast, so ``'9.5' <
    '10'`` is decided as numbers, not as strings.
    """

    name = "as_number"
    inherit_cache = True
    type = Numeric()


@compiles(as_number)
def _as_number_default(element: as_number, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(as_number, "sqlite")
def _as_number_sqlite(element: as_number, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS REAL)"
