"""The HTTP API: ``create_app(services)`` gives the FastAPI application.

The app only answers requests; the running service (database, files, intake, worker
pool) is built by :func:`nex_automat.pipeline.services.build_services` and handed in, so
the same app serves in ``nex-automat serve`` and in tests, and whoever built the services
starts and stops their workers.
"""

from __future__ import annotations

from fastapi import FastAPI

from nex_automat import __version__
from nex_automat.pipeline.services import Services
from nex_automat.web import api_documents, api_exports, api_invoices, health, metrics, n8n
from nex_automat.web.errors import install_error_handlers
from nex_automat.web.limits import BodyLimit, BodyLimits
from nex_automat.web.rate_limits import ApiRateLimits
from nex_automat.web.security_headers import SecurityHeaders
from nex_automat.web.tracking import RequestTracking
from nex_automat.web.ui import mount_ui

DESCRIPTION = """\
Supplier invoices in, checked structured data out.

Send documents with `POST /invoice` (base64 JSON, as the n8n workflow does) or
`POST /api/v1/documents` (multipart); read the results under `/api/v1/invoices`.
Every call except `/health`, `/ready` and `/metrics` needs an API key in the `X-API-Key` header
(`nex-automat apikey create`). Every error is JSON `{"error": {"code", "message"}}`.
"""


def create_app(services: Services) -> FastAPI:
    app = FastAPI(title="NEX Automat", version=__version__, description=DESCRIPTION)
    app.state.services = services
    settings = services.settings
    app.state.api_rate_limits = ApiRateLimits(settings)
    limits = BodyLimits(upload_max_bytes=services.settings.upload_max_bytes)
    for router in (
        health.router,
        metrics.router,
        n8n.router,
        api_documents.router,
        api_invoices.router,
        api_exports.router,
    ):
        app.include_router(router)
    mount_ui(app)
    install_error_handlers(app)
    app.add_middleware(BodyLimit, limit_for=limits.for_path)
    app.add_middleware(SecurityHeaders, https=settings.secure_cookies)
    app.add_middleware(RequestTracking, observer=services.metrics)
    return app
