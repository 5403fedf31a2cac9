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

import base64
import binascii
import os
import re
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Any, Literal, get_origin
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    IPvAnyNetwork,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    SecretStr,
    ValidationError,
    field_validator,
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
from nex_automat.ops.catalog_sync_settings import CatalogSyncList
from nex_automat.ops.export_settings import ExportList, untagged
from nex_automat.ops.secrets import read_secret_file
from nex_automat.ops.setting_types import TimeOfDay, one_secret_source
from nex_automat.store.models import Role
from nex_automat.store.tenants import InvalidTenantId, check_tenant_id
from nex_automat.store.users import LANGUAGES

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
        one_secret_source(
            self.password,
            self.password_file,
            ("password", "password_file"),
            "no password: set the environment variable "
            f"{ENV_PREFIX}MAILBOXES{ENV_NESTING}<index>{ENV_NESTING}PASSWORD "
            "or give password_file (a file holding only the password)",
        )
        return self

    def secret(self) -> str:
        """The password, read from its file when one is configured."""
        if self.password is not None:
            return self.password.get_secret_value()
        assert self.password_file is not None
        return read_secret_file(self.password_file, f"mailbox {self.name!r}", "password_file")


class FolderSettings(BaseModel):
    """A watched folder whose files are ingested."""

    model_config = ConfigDict(extra="forbid")

    path: Path
    tenant: str = "default"
    poll_seconds: PositiveFloat = 5.0


class LoggingSettings(BaseModel):
    """How the service logs: to stderr always, and to a rotated file when ``file`` is set."""

    model_config = ConfigDict(extra="forbid")

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["console", "json"] = "console"
    """``json``: one object a line, for a log collector; ``console``: for people."""
    file: Path | None = None
    """A relative path is inside the data directory; ``None`` logs to stderr only."""
    rotate: Literal["daily", "size"] = "daily"
    """Start a new file at midnight, or when the file reaches ``max_megabytes``."""
    max_megabytes: PositiveInt = 50
    keep: PositiveInt = 14
    """Rotated files kept besides the current one (days, for daily rotation)."""


class HealthSettings(BaseModel):
    """Thresholds of ``/ready``, ``doctor`` and the alerts built on them."""

    model_config = ConfigDict(extra="forbid")

    min_free_disk_mb: PositiveInt = 1024
    """Less free space than this where the documents live: not ready."""
    max_queue_wait_minutes: PositiveFloat = 30
    """A document waiting longer than this for processing: the queue is backlogged."""
    mailbox_stale_minutes: PositiveFloat = 15
    """No good poll of a mailbox for this long (or three poll intervals, if longer)."""
    backup_stale_hours: PositiveFloat = 26
    """The last good backup older than this: stale (a nightly backup plus a margin)."""


class MetricsSettings(BaseModel):
    """Who may read ``/metrics``; it needs no API key."""

    model_config = ConfigDict(extra="forbid")

    allow_networks: list[IPvAnyNetwork] = []
    """Client networks (CIDR) allowed to scrape; empty allows every client."""


SMTP_PORTS: dict[str, int] = {"starttls": 587, "tls": 465, "plain": 25}
"""The usual port of each ``security`` setting, used when no port is given."""


def is_email_address(text: str) -> bool:
    """``a@b.sk`` or ``Name <a@b.sk>``: what a mail header accepts as one address."""
    _, address = parseaddr(text)
    local, _, domain = address.rpartition("@")
    return bool(local) and "." in domain and not any(c.isspace() for c in address)


def _email_address(value: str) -> str:
    if not is_email_address(value):
        raise ValueError("not an e-mail address; write it as name@example.sk")
    return value.strip()


EmailAddress = Annotated[str, AfterValidator(_email_address)]


class RetentionSettings(BaseModel):
    """How many backup sets to keep: the newest of each of the last N days, weeks, months."""

    model_config = ConfigDict(extra="forbid")

    daily: NonNegativeInt = 7
    weekly: NonNegativeInt = 4
    monthly: NonNegativeInt = 12
    pre_upgrade: NonNegativeInt = 2
    """Sets taken before a schema upgrade, kept apart: they are the way back to a version."""


BACKUP_KEY_BYTES = 32


