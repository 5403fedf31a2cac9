"""Settings of the ERP hand-over: the connectors approved invoices are delivered by.

``exports:`` in the config file is a list; each item is a folder drop or a webhook and
belongs to one tenant. A folder drop writes files in the formats it lists; a webhook
posts one signed JSON document. Both retry a failed delivery after a doubling delay,
up to ``attempts`` tries in all.

A webhook's signing secret has no default and is not meant for the config file: it comes
from the environment (``NEX_EXPORTS__<index>__SECRET``) or from a file named by
``secret_file``; a webhook without either is refused at start.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PositiveFloat,
    PositiveInt,
    SecretStr,
    field_validator,
    model_validator,
)

from nex_automat.ops.secrets import read_secret_file
from nex_automat.ops.setting_types import one_secret_source, unique_per_tenant

ExportFormat = Literal["isdoc", "ubl", "csv", "xlsx", "json"]
FileLanguage = Literal["sk", "cs", "en"]
"""Language of the column labels in CSV and XLSX files; it also picks the CSV separators."""


class _Connector(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant: str = "default"
    attempts: PositiveInt = 5
    """Tries in all before a delivery is marked failed (and waits for someone to retry it)."""
    backoff_seconds: PositiveFloat = 30
    """The wait after the first failed try; it doubles after each further one."""
    max_backoff_seconds: PositiveFloat = 3600

    def backoff(self, attempts: int) -> timedelta:
        """The wait after try number ``attempts`` failed: doubling from ``backoff_seconds``."""
        seconds = self.backoff_seconds * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, self.max_backoff_seconds))


class FolderExportSettings(_Connector):
    """Files dropped into a folder an ERP imports from, one file per document."""

    kind: Literal["folder"]
    name: str = "folder"
    path: Path
    formats: list[ExportFormat] = Field(default=["isdoc"], min_length=1)
    language: FileLanguage = "sk"

    @field_validator("formats", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        """From the environment a list comes as text: ``isdoc,csv`` or ``["isdoc", "csv"]``."""
        if isinstance(value, str):
            return [part.strip(" \"'") for part in value.strip("[]").split(",") if part.strip()]
        return value

    @field_validator("formats")
    @classmethod
    def _distinct(cls, formats: list[ExportFormat]) -> list[ExportFormat]:
        return list(dict.fromkeys(formats))


class WebhookExportSettings(_Connector):
    """An HTTP endpoint that receives each hand-over as a signed JSON POST."""

    kind: Literal["webhook"]
    name: str = "webhook"
    url: str
    secret: SecretStr | None = None
    secret_file: Path | None = None
    timeout_seconds: PositiveFloat = 10

    @property
    def formats(self) -> list[ExportFormat]:
        return ["json"]

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("needs an http:// or https:// URL with a host")
        return url

    @model_validator(mode="after")
    def _one_secret(self) -> WebhookExportSettings:
        one_secret_source(
            self.secret,
            self.secret_file,
            ("secret", "secret_file"),
            "no signing secret: set the environment variable "
            "NEX_EXPORTS__<index>__SECRET or give secret_file (a file holding only it)",
        )
        return self

    def signing_key(self) -> bytes:
        """The secret's bytes, read from its file when one is configured."""
        if self.secret is not None:
            return self.secret.get_secret_value().encode("utf-8")
        assert self.secret_file is not None
        owner = f"webhook {self.name!r}"
        return read_secret_file(self.secret_file, owner, "secret_file").encode("utf-8")


_KINDS = frozenset({"folder", "webhook"})
ExportSettings = Annotated[
    FolderExportSettings | WebhookExportSettings, Field(discriminator="kind")
]


ExportList = Annotated[list[ExportSettings], AfterValidator(unique_per_tenant("connector"))]
"""The ``exports:`` setting."""


def untagged(location: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """An error's location without the connector kind pydantic puts in it.

    ``("exports", 1, "webhook", "url")`` names the key ``exports.1.url``, which is also
    what its environment variable is built from.
    """
    if len(location) > 2 and location[0] == "exports" and location[2] in _KINDS:
        return location[:2] + location[3:]
    return location
