"""What a connector is given to deliver, and how it says that it could not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from nex_automat.catalog.handover import Handover
from nex_automat.catalog.handover_files import ExportFile
from nex_automat.errors import NexError


class DeliveryError(NexError):
    """A try failed in a way a later try may not (the folder unreachable, an HTTP error)."""

    code = "delivery_failed"


@dataclass(frozen=True, slots=True)
class Parcel:
    """One delivery's documents, rendered in its format."""

    handover: Handover
    files: Sequence[ExportFile]
    key: str
    """The same on every try of one delivery of one approval, so a receiver that got a
    try whose answer was lost can tell the next try is the same hand-over."""


class Connector(Protocol):
    def deliver(self, parcel: Parcel) -> str:
        """Deliver the parcel; returns where it went. Raises :class:`DeliveryError`."""
        ...