class BackupSettings(BaseModel):
    """Where backups go, when the service takes them, how long they stay, the config's key."""

    model_config = ConfigDict(extra="forbid")

    dir: Path | None = None
    """``None`` means ``<data_dir>/backups``; better a disk other than the data's."""
    daily_at: TimeOfDay = "02:00"
    """Local time of the nightly backup; ``null`` turns the scheduled backup off."""
    verify: bool = True
    """Verify each scheduled backup right after taking it (a scratch restore)."""
    key: SecretStr | None = None
    """AES-256 key for the config file's copy: 32 bytes as base64 or hex."""
    key_file: Path | None = None
    keep: RetentionSettings = RetentionSettings()
    pg_tools_dir: Path | None = None
    """Folder of ``pg_dump`` and ``pg_restore`` when they are not on the ``PATH``."""

    @field_validator("key")
    @classmethod
    def _key_length(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            decode_backup_key(value.get_secret_value())
        return value

    @model_validator(mode="after")
    def _one_key(self) -> BackupSettings:
        one_secret_source(self.key, self.key_file, ("key", "key_file"), None)
        return self

    def encryption_key(self) -> bytes | None:
        """The 32-byte key, read from its file when one is configured; ``None`` without one."""
        if self.key is not None:
            return decode_backup_key(self.key.get_secret_value())
        if self.key_file is None:
            return None
        try:
            text = self.key_file.read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(
                f"backup.key_file: cannot read {self.key_file}: {error.strerror}; "
                "check the path and its permissions"
            ) from None
        try:
            return decode_backup_key(text)
        except ValueError as error:
            raise ConfigError(f"backup.key_file: {self.key_file}: {error}") from None


def decode_backup_key(text: str) -> bytes:
    """A 32-byte key written as 64 hex digits or as base64; ``ValueError`` otherwise."""
    text = text.strip()
    if re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return bytes.fromhex(text)
    try:
        key = base64.b64decode(text, validate=True)
    except binascii.Error:
        key = b""
    if len(key) != BACKUP_KEY_BYTES:
        raise ValueError(
            "a backup key is 32 bytes written as 64 hex digits or as base64; "
            "make one with `nex-automat backup keygen`"
        )
    return key


class SmtpSettings(BaseModel):
    """The mail server notifications leave through; the password, like a mailbox's."""

    model_config = ConfigDict(extra="forbid")

    host: str
    port: int | None = Field(default=None, ge=1, le=65535)
    """``None``: the usual port of ``security`` (:data:`SMTP_PORTS`)."""
    security: Literal["starttls", "tls", "plain"] = "starttls"
    """``plain`` is for a relay on this machine or network, and never with a login."""
    user: str | None = None
    """``None``: send without logging in, to a relay that trusts this machine."""
    password: SecretStr | None = None
    password_file: Path | None = None
    ca_file: Path | None = None
    """Certificates (PEM) trusted besides the system's, for a relay with its own CA."""
    sender: EmailAddress
    """The From address, e.g. ``NEX Automat <nex@example.sk>``."""
    timeout_seconds: PositiveFloat = 30

    @model_validator(mode="after")
    def _login(self) -> SmtpSettings:
        has_secret = self.password is not None or self.password_file is not None
        if self.user is None:
            if has_secret:
                raise ValueError("a password without a user: give user, or remove the password")
            return self
        if self.security == "plain":
            raise ValueError(
                "plain would send the password unencrypted: use starttls or tls to log in, "
                "or remove user for a relay that needs no login"
            )
        one_secret_source(
            self.password,
            self.password_file,
            ("password", "password_file"),
            f"no password for user {self.user!r}: set the environment variable "
            f"{ENV_PREFIX}NOTIFICATIONS{ENV_NESTING}SMTP{ENV_NESTING}PASSWORD "
            "or give password_file (a file holding only the password)",
        )
        return self

    @property
    def effective_port(self) -> int:
        return self.port or SMTP_PORTS[self.security]

    def secret(self) -> str | None:
        """The password, read from its file when one is configured; ``None`` without login."""
        if self.password is not None:
            return self.password.get_secret_value()
        if self.password_file is not None:
            return read_secret_file(self.password_file, "notifications.smtp", "password_file")
        return None


class AlertSettings(BaseModel):
    """How often problems are looked for and mailed; ``health`` holds the thresholds that
    ``/ready`` shares (free disk, queue wait, mailbox and backup age)."""

    model_config = ConfigDict(extra="forbid")

    check_minutes: PositiveFloat = 5
    cooldown_minutes: PositiveFloat = 60
    """An alert still active is mailed again only after this long."""
    failure_window_minutes: PositiveFloat = 60
    """Documents failed within this long keep the processing-failures alert active."""
    backlog_jobs: PositiveInt = 200
    """More documents than this waiting for processing: the queue is backlogged."""
    recipients: list[EmailAddress] = []
    """Empty: ``notifications.recipients``."""


class SummarySettings(BaseModel):
    """The daily summary of each tenant's invoices."""

    model_config = ConfigDict(extra="forbid")

    at: TimeOfDay = "07:00"
    """Local time of day; ``null`` sends no summary."""
    recipients: list[EmailAddress] = []
    """Empty: ``notifications.recipients``."""


class ReviewNoticeSettings(BaseModel):
    """A reminder to reviewers when invoices have waited for them too long."""

    model_config = ConfigDict(extra="forbid")

    after_hours: PositiveFloat | None = 24
    """An invoice needing review for longer than this is overdue; ``null`` sends no notice."""
    repeat_hours: PositiveFloat = 24
    """While invoices stay overdue, the notice is repeated after this long."""
    roles: list[Role] = [Role.OPERATOR, Role.APPROVER]
    recipients: list[EmailAddress] = []
    """Empty: the tenant's users of ``roles`` whose username is an e-mail address."""


class NotificationSettings(BaseModel):
    """E-mail: alerts to the people who run the installation, summaries, review notices."""

    model_config = ConfigDict(extra="forbid")

    smtp: SmtpSettings
    recipients: list[EmailAddress]
    """Who gets alerts and summaries unless those name their own."""
    base_url: str
    """Where people open NEX Automat, e.g. ``https://faktury.example.sk``: links in mail."""
    language: str = LANGUAGES[0]
    alerts: AlertSettings = AlertSettings()
    summary: SummarySettings = SummarySettings()
    review_notice: ReviewNoticeSettings = ReviewNoticeSettings()

    @field_validator("base_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("not a web address; write it as https://faktury.example.sk")
        return value.strip().rstrip("/")

    @field_validator("recipients")
    @classmethod
    def _someone(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one address that alerts and summaries go to")
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"mail is written in one of {', '.join(LANGUAGES)}")
        return value


def _tenant_id(value: str) -> str:
    try:
        return check_tenant_id(value)
    except InvalidTenantId as error:
        raise ValueError(error.message) from None


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"a language is one of {', '.join(LANGUAGES)}")
    return value


TenantId = Annotated[str, AfterValidator(_tenant_id)]
Language = Annotated[str, AfterValidator(_language)]


class TenantSettings(BaseModel):
    """What one tenant (a customer of the installation) has of its own; a key left out is
    the installation's. Read through :meth:`Settings.for_tenant`, never directly."""

    model_config = ConfigDict(extra="forbid")

    language: Language | None = None
    """Of its mail (summary, review notice, its processing-failure alert) and the UI
    language its new users start with; ``None``: the installation's."""
    summary_recipients: list[EmailAddress] = []
    """Its daily summary goes here instead of the installation's recipients."""
    review_notice_recipients: list[EmailAddress] = []
    """Its review notice goes here instead of ``notifications.review_notice``'s choice."""
    alert_recipients: list[EmailAddress] = []
    """Its processing-failure alert goes here too, besides the installation's recipients."""
    api_requests_per_minute: PositiveInt | None = None
    """Its API keys' rate instead of the installation's ``api_requests_per_minute``."""
    api_burst: PositiveInt | None = None
    """Its API keys' burst instead of the installation's ``api_burst``."""


@dataclass(frozen=True, slots=True)
class TenantView:
    """What is in effect for one tenant: its own settings over the installation's."""

    tenant_id: str
    mail_language: str
    ui_language: str
    """The language a new user of the tenant starts with, until they pick their own."""
    summary_recipients: tuple[str, ...]
    review_notice_recipients: tuple[str, ...]
    """Empty: the tenant's users of ``review_notice.roles`` named by an e-mail address."""
    alert_recipients: tuple[str, ...]
    """Of alerts about the tenant alone; installation-wide alerts go to the installation's."""
    api_requests_per_minute: int
    api_burst: int


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
    api_requests_per_minute: PositiveInt = 1200
    """Requests one API key may make per minute, on average; more get ``429``."""
    api_burst: PositiveInt = 300
    """Requests one API key may make at once before its rate applies."""
    mailboxes: list[MailboxSettings] = []
    folders: list[FolderSettings] = []
    backup: BackupSettings = BackupSettings()
    logging: LoggingSettings = LoggingSettings()
    health: HealthSettings = HealthSettings()
    metrics: MetricsSettings = MetricsSettings()
    notifications: NotificationSettings | None = None
    """``None``: no e-mail is sent."""
    exports: ExportList = []
    """Connectors that hand approved invoices to the ERP (folder drops, webhooks)."""
    catalog_sync: CatalogSyncList = []
    """ERP interfaces the catalogue is synced from on a schedule."""
    shutdown_seconds: PositiveFloat = 20
    """On stop, how long jobs in hand and open requests get to finish."""
    external_workers: bool = False
    """Leave processing to ``nex-automat worker`` processes (PostgreSQL only): ``serve``
    then runs no worker threads of its own."""
    worker_stalled_seconds: PositiveFloat = 30
    """A worker silent this long, or a job whose lease was not renewed this long, is taken
    for lost and its jobs are queued again."""
    tenants: dict[TenantId, TenantSettings] = {}
    """Tenant id → what that tenant has of its own (:meth:`for_tenant` resolves it)."""

    @field_validator("tenants", mode="before")
    @classmethod
    def _ids_as_text(cls, value: Any) -> Any:
        """An id YAML reads as a number (``2024:``) is still the tenant ``"2024"``."""
        if isinstance(value, dict):
            return {str(key): item for key, item in value.items()}
        return value

    @model_validator(mode="after")
    def _workers_share_postgres(self) -> Settings:
        if self.external_workers and not (self.database_url or "").startswith("postgresql"):
            raise ValueError("external_workers needs a PostgreSQL database_url")
        return self

    def for_tenant(self, tenant_id: str) -> TenantView:
        """The settings in effect for ``tenant_id``: its own where it has them, else the
        installation's; a tenant not under ``tenants:`` gets the installation's."""
        own = self.tenants.get(tenant_id) or TenantSettings()
        ui_language = own.language or LANGUAGES[0]
        notifications = self.notifications
        if notifications is None:
            mail_language, summary, review, alerts = ui_language, (), (), ()
        else:
            mail_language = own.language or notifications.language
            summary = tuple(
                own.summary_recipients
                or notifications.summary.recipients
                or notifications.recipients
            )
            review = tuple(own.review_notice_recipients or notifications.review_notice.recipients)
            installation = notifications.alerts.recipients or notifications.recipients
            alerts = tuple(dict.fromkeys([*installation, *own.alert_recipients]))
        return TenantView(
            tenant_id=tenant_id,
            mail_language=mail_language,
            ui_language=ui_language,
            summary_recipients=summary,
            review_notice_recipients=review,
            alert_recipients=alerts,
            api_requests_per_minute=own.api_requests_per_minute or self.api_requests_per_minute,
            api_burst=own.api_burst or self.api_burst,
        )

    @property
    def worker_stalled_after(self) -> timedelta:
        return timedelta(seconds=self.worker_stalled_seconds)

    @property
    def service_worker_threads(self) -> int:
        """The service's own worker threads: none when worker processes do the work."""
        return 0 if self.external_workers else self.workers

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def config_file(self) -> Path:
        return self.data_dir / CONFIG_FILE_NAME

    @property
    def backup_dir(self) -> Path:
        return self.backup.dir or self.data_dir / "backups"

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
    """Sources merged lowest first, so ``NEX_MAILBOXES__0__PASSWORD`` edits list item 0
    and ``NEX_TENANTS__2024__LANGUAGE`` the tenant ``2024`` (a mapping's keys are never
    list indices)."""

    def __init__(
        self, settings_cls: type[BaseSettings], sources: list[PydanticBaseSettingsSource]
    ) -> None:
        super().__init__(settings_cls)
        self.sources = sources
        self.mappings = {
            name
            for name, field in settings_cls.model_fields.items()
            if get_origin(field.annotation) is dict
        }

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for source in self.sources:
            for name, value in source().items():
                merged[name] = _merge(merged.get(name), value, keyed=name in self.mappings)
        return merged


def _is_indexed(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(str(k).isdigit() for k in value)


def _merge(base: Any, over: Any, *, keyed: bool = False) -> Any:
    """``over`` laid on ``base``; ``keyed``: both are mappings by (textual) key."""
    if keyed and isinstance(over, dict) and isinstance(base, dict | None):
        result = {str(key): value for key, value in (base or {}).items()}
        for key, value in over.items():
            result[str(key)] = _merge(result.get(str(key)), value)
        return result
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
    location = untagged(tuple(part for part in detail["loc"] if part != "__root__"))
    key = ".".join(str(part) for part in location) or "(top level)"
    kind = detail["type"]
    if kind == "extra_forbidden":
        return f"{key}: not a setting; remove it from {config_file} or correct its spelling"
    if kind == "missing":
        return f"{key}: required; add it to {config_file} or set {_env_name(location)}"
    message = detail["msg"].removeprefix("Value error, ")
    given = detail.get("input")
    secret = any(word in str(part) for part in location for word in ("password", "key", "secret"))
    plain = not (secret or given is None or isinstance(given, dict | list))
    shown = f" (got {given!r})" if plain else ""
    return f"{key}: {message}{shown}; correct it in {config_file} or with {_env_name(location)}"
