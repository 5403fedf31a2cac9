"""Fixtures shared by every test room."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    assert SHARED.is_dir(), f"the shared material is expected at {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def contract_schema(shared_dir: Path) -> dict[str, Any]:
    return json.loads((shared_dir / "contract" / "extract-result.schema.json").read_text())
