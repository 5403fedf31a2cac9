"""The service's logs: JSON or console lines, with context, rotated, and free of secrets.

:func:`configure_logging` sets up the root logger from :class:`LoggingSettings`: a
handler on stderr (what systemd's journal or WinSW's log keeps) and, when ``file`` is set,
a file rotated daily or by size, keeping ``keep`` old files. Every record carries the
request id, document id and tenant it was logged for (:mod:`nex_automat.logcontext`).

Secrets never reach a handler: :class:`RedactingFilter` rewrites every record's message,
exception text and extra fields, replacing API keys (``nex_…``), the values of
password/secret/token/API-key/Authorization fields in any of the usual notations, URL
passwords, and every secret the settings hold (:func:`~nex_automat.ops.secrets.secret_values`)
wherever it turns up.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nex_automat.logcontext import FIELDS, current_context
from nex_automat.ops.config import LoggingSettings, Settings
from nex_automat.ops.secrets import MIN_SECRET_LENGTH, secret_values

REDACTED = "[redacted]"
MEGABYTE = 1024 * 1024
QUIET_LOGGERS = ("uvicorn.access",)
"""Requests are logged by the service's own middleware, with their request id."""

_SECRET_WORDS = (
    r"passw(?:or)?d|pwd|secret|token|api[_-]?key|x-api-key|authorization|cookie|"
    r"credentials?|private[_-]?key"
)
_KEY_VALUE = re.compile(
    rf"(?<![\w.-])(?P<key>[\w.-]{{0,40}}?(?:{_SECRET_WORDS})[\w.-]{{0,40}}?)"
    r"(?P<sep>['\"]?\s*[:=]\s*)"
    r"(?P<scheme>(?:bearer|basic|token|digest)\s+)?"
    r"(?P<value>\[redacted\]|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^\s'\",;&}\]\)]+)",
    re.IGNORECASE,
)
"""``password=x``, ``"api_key": "x"``, ``Authorization: Bearer x``, ``token='x'``..."""
_SECRET_FIELD = re.compile(_SECRET_WORDS, re.IGNORECASE)
"""An ``extra=`` field named like a secret is redacted whole, whatever its value looks like."""
_HEADER_PAIR = re.compile(
    r"(?P<key>b?['\"](?:authorization|x-api-key|cookie|set-cookie)['\"]\s*,\s*b?)"
    r"(?P<value>'[^']*'|\"[^\"]*\")",
    re.IGNORECASE,
)
"""Header pairs as ASGI and httpx print them: ``(b'authorization', b'Bearer x')``."""
_API_KEY = re.compile(r"\bnex_[A-Za-z0-9_-]{8,}")
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/@\s]+:)(?P<password>[^@/\s]+)@")


class Redactor:
    """Replaces secrets in text: known values first, then everything that looks like one."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        usable = {value for value in known if len(value) >= MIN_SECRET_LENGTH}
        self.known = sorted(usable, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self.known:
            if value in text:
                text = text.replace(value, REDACTED)
        text = _API_KEY.sub("nex_" + REDACTED, text)
        text = _URL_PASSWORD.sub(lambda m: m["head"] + REDACTED + "@", text)
        text = _HEADER_PAIR.sub(lambda m: m["key"] + _quoted(m["value"]), text)
        return _KEY_VALUE.sub(_redact_value, text)


def _quoted(value: str) -> str:
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{quote}{REDACTED}{quote}"


def _redact_value(match: re.Match[str]) -> str:
    if match["value"].strip("'\"") == REDACTED:
        return match[0]
    return match["key"] + match["sep"] + (match["scheme"] or "") + _quoted(match["value"])


_PLAIN_RECORD = logging.LogRecord("", 0, "", 0, "", (), None)
_STANDARD_ATTRIBUTES = frozenset(
    {*_PLAIN_RECORD.__dict__, "message", "asctime", "taskName", "color_message", *FIELDS}
)
"""Not extras: a record's own attributes, and uvicorn's coloured copy of the message."""


class RedactingFilter(logging.Filter):
    """Rewrites a record so that no handler after it can write a secret (see the module)."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor
        self._exception_formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redactor(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._exception_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor(record.stack_info)
        for name, value in extra_fields(record).items():
            if _SECRET_FIELD.search(name):
                setattr(record, name, REDACTED)
            elif isinstance(value, str):
                setattr(record, name, self.redactor(value))
        return True


class ContextFilter(logging.Filter):
    """Puts the request id, document id and tenant of the current context on the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_context()
        for name in FIELDS:
            setattr(record, name, context.get(name))
        return True


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """What the caller passed with ``extra=``: attributes a plain record does not have."""
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRIBUTES}


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, context, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        for name, value in extra_fields(record).items():
            entry[name] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


class ConsoleFormatter(logging.Formatter):
    """``time LEVEL logger [request=… document=… tenant=…] message``, for people."""

    def format(self, record: logging.LogRecord) -> str:
        context = " ".join(
            f"{name.removesuffix('_id')}={value}"
            for name in FIELDS
            if (value := getattr(record, name, None)) is not None
        )
        extras = " ".join(f"{k}={v}" for k, v in extra_fields(record).items())
        parts = [_timestamp(record), f"{record.levelname:<7}", record.name]
        if context:
            parts.append(f"[{context}]")
        parts.append(record.getMessage())
        if extras:
            parts.append(f"({extras})")
        line = " ".join(parts)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + record.exc_text
        return line


FORMATTERS: dict[str, type[logging.Formatter]] = {
    "json": JsonFormatter,
    "console": ConsoleFormatter,
}


def log_file_path(settings: Settings) -> Path | None:
    """The log file, a relative ``logging.file`` taken inside the data directory."""
    file = settings.logging.file
    if file is None:
        return None
    return file if file.is_absolute() else settings.data_dir / file


def file_handler(path: Path, config: LoggingSettings) -> logging.Handler:
    """A handler writing ``path``, rotated as configured, keeping ``config.keep`` old files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if config.rotate == "size":
        return logging.handlers.RotatingFileHandler(
            path,
            maxBytes=config.max_megabytes * MEGABYTE,
            backupCount=config.keep,
            encoding="utf-8",
        )
    return logging.handlers.TimedRotatingFileHandler(
        path, when="midnight", backupCount=config.keep, encoding="utf-8"
    )


_INSTALLED_FLAG = "_nex_automat_handler"


def configure_logging(settings: Settings, *, stream: Any = None) -> list[logging.Handler]:
    """Route every log record through the configured handlers; returns them.

    Calling it again replaces the handlers of the previous call and leaves any others.
    """
    config = settings.logging
    reset_logging()
    redactor = Redactor(secret_values(settings))
    handlers: list[logging.Handler] = [logging.StreamHandler(stream or sys.stderr)]
    path = log_file_path(settings)
    if path is not None:
        handlers.append(file_handler(path, config))
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(FORMATTERS[config.format]())
        handler.addFilter(ContextFilter())
        handler.addFilter(RedactingFilter(redactor))
        setattr(handler, _INSTALLED_FLAG, True)
        root.addHandler(handler)
    root.setLevel(config.level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handlers


def reset_logging() -> None:
    """Remove (and close) the handlers :func:`configure_logging` installed."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _INSTALLED_FLAG, False):
            root.removeHandler(handler)
            handler.close()
