"""API keys: the ``X-API-Key`` header names the tenant every request acts for.

The key is checked by :func:`nex_automat.store.apikeys.authenticate` (hash compared in
constant time). A missing and a wrong key get the same answer, so the answer tells an
attacker nothing about which keys exist. A live key's requests are then paced by its
token bucket (:mod:`nex_automat.web.rate_limits`): beyond it, ``429`` with ``Retry-After``.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from nex_automat.store.apikeys import authenticate
from nex_automat.web.deps import services_of
from nex_automat.web.errors import ApiError
from nex_automat.web.rate_limits import ApiRateLimits

API_KEY_HEADER = "X-API-Key"

api_key_scheme = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    scheme_name="ApiKey",
    description="A key from `nex-automat apikey create`; it decides the tenant.",
)


def unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        f"a valid API key is required in the {API_KEY_HEADER} header",
        headers={"WWW-Authenticate": API_KEY_HEADER},
    )


def current_tenant(
    request: Request, api_key: Annotated[str | None, Security(api_key_scheme)] = None
) -> str:
    """The tenant of the request's API key; 401 without a live one."""
    if not api_key:
        raise unauthorized()
    with services_of(request).db.session() as session:
        record = authenticate(session, api_key)
        tenant_id, key_id = (None, None) if record is None else (record.tenant_id, record.id)
    if tenant_id is None:
        raise unauthorized()
    wait = rate_limits_of(request).take(tenant_id, f"api-key:{key_id}")
    if wait is not None:
        raise too_many_requests(wait)
    request.state.tenant_id = tenant_id
    return tenant_id


def rate_limits_of(request: Request) -> ApiRateLimits:
    return request.app.state.api_rate_limits  # type: ignore[no-any-return]


def too_many_requests(wait: float) -> ApiError:
    seconds = max(1, math.ceil(wait))
    return ApiError(
        429,
        "too_many_requests",
        f"this API key made more requests than its rate allows; retry in {seconds} s",
        headers={"Retry-After": str(seconds)},
        retry_after_seconds=seconds,
    )


Tenant = Annotated[str, Depends(current_tenant)]
"""A route parameter holding the authenticated tenant's id."""
