"""Settings: read once at start from ``<data_dir>/config.yaml`` and ``NEX_*`` variables.

Precedence, highest first: values given in code (the command line), environment
variables, the config file, defaults. Nested values use ``__`` in variable names, list
items their index: ``NEX_MAILBOXES__0__PASSWORD`` sets the password of the first mailbox
of the config file, leaving its other keys as the file has them. The data directory
locates the config file, so it comes only from ``--data-dir``, ``NEX_DATA_DIR`` or the
default ``./data``.

Anything wrong is reported as one :class:`ConfigError` that names each bad key and how to
fix it, before the service starts. Secrets (mailbox passwords) have no default: a mailbox
without a password or a password file is refused.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveFloat,
    PositiveInt,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from nex_automat.errors import NexError

ENV_PREFIX = "NEX_"
ENV_NESTING = "__"
CONFIG_FILE_NAME = "config.yaml"
DEFAULT_DATA_DIR = Path("data")
DATA_DIR_VARIABLE = f"{ENV_PREFIX}DATA_DIR"
DATABASE_FILE_NAME = "nex-automat.db"


class ConfigError(NexError):
    """The configuration cannot be used; ``problems`` lists each bad key with its fix."""

    code = "invalid_config"

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class MailboxSettings(BaseModel):
    """One IMAP mailbox to take invoices from."""

    model_config = ConfigDict(extra="forbid")

    name: str
    host: str
    port: int = Field(default=993, ge=1, le=65535)
    security: Literal["ssl", "starttls", "plain"] = "ssl"
    user: str
    password: SecretStr | None = None
    password_file: Path | None = None
    folder: str = "INBOX"
    allowed_senders: list[str] = []
    """Addresses (or ``@domain``) whose mail is taken; empty takes everyone's."""
    processed_folder: str | None = "Processed"
    rejected_folder: str | None = "Rejected"
    poll_seconds: PositiveFloat = 60
    tenant: str = "default"

    @model_validator(mode="after")
    def _one_secret(self) -> MailboxSettings:
        if self.password is None and self.password_file is None:
            raise ValueError(
                "no password: set the environment variable "
                f"{ENV_PREFIX}MAILBOXES{ENV_NESTING}<index>{ENV_NESTING}PASSWORD "
                "or give password_file (a file holding only the password)"
            )
        if self.password is not None and self.password_file is not None:
            raise ValueError("give either password or password_file, not both")
        return self

    def secret(self) -> str:
        """The password, read from its file when one is configured."""
        if self.password is not None:
            return self.password.get_secret_value()
        assert self.password_file is not None
        try:
            return self.password_file.read_text(encoding="utf-8").strip("\r\n")
        except OSError as error:
            raise ConfigError(
                f"mailbox {self.name!r}: cannot read password_file {self.password_file}: "
                f"{error.strerror}; check the path and its permissions"
            ) from None


class FolderSettings(BaseModel):
    """A watched folder whose files are ingested."""

    model_config = ConfigDict(extra="forbid")

    path: Path
    tenant: str = "default"
    poll_seconds: PositiveFloat = 5.0


