"""Which configured values are secrets, so ``config show`` masks them and logs never hold them.

A setting is secret when its type is ``SecretStr`` (passwords, keys), when it is the file
that holds such a secret (``password_file`` beside ``password``), or when it is the
password inside a database URL. :func:`secret_values` collects the values themselves (read
from their files too), for the log redactor to replace wherever they turn up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from nex_automat.errors import NexError

MASK = "********"
MIN_SECRET_LENGTH = 4
"""Shorter values are not replaced in logs: they would match ordinary words and numbers."""
SECRET_FILE_SUFFIX = "_file"


def is_secret_file(model: BaseModel, field_name: str) -> bool:
    """``password_file`` beside a ``password`` of type ``SecretStr`` holds a secret."""
    if not field_name.endswith(SECRET_FILE_SUFFIX):
        return False
    sibling = type(model).model_fields.get(field_name.removesuffix(SECRET_FILE_SUFFIX))
    if sibling is None:
        return False
    annotation = sibling.annotation
    return annotation is SecretStr or SecretStr in get_args(annotation)


def mask_url(url: str) -> str:
    """``url`` with its password shown as ``***``; an unparsable URL is masked whole."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return MASK
    if parsed.password is None:
        return url
    return parsed.render_as_string(hide_password=True)


def url_password(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return make_url(url).password  # type: ignore[return-value]
    except ArgumentError:
        return None


def secret_values(model: BaseModel) -> list[str]:
    """Every secret the settings hold or point to, longest first, for redaction."""
    found = {value for value in _walk(model) if len(value) >= MIN_SECRET_LENGTH}
    return sorted(found, key=len, reverse=True)


def _walk(model: BaseModel) -> Iterator[str]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            yield value.get_secret_value()
        elif isinstance(value, Path) and is_secret_file(model, name):
            yield from _file_secret(value)
        elif name.endswith("_url") and isinstance(value, str):
            password = url_password(value)
            if password:
                yield password
        else:
            yield from _walk_value(value)


def _walk_value(value: object) -> Iterator[str]:
    if isinstance(value, BaseModel):
        yield from _walk(value)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _walk_value(item)


def _file_secret(path: Path) -> Iterator[str]:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return
    if text:
        yield text


class SecretFileUnreadable(NexError):
    code = "secret_unreadable"


def read_secret_file(path: Path, owner: str, key: str) -> str:
    """The secret a ``*_file`` setting names: the file's text without its line break.

    ``owner`` and ``key`` say in the error which setting it is (``webhook 'erp'``,
    ``secret_file``); the error names the file, never its contents.
    """
    try:
        text = path.read_text(encoding="utf-8").strip("\r\n")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise SecretFileUnreadable(
            f"{owner}: cannot read {key} {path}: {reason}; check the path and its permissions"
        ) from None
    if not text:
        raise SecretFileUnreadable(f"{owner}: {key} {path} is empty")
    return text
