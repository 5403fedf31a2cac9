"""Every error the API answers is JSON ``{"error": {"code": ..., "message": ...}}``.

Clients branch on ``code``, which is stable; the message is for people. Errors raised by
the layers below (:class:`NexError`) are mapped by their code to an HTTP status here, so
the layers below know nothing of HTTP. An unexpected exception is logged with its
traceback and answered as ``internal_error`` without any detail of it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nex_automat.errors import DocumentError, NexError

log = logging.getLogger(__name__)


class ApiError(StarletteHTTPException):
    """An answer other than success, with its stable code.

    It is an ``HTTPException`` so that FastAPI lets it through while reading a request
    body (a body that grows past the limit is refused from inside the read).
    """

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)
        self.code = code
        self.message = message
        self.extra = extra


class ErrorInfo(BaseModel):
    """What went wrong: ``code`` for programs (stable), ``message`` for people."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str


class ErrorAnswer(BaseModel):
    """The body of every error answer."""

    error: ErrorInfo


ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The request cannot be used as it is (`code` says why)",
    401: "`unauthorized`: missing or wrong API key",
    403: "`forbidden`",
    404: "`not_found`: nothing of that id for this API key's tenant",
    413: "`too_large`: larger than the upload limit",
    415: "`unsupported_media_type`: neither a PDF, an e-invoice XML/ISDOCX nor a scan",
    422: "`invalid_request`: the request does not match this schema (`details` lists where)",
    429: "`too_many_requests`: over this API key's request rate; retry after `Retry-After` s",
}


def error_responses(*statuses: int, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for error answers, each with the :class:`ErrorAnswer` body;
    ``descriptions`` (keyed ``e404``) replace the standard text where a route says more."""
    return {
        status: {
            "model": ErrorAnswer,
            "description": descriptions.get(f"e{status}", ERROR_DESCRIPTIONS[status]),
        }
        for status in statuses
    }


API_ERRORS = error_responses(401, 422, 429)
"""What any route behind an API key can answer besides its success."""


NEX_ERRORS: dict[str, tuple[int, str]] = {
    "document_too_large": (413, "too_large"),
    "unsupported_media_type": (415, "unsupported_media_type"),
    "empty_document": (400, "empty_document"),
    "invalid_cursor": (400, "invalid_cursor"),
}
"""Error code from below → (HTTP status, code answered)."""

_HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}
"""Codes for errors Starlette raises itself (unknown route, wrong method)."""


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def error_response(
    status_code: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(
        error_body(code, message, **extra), status_code=status_code, headers=headers
    )


def api_error_for(error: NexError) -> ApiError:
    """The HTTP answer to an error the pipeline or store raised for this request."""
    status_code, code = NEX_ERRORS.get(error.code, (400, error.code))
    return ApiError(status_code, code, error.message)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = getattr(exc, "headers", None)
    if isinstance(exc, ApiError):
        return error_response(exc.status_code, exc.code, exc.message, headers, **exc.extra)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail), headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        {
            "field": ".".join(str(part) for part in problem.get("loc", ())),
            "message": problem.get("msg", "invalid"),
        }
        for problem in exc.errors()
    ]
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:3])
    return error_response(422, "invalid_request", summary or "invalid request", details=details)


async def _nex_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NexError)
    if not isinstance(exc, DocumentError) and exc.code not in NEX_ERRORS:
        return await _unexpected(request, exc)
    error = api_error_for(exc)
    return error_response(error.status_code, error.code, error.message)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "an unexpected error occurred; it was logged")


class InternalErrors:
    """Answers any exception that escapes the routes as ``internal_error`` JSON.

    Starlette's own handler for ``Exception`` answers and then re-raises; this one
    answers and stops, so the server logs the failure once (here) and keeps serving.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            response = await _unexpected(Request(scope, receive), exc)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(NexError, _nex_error)
    app.add_middleware(InternalErrors)
