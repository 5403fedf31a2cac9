"""Value types shared by the sections of the settings, so each rule is written once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import time
from typing import Annotated, Protocol, TypeVar

from pydantic import BeforeValidator


def _time_of_day(value: object) -> object:
    """``"07:00"`` stays as written; unquoted YAML ``07:00`` arrives as a number (base 60)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError('write the time of day in quotes, e.g. "07:00"')
    try:
        time.fromisoformat(value)
    except ValueError:
        raise ValueError('not a time of day; write it as "HH:MM", e.g. "07:00"') from None
    return value


TimeOfDay = Annotated[str | None, BeforeValidator(_time_of_day)]
"""A local time of day written as ``"HH:MM"``."""


class _Named(Protocol):
    @property
    def tenant(self) -> str: ...

    @property
    def name(self) -> str: ...


Named = TypeVar("Named", bound=_Named)


def unique_per_tenant(what: str) -> Callable[[list[Named]], list[Named]]:
    """A validator refusing two items of one tenant with the same name.

    State (deliveries, sync runs) is kept by tenant and name, so a clash would mix two
    configured items into one history.
    """

    def check(items: list[Named]) -> list[Named]:
        counts = Counter((item.tenant, item.name) for item in items)
        clashes = sorted(
            f"{name!r} (tenant {tenant!r})" for (tenant, name), n in counts.items() if n > 1
        )
        if clashes:
            raise ValueError(f"{what} names must differ within a tenant: {', '.join(clashes)}")
        return items

    return check


def one_secret_source(
    value: object | None, file: object | None, names: tuple[str, str], missing: str | None
) -> None:
    """The rule every secret of the settings follows: given as a value (from the
    environment) or as a file holding only it, never both; ``missing`` is the error when
    neither is given, ``None`` when the secret may be left out."""
    given, file_key = names
    if value is not None and file is not None:
        raise ValueError(f"give either {given} or {file_key}, not both")
    if value is None and file is None and missing is not None:
        raise ValueError(missing)
