"""Strings of the admin pages; merged into the workspace catalogues by ``i18n``."""

from __future__ import annotations

SK: dict[str, str] = {}
EN: dict[str, str] = {}
