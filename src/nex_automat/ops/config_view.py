"""The effective settings as YAML, every secret masked, each value with where it came from.

What ``nex-automat config show`` prints: the settings the service would run with after
the config file, the ``NEX_*`` environment and the defaults are merged. Each value is
followed by a comment naming its source (``config file``, the environment variable, or
``default``), so "why does it use port 9000?" has an answer. The output is valid YAML;
with secrets masked it is not a config file to copy back, and says so.

A value is masked when it is a ``SecretStr`` or a string setting named like a secret
(password, secret, token, key), and a database URL shows its password masked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, SecretStr

from nex_automat.ops.config import (
    DATA_DIR_VARIABLE,
    ENV_NESTING,
    ENV_PREFIX,
    Settings,
)
from nex_automat.ops.secrets import MASK, mask_url

DEFAULT = "default"
FILE = "config file"
_SECRET_NAME = re.compile(r"(password|secret|token|(^|_)key)$")

KeyPath = tuple[str, ...]


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


# ------------------------------------------------------------------------------- values


def masked_settings(settings: Settings) -> dict[str, Any]:
    """The settings as plain data (what YAML can hold), every secret replaced by a mask."""
    return _model(settings)


def _model(model: BaseModel) -> dict[str, Any]:
    return {name: _field(name, getattr(model, name)) for name in type(model).model_fields}


def _field(name: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, SecretStr) or (isinstance(value, str) and is_secret_name(name)):
        return MASK
    if name.endswith("_url") and isinstance(value, str):
        return mask_url(value)
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _model(value)
    if isinstance(value, dict):
        return {str(key): _field(str(key), item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, SecretStr):
        return MASK
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


# ------------------------------------------------------------------------------ sources


def file_values(config_file: Path) -> Any:
    """The config file as YAML data; empty when it is missing or not a mapping."""
    try:
        data = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def environment_paths(environ: Mapping[str, str]) -> dict[KeyPath, str]:
    """Setting path → the ``NEX_*`` variable that sets it (or a part above it)."""
    found: dict[KeyPath, str] = {}
    for variable in environ:
        if not variable.startswith(ENV_PREFIX):
            continue
        parts = variable.removeprefix(ENV_PREFIX).lower().split(ENV_NESTING)
        found[tuple(parts)] = variable
    return found


def _in_file(data: Any, path: KeyPath) -> bool:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return False
    return True


class Sources:
    """Where each setting's value came from."""

    def __init__(self, settings: Settings, environ: Mapping[str, str] | None = None) -> None:
        self.environ = dict(os.environ if environ is None else environ)
        self.env = environment_paths(self.environ)
        self.file = file_values(settings.config_file)

    def of(self, path: KeyPath) -> str:
        if path == ("data_dir",):
            return DATA_DIR_VARIABLE if DATA_DIR_VARIABLE in self.environ else "--data-dir"
        for length in range(len(path), 0, -1):
            variable = self.env.get(path[:length])
            if variable is not None:
                return variable
        return FILE if _in_file(self.file, path) else DEFAULT


# ------------------------------------------------------------------------------ output


def _scalar(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000)
    return text.removesuffix("\n...\n").strip()


def _lines(value: Any, path: KeyPath, sources: Sources | None, indent: str) -> list[str]:
    """YAML lines of a mapping at ``indent``, each leaf with its source as a comment."""
    lines: list[str] = []
    for key, item in value.items():
        lines.extend(_entry(f"{indent}{key}:", item, (*path, key), sources, indent))
    return lines


def _entry(head: str, item: Any, path: KeyPath, sources: Sources | None, indent: str) -> list[str]:
    comment = "" if sources is None else f"  # {sources.of(path)}"
    if isinstance(item, dict) and item:
        return [head, *_lines(item, path, sources, indent + "  ")]
    if isinstance(item, list) and any(isinstance(element, dict) for element in item):
        lines = [head]
        for index, element in enumerate(item):
            inner = _lines(element, (*path, str(index)), sources, indent + "    ")
            first = inner[0].lstrip()
            lines.append(f"{indent}  - {first}")
            lines.extend(inner[1:])
        return lines
    return [f"{head} {_scalar(item)}{comment}"]


def render_settings(settings: Settings, *, with_sources: bool = True) -> str:
    """The effective settings as YAML text (see the module docstring)."""
    sources = Sources(settings) if with_sources else None
    header = [
        f"# Effective settings of {settings.data_dir} (config file {settings.config_file}).",
        "# Secrets are masked: this is a view, not a file to copy back.",
    ]
    return "\n".join([*header, *_lines(masked_settings(settings), (), sources, "")]) + "\n"
