"""Liveness and readiness, for load balancers and service managers (no API key needed).

``/health`` answers as long as the process serves requests. ``/ready`` says whether it can
do its job: the database answers a query and the data directory accepts a new file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from nex_automat.store.db import Database
from nex_automat.web.deps import services_of
from nex_automat.web.errors import error_body

router = APIRouter(tags=["health"])


def check_database(db: Database) -> str | None:
    """``None`` when the database answers, else what went wrong."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return None


def check_writable(folder: Path) -> str | None:
    """``None`` when a file can be created (and synced) in ``folder``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ready-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return f"{folder} is not writable: {error.strerror or error}"
    return None


@router.get("/health", summary="The process is alive")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="The database and document storage are usable",
    responses={503: {"description": "Not ready; `checks` says what failed"}},
)
def ready(request: Request) -> JSONResponse:
    services = services_of(request)
    problems = {
        "database": check_database(services.db),
        "storage": check_writable(services.files.root),
    }
    checks: dict[str, Any] = {
        name: {"ok": problem is None, "error": problem} for name, problem in problems.items()
    }
    failed = [name for name, problem in problems.items() if problem is not None]
    if not failed:
        return JSONResponse({"status": "ready", "checks": checks})
    body = error_body("not_ready", f"not ready: {', '.join(failed)} unusable")
    return JSONResponse({"status": "not_ready", "checks": checks, **body}, status_code=503)
