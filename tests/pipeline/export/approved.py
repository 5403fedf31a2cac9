"""Approved invoices matched to the seeded catalogue, stored for the hand-over tests.

The lines are :data:`tests.catalog.catalogue.STANDARD_LINES` (two of each): an EAN match
whose price rose from 5.00 to 5.50, a name match at 10.00 less 10 % with a new sale
price, a proposed match at an unchanged price, and a product to create.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from nex_automat.ops.config import load_settings
from nex_automat.pipeline.export.handover import queue_handover
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import Services, build_services
from nex_automat.store.db import Database
from nex_automat.store.invoices import set_status
from nex_automat.store.models import InvoiceRecord, InvoiceStatus
from nex_automat.store.sqltypes import utcnow
from tests.catalog.catalogue import STANDARD_LINES, Seeded, invoice_of, store_invoice

NEW_GROUT = {
    "name": "Škárovacia hmota biela 2 kg",
    "code": "20003",
    "unit": "vrece",
    "vat_rate": "23",
}


def matched_invoice(session: Session, seeded: Seeded, number: str = "FV2024/0815") -> InvoiceRecord:
    """A stored invoice whose lines are tied to the catalogue as a reviewer left them."""
    record = store_invoice(session, invoice_of(*STANDARD_LINES, number=number))
    cement, cement50, lime, grout = record.lines
    cement.product_id, cement.match_method, cement.match_state = seeded.cement25, "ean", "confirmed"
    cement50.product_id, cement50.match_method, cement50.match_state = (
        seeded.cement50,
        "name",
        "confirmed",
    )
    cement50.sale_price = Decimal("12.90")
    lime.product_id, lime.match_method, lime.match_state = seeded.lime, "name", "proposed"
    grout.match_method, grout.match_state = "new_product", "new_product"
    grout.new_product = {**NEW_GROUT, "group_id": seeded.tile_group}
    record.partner_id = seeded.partner
    session.flush()
    return record


def approve(session: Session, record: InvoiceRecord, actor: str = "eva") -> None:
    """What approving does: the status, and the hand-over queued with it."""
    set_status(session, record, InvoiceStatus.APPROVED, actor=actor)
    queue_handover(session, record)


def _tomorrow() -> datetime:
    return utcnow().replace(microsecond=0) + timedelta(days=1)


@dataclass
class Clock:
    """A clock the test moves by hand; it starts a day ahead, so the job queue (on real
    time) leaves the jobs it schedules for later."""

    now: datetime = field(default_factory=_tomorrow)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@contextmanager
def services_exporting(
    database: Database, data_dir: Path, exports: list[dict[str, object]]
) -> Iterator[Services]:
    """The running service's pieces on ``database`` with these connectors configured."""
    url = database.engine.url.render_as_string(hide_password=False)
    built = build_services(load_settings(data_dir, database_url=url, workers=1, exports=exports))
    try:
        yield built
    finally:
        built.close()


def run_jobs(services: Services) -> int:
    """Run every due job, hand-overs included, as the service's workers would."""
    return run_pending(services.queue, services.processor, handlers=services.runner.handlers)
