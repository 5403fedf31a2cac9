"""Settings of catalogue syncs: an ERP's HTTP JSON interface read on a schedule.

``catalog_sync:`` in the config file is a list; each item is one ERP interface of one
tenant, with a URL per kind of record it serves (``groups``, ``products``, ``barcodes``,
``partners``), how its lists come in pages, and which JSON field fills which catalogue
field. The service runs each sync every ``interval_minutes`` (default 60) or daily at
``daily_at``; ``nex-automat catalog sync`` runs them now.

The API key has no default and is not meant for the config file: it comes from the
environment (``NEX_CATALOG_SYNC__<index>__API_KEY``) or from a file named by
``api_key_file``; a sync without either is refused at start.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    SecretStr,
    field_validator,
    model_validator,
)

from nex_automat.ops.secrets import read_secret_file
from nex_automat.ops.setting_types import TimeOfDay, one_secret_source, unique_per_tenant

SyncKind = Literal["groups", "products", "barcodes", "partners"]
DEFAULT_INTERVAL_MINUTES = 60
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class SyncPagination(BaseModel):
    """How the interface splits a long list into pages.

    ``none``: one request gives everything. ``page``: the page number goes in ``param``
    (from ``first_page``). ``offset``: the number of records already read goes in
    ``param``. With ``size_param`` the page size is asked for, and a shorter page is the
    last; without it, an empty page is. ``next_link``: each answer names the next page's
    URL at the JSON path ``next_field``, and the last has none.
    """

    model_config = ConfigDict(extra="forbid")

    style: Literal["none", "page", "offset", "next_link"] = "none"
    param: str = "page"
    first_page: NonNegativeInt = 1
    size_param: str | None = None
    size: PositiveInt = 500
    next_field: str = "next"
    max_pages: PositiveInt = 10_000
    """A guard against an interface that never says it is done."""


class SyncFeedSettings(BaseModel):
    """Where one kind of record is read and how its JSON maps to catalogue fields."""

    model_config = ConfigDict(extra="forbid")

    url: str
    records: str | None = None
    """JSON path of the list of records in each answer (``data.items``); none: the answer
    is the list itself."""
    fields: dict[str, str] = {}
    """Catalogue field → JSON path in a record (``prices.purchase``, ``barcodes.0``); empty:
    the record's keys named like the fields, as a file's column headers are."""
    total_field: str | None = None
    """JSON path of the number of records in all, when the interface tells it (progress)."""
    pagination: SyncPagination = SyncPagination()

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("needs an http:// or https:// URL with a host")
        return url


class CatalogSyncSettings(BaseModel):
    """One ERP interface a tenant's catalogue is kept current from."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,99}$")
    tenant: str = "default"
    kinds: dict[SyncKind, SyncFeedSettings] = Field(min_length=1)
    api_key_header: str = "X-API-Key"
    api_key: SecretStr | None = None
    api_key_file: Path | None = None
    interval_minutes: PositiveInt | None = None
    """Minutes between the end of one run and the start of the next (default 60)."""
    daily_at: TimeOfDay = None
    """Local time of day of a daily run instead, ``"03:30"``."""
    timeout_seconds: PositiveFloat = 60
    skip_invalid: bool = True
    """Write the good records of a kind when some are bad (the bad ones are reported);
    false: a bad record keeps the whole kind from being written, as a file import does."""

    @field_validator("api_key_header")
    @classmethod
    def _header_name(cls, value: str) -> str:
        if not _HEADER_NAME.fullmatch(value):
            raise ValueError("not an HTTP header name")
        return value

    @model_validator(mode="after")
    def _checked(self) -> CatalogSyncSettings:
        one_secret_source(
            self.api_key,
            self.api_key_file,
            ("api_key", "api_key_file"),
            "no API key: set the environment variable "
            "NEX_CATALOG_SYNC__<index>__API_KEY or give api_key_file (a file holding only it)",
        )
        if self.interval_minutes is not None and self.daily_at is not None:
            raise ValueError("give either interval_minutes or daily_at, not both")
        return self

    @property
    def every_minutes(self) -> int:
        return self.interval_minutes or DEFAULT_INTERVAL_MINUTES

    def key(self) -> str:
        """The API key, read from its file when one is configured."""
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        assert self.api_key_file is not None
        return read_secret_file(self.api_key_file, f"catalogue sync {self.name!r}", "api_key_file")


CatalogSyncList = Annotated[list[CatalogSyncSettings], AfterValidator(unique_per_tenant("sync"))]
"""The ``catalog_sync:`` setting."""