class Settings(BaseSettings):
    """Everything an installation can configure; see the module docstring for the sources."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_NESTING,
        extra="forbid",
        validate_default=True,
    )

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    """SQLAlchemy URL; ``None`` means SQLite in the data directory."""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    upload_max_bytes: PositiveInt = 25 * 1024 * 1024
    max_pages: PositiveInt = 300
    workers: PositiveInt = 2
    templates_dir: Path | None = None
    default_tenant: str = "default"
    secure_cookies: bool = False
    """Mark the sign-in cookie ``Secure``: set it when the UI is served over https."""
    session_hours: PositiveInt = 12
    """How long a sign-in lasts before the user must sign in again."""
    mailboxes: list[MailboxSettings] = []
    folders: list[FolderSettings] = []

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def config_file(self) -> Path:
        return self.data_dir / CONFIG_FILE_NAME

    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / DATABASE_FILE_NAME).resolve()}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        explicit = None
        if isinstance(init_settings, InitSettingsSource):
            explicit = init_settings.init_kwargs.get("data_dir")
        config_file = resolve_data_dir(explicit) / CONFIG_FILE_NAME
        assert isinstance(env_settings, EnvSettingsSource)
        layered = _Layered(settings_cls, [_YamlFile(settings_cls, config_file), env_settings])
        return (init_settings, layered)


def resolve_data_dir(explicit: Path | str | None = None) -> Path:
    """The data directory: given explicitly, else ``NEX_DATA_DIR``, else ``./data``."""
    if explicit is not None and str(explicit):
        return Path(explicit)
    from_env = os.environ.get(DATA_DIR_VARIABLE)
    return Path(from_env) if from_env else DEFAULT_DATA_DIR


def load_settings(data_dir: Path | None = None, **overrides: Any) -> Settings:
    """The validated settings, or a :class:`ConfigError` naming every problem."""
    folder = resolve_data_dir(data_dir)
    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(data_dir=folder, **given)
    except ValidationError as error:
        problems = [_describe(detail, folder / CONFIG_FILE_NAME) for detail in error.errors()]
        raise ConfigError(
            "invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems), problems
        ) from None


# ------------------------------------------------------------------------------ sources


class _YamlFile(PydanticBaseSettingsSource):
    """The config file; missing is fine (all defaults), malformed is a :class:`ConfigError`."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        super().__init__(settings_cls)
        self.path = path

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{self.path}: cannot read the config file: {error}") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ConfigError(
                f"{self.path}: not valid YAML ({error}); fix the file's syntax"
            ) from None
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise ConfigError(
                f"{self.path}: the config file must be a mapping of keys to values, "
                f"not a {type(data).__name__}"
            )
        if "data_dir" in data:
            raise ConfigError(
                f"{self.path}: data_dir cannot be set in the config file it locates; "
                f"use --data-dir or {DATA_DIR_VARIABLE}"
            )
        return data


class _Layered(PydanticBaseSettingsSource):
    """Sources merged lowest first, so ``NEX_MAILBOXES__0__PASSWORD`` edits list item 0."""

    def __init__(
        self, settings_cls: type[BaseSettings], sources: list[PydanticBaseSettingsSource]
    ) -> None:
        super().__init__(settings_cls)
        self.sources = sources

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for source in self.sources:
            merged = _merge(merged, source())
        return merged


def _is_indexed(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(str(k).isdigit() for k in value)


def _merge(base: Any, over: Any) -> Any:
    if _is_indexed(over) and (base is None or isinstance(base, list)):
        items = list(base or [])
        for key in sorted(over, key=int):
            index = int(key)
            if index < len(items):
                items[index] = _merge(items[index], over[key])
            elif index == len(items):
                items.append(_merge(None, over[key]))
            else:
                raise ConfigError(
                    f"list item {index} set from the environment, but only {len(items)} "
                    "items exist before it; number list items from 0 without gaps"
                )
        return items
    if isinstance(base, dict) and isinstance(over, dict):
        result = dict(base)
        for key, value in over.items():
            result[key] = _merge(base.get(key), value)
        return result
    return over


# ----------------------------------------------------------------------------- messages


def _env_name(location: tuple[int | str, ...]) -> str:
    return ENV_PREFIX + ENV_NESTING.join(str(part).upper() for part in location)


def _describe(detail: ErrorDetails, config_file: Path) -> str:
    location = tuple(part for part in detail["loc"] if part != "__root__")
    key = ".".join(str(part) for part in location) or "(top level)"
    kind = detail["type"]
    if kind == "extra_forbidden":
        return f"{key}: not a setting; remove it from {config_file} or correct its spelling"
    if kind == "missing":
        return f"{key}: required; add it to {config_file} or set {_env_name(location)}"
    message = detail["msg"].removeprefix("Value error, ")
    given = detail.get("input")
    secret = any("password" in str(part) for part in location)
    plain = not (secret or given is None or isinstance(given, dict | list))
    shown = f" (got {given!r})" if plain else ""
    return f"{key}: {message}{shown}; correct it in {config_file} or with {_env_name(location)}"
