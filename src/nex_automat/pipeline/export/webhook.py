"""The webhook: each hand-over POSTed as JSON to an ERP's endpoint, signed.

The request carries:

- ``Content-Type: application/json`` and the hand-over (:func:`~nex_automat.catalog.
  handover_files.handover_json`) as the body;
- ``X-Nex-Timestamp`` — Unix seconds when the request was signed;
- ``X-Nex-Signature`` — ``sha256=`` and the hex HMAC-SHA256, keyed with the connector's
  secret, of the timestamp, a ``.`` and the body bytes. Signing the timestamp with the
  body lets a receiver refuse an old request replayed later;
- ``X-Nex-Delivery`` — the same on every try of one delivery, to recognise a repeat;
- ``X-Nex-Event: invoice.handover``.

Any 2xx answer is success. Anything else — another status, a redirect (never followed:
a redirected POST would lose its body), a refused connection, no answer within the
timeout — fails the try, and the hand-over retries it later. The secret never appears in
a message, and neither does the URL's query or user part.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.request
from http.client import HTTPException
from typing import IO
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit

from nex_automat import __version__
from nex_automat.catalog.handover_files import EVENT
from nex_automat.ops.export_settings import WebhookExportSettings
from nex_automat.ops.secrets import SecretFileUnreadable
from nex_automat.pipeline.export.parcel import DeliveryError, Parcel

SIGNATURE_HEADER = "X-Nex-Signature"
TIMESTAMP_HEADER = "X-Nex-Timestamp"
DELIVERY_HEADER = "X-Nex-Delivery"
EVENT_HEADER = "X-Nex-Event"
SIGNATURE_PREFIX = "sha256="
ANSWER_SHOWN = 200
"""Characters of an error answer's body kept in the delivery's error, to say what was wrong."""


def signature(key: bytes, timestamp: str, body: bytes) -> str:
    """The ``X-Nex-Signature`` value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return SIGNATURE_PREFIX + digest.hexdigest()


def public_url(url: str) -> str:
    """``url`` without a user, password or query, which may hold credentials."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _answer(stream: IO[bytes] | None) -> str:
    if stream is None:
        return ""
    try:
        text = stream.read(ANSWER_SHOWN).decode("utf-8", "replace")
    except (OSError, HTTPException):
        return ""
    return " ".join(text.split())


class Webhook:
    """Posts a parcel's JSON document to the configured URL."""

    def __init__(self, settings: WebhookExportSettings) -> None:
        self.settings = settings

    def deliver(self, parcel: Parcel) -> str:
        """The URL posted to (without query). Raises :class:`DeliveryError`."""
        settings = self.settings
        target = public_url(settings.url)
        try:
            key = settings.signing_key()
        except SecretFileUnreadable as error:
            raise DeliveryError(error.message) from None
        body = parcel.files[0].data
        timestamp = str(int(time.time()))
        request = urllib.request.Request(
            settings.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "User-Agent": f"nex-automat/{__version__}",
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: signature(key, timestamp, body),
                DELIVERY_HEADER: parcel.key,
                EVENT_HEADER: EVENT,
            },
        )
        try:
            with _OPENER.open(request, timeout=settings.timeout_seconds) as response:
                response.read()
        except HTTPError as error:
            answer = _answer(error)
            detail = f": {answer}" if answer else ""
            raise DeliveryError(f"{target} answered HTTP {error.code}{detail}") from None
        except TimeoutError:
            raise DeliveryError(
                f"{target} did not answer within {settings.timeout_seconds:g} s"
            ) from None
        except (URLError, OSError, HTTPException) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise DeliveryError(
                    f"{target} did not answer within {settings.timeout_seconds:g} s"
                ) from None
            raise DeliveryError(f"{target} could not be reached: {reason}") from None
        return target
