"""``/metrics`` for Prometheus: no API key, but only for the networks the settings allow.

The numbers themselves are in :mod:`nex_automat.ops.metrics`. The client address is the
one the connection comes from; behind a reverse proxy that is the proxy, so either list
the proxy's address or keep ``/metrics`` away from the proxy.
"""

from __future__ import annotations

from ipaddress import ip_address

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from nex_automat.web.deps import services_of
from nex_automat.web.errors import ApiError

router = APIRouter(tags=["health"])


def client_allowed(request: Request) -> bool:
    """Whether the caller's address is in ``metrics.allow_networks`` (empty: everyone)."""
    networks = services_of(request).settings.metrics.allow_networks
    if not networks:
        return True
    if request.client is None:
        return False
    try:
        address = ip_address(request.client.host)
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address.version == net.version and address in net for net in networks)


@router.get(
    "/metrics",
    summary="Metrics in the Prometheus text format",
    response_class=Response,
    responses={403: {"description": "The caller's network is not allowed to scrape"}},
)
def metrics(request: Request) -> Response:
    if not client_allowed(request):
        raise ApiError(403, "forbidden", "metrics are not served to this network")
    body = services_of(request).metrics.exposition()
    return Response(body, media_type=CONTENT_TYPE_LATEST)
