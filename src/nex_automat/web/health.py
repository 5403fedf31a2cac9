"""Liveness and readiness, for load balancers, service managers and monitoring (no API key).

``/health`` answers as long as the process serves requests. ``/ready`` runs the checks of
:mod:`nex_automat.ops.readiness`: 503 ``not_ready`` when the service cannot take and keep
documents (database, storage, free disk), 200 ``degraded`` when it can but something needs
attention (queue backlog, a mailbox not polled, the backup failing or stale), 200
``ready`` otherwise. Each check says what is wrong and the figures behind it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from nex_automat.ops.readiness import assess, overall_status
from nex_automat.web.deps import services_of
from nex_automat.web.errors import error_body

router = APIRouter(tags=["health"])


@router.get("/health", summary="The process is alive")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/ready",
    summary="Whether the service can take and keep documents, and what needs attention",
    responses={503: {"description": "Not ready; `checks` says what failed"}},
)
def ready(request: Request) -> JSONResponse:
    checks = assess(services_of(request))
    status = overall_status(checks)
    body = {"status": status, "checks": {check.name: check.as_json() for check in checks}}
    if status != "not_ready":
        return JSONResponse(body)
    failed = [check.name for check in checks if check.critical and not check.ok]
    error = error_body("not_ready", f"not ready: {', '.join(failed)} unusable")
    return JSONResponse({**body, **error}, status_code=503)
