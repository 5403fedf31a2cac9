"""The processing queue in the workspace, for administrators.

- ``GET /admin/queue?show=waiting|failed|all`` — the tenant's jobs by state with their
  counts: waiting (queued or running) by default, then the ones that failed for good.
  Running jobs show the worker (``role:host:pid``) holding them, retried ones their last
  error and when they are due again; above them, the processing capacity at hand: worker
  processes alive on every machine and this service's own worker threads.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nex_automat.store.jobs import count_jobs, list_jobs, live_worker_processes
from nex_automat.store.models import JobState
from nex_automat.web.deps import services_of
from nex_automat.web.ui.rendering import render
from nex_automat.web.ui.roles import Permission, requires
from nex_automat.web.ui.sessions import SignedIn

router = APIRouter(include_in_schema=False)

Admin = Annotated[SignedIn, Depends(requires(Permission.ADMIN))]

FILTERS: dict[str, tuple[JobState, ...]] = {
    "waiting": (JobState.QUEUED, JobState.RUNNING),
    "failed": (JobState.FAILED,),
    "all": (),
}
"""``?show=`` values and the states each lists; the first is the default."""


@router.get("/admin/queue", response_class=HTMLResponse)
def queue_page(request: Request, user: Admin, show: str = "waiting") -> Response:
    if show not in FILTERS:
        show = next(iter(FILTERS))
    services = services_of(request)
    settings = services.settings
    capacity = {
        "processes": live_worker_processes(services.db, settings.worker_stalled_after),
        "threads": settings.service_worker_threads,
    }
    with services.db.tenant_session(user.tenant_id) as session:
        counts = count_jobs(session)
        rows = list_jobs(session, states=FILTERS[show])
        return render(
            request,
            "admin_queue.html",
            user=user,
            rows=rows,
            show=show,
            filters=FILTERS,
            counts={state.value: counts.get(state, 0) for state in JobState},
            capacity=capacity,
        )
