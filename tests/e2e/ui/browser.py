"""Shared pieces of the browser tests: Debian's Chromium, screenshots, users' password."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.conftest import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
DOC_IMAGES = REPO_ROOT / "docs" / "images"
PASSWORD = "correct horse battery"


def publish(shot: Path, name: str) -> None:
    """Refresh the README's copy of a screenshot, only when asked (NEX_UPDATE_DOC_IMAGES=1).

    The committed images change only on purpose, so a test run leaves the work tree clean.
    """
    if os.environ.get("NEX_UPDATE_DOC_IMAGES") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, DOC_IMAGES / name)
