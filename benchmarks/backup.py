"""Time and size of a backup, its check and its restore, with 10 000 invoices and documents.

Run from the repository root: ``python benchmarks/backup.py [--count N] [--added M]
[--database postgresql|sqlite]``. Builds a fresh installation (PostgreSQL from
``NEX_TEST_POSTGRES_URL`` as the tests do, or SQLite), seeds N processed invoices of 1–8
lines each with their documents on disk (four in five text PDFs of 20–80 kB, one in five
scans of 150–600 kB, each with its 5–12 kB ISDOC), then measures:

1. the first (full) backup, as ``nex-automat backup create`` takes it;
2. ``verify``: every checksum, and the database read back (PostgreSQL: a scratch restore);
3. a restore into a new empty database and data folder, checked as ``restore`` checks it;
4. the nightly backup after M more invoices came in: only their files are copied.

Documents are random bytes (as incompressible as real PDFs and scans), rows are inserted
directly: nothing is OCR'd, only the backup is measured. Everything is removed at the end.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nex_automat.ops.backup.catalogue import load_set
from nex_automat.ops.backup.layout import BackupFolder
from nex_automat.ops.backup.manifest import BackupKind, Manifest
from nex_automat.ops.backup.restore import restore_backup
from nex_automat.ops.backup.runs import take_backup
from nex_automat.ops.backup.verify import verify_backup
from nex_automat.ops.config import Settings, load_settings
from nex_automat.store.db import Database, open_database
from nex_automat.store.files import DocumentFiles, TenantFiles
from nex_automat.store.models import Document, InvoiceLine, InvoiceRecord
from nex_automat.store.tenants import create_tenant
from tests.ops.backup.sites import database_for

TENANT = "bench"
BATCH = 500
CENT = Decimal("0.01")
T = TypeVar("T")


@dataclass(frozen=True)
class Measured:
    step: str
    seconds: float
    detail: str


def timed(step: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


def settings_for(data_dir: Path, url: str, backups: Path) -> Settings:
    return load_settings(data_dir, database_url=url, backup={"dir": backups})


# ----------------------------------------------------------------------------- seeding


def document_bytes(rng: random.Random) -> bytes:
    """A PDF's worth of incompressible bytes: mostly text PDFs, some scans."""
    size = rng.randint(150_000, 600_000) if rng.random() < 0.2 else rng.randint(20_000, 80_000)
    return b"%PDF-1.7\n" + rng.randbytes(size)


def isdoc_bytes(rng: random.Random, number: str) -> bytes:
    lines = "".join(
        f"<InvoiceLine><ID>{n}</ID><Note>Cement CEM II 32,5 R 25 kg</Note>"
        f"<LineExtensionAmount>{rng.randint(1, 99999) / 100:.2f}</LineExtensionAmount>"
        "</InvoiceLine>"
        for n in range(rng.randint(40, 110))
    )
    return f'<?xml version="1.0"?><Invoice><ID>{number}</ID>{lines}</Invoice>'.encode()


def rows_for(
    rng: random.Random, sha256: str, size: int, moment: datetime
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    document_id, invoice_id = str(uuid.uuid4()), str(uuid.uuid4())
    number = f"{moment.year}{rng.randint(1, 999_999):06d}"
    document = {
        "id": document_id, "tenant_id": TENANT, "sha256": sha256, "size": size,
        "filename": f"faktura-{number}.pdf", "media_type": "application/pdf",
        "source": "mailbox", "state": "processed", "sender": "fakturacia@dodavatel.sk",
        "subject": f"Faktúra {number}", "received_at": moment, "created_at": moment,
        "updated_at": moment,
    }  # fmt: skip
    lines = []
    for position in range(1, rng.randint(1, 8) + 1):
        quantity = Decimal(rng.randint(1, 400))
        price = (Decimal(rng.randint(5, 250_000)) / 100).quantize(CENT)
        net = (quantity * price).quantize(CENT)
        vat = (net * 23 / 100).quantize(CENT)
        lines.append(
            {"tenant_id": TENANT, "invoice_id": invoice_id, "position": position,
             "description": "Pórobetónová tvárnica P2-400", "seller_code": f"P{position:05d}",
             "quantity": quantity, "unit": "ks", "unit_price": price,
             "vat_rate": Decimal(23), "net_amount": net, "vat_amount": vat,
             "gross_amount": net + vat}
        )  # fmt: skip
    net = sum((line["net_amount"] for line in lines), Decimal(0))
    vat = sum((line["vat_amount"] for line in lines), Decimal(0))
    invoice = {
        "id": invoice_id, "tenant_id": TENANT, "document_id": document_id,
        "status": "needs_review", "method": "text", "document_type": "invoice",
        "number": number, "issue_date": moment.date(), "due_date": moment.date(),
        "currency": "EUR", "supplier_name": "Stavebniny Žilina s.r.o.",
        "supplier_ico": "36123456", "total_net": net, "total_vat": vat,
        "total_gross": net + vat, "amount_due": net + vat, "created_at": moment,
        "updated_at": moment,
    }  # fmt: skip
    return document, invoice, lines


def seed(db: Database, files: TenantFiles, count: int, rng: random.Random, start: int) -> None:
    """``count`` processed invoices with their PDF and ISDOC on disk."""
    first = datetime(2025, 1, 1, 8, tzinfo=UTC)
    documents: list[dict[str, Any]] = []
    invoices: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for index in range(start, start + count):
        pdf = document_bytes(rng)
        sha256 = files.put(pdf)
        moment = first + timedelta(minutes=17 * index)
        document, invoice, invoice_lines = rows_for(rng, sha256, len(pdf), moment)
        files.put_derived(sha256, ".isdoc.xml", isdoc_bytes(rng, str(invoice["number"])))
        documents.append(document)
        invoices.append(invoice)
        lines.extend(invoice_lines)
        if len(documents) == BATCH or index == start + count - 1:
            with db.engine.begin() as connection:
                connection.execute(Document.__table__.insert(), documents)
                connection.execute(InvoiceRecord.__table__.insert(), invoices)
                connection.execute(InvoiceLine.__table__.insert(), lines)
            documents, invoices, lines = [], [], []


# --------------------------------------------------------------------------- measuring


def size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def back_up(settings: Settings) -> Manifest:
    db = open_database(settings.effective_database_url())
    try:
        return take_backup(settings, db, kind=BackupKind.SCHEDULED)
    finally:
        db.dispose()


def run(kind: str, count: int, added: int, console: Console) -> list[Measured]:
    rng = random.Random(20261130)
    measured: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="nex-backup-bench-") as scratch:
        root = Path(scratch)
        backups = root / "backups"
        with database_for(kind, root / "data") as url:
            settings = settings_for(root / "data", url, backups)
            db = open_database(url)
            db.upgrade()
            with db.session() as session:
                create_tenant(session, TENANT, "Benchmark s.r.o.")
            files = DocumentFiles(settings.documents_dir).tenant(TENANT)
            _, seconds = timed(lambda: seed(db, files, count, rng, 0))
            console.print(
                f"seeded {count} invoices, {size(folder_bytes(settings.documents_dir))} "
                f"of documents, in {seconds:.0f} s"
            )

            full, seconds = timed(lambda: back_up(settings))
            on_disk = folder_bytes(backups)
            measured.append(
                Measured(
                    "full backup",
                    seconds,
                    f"{full.document_count} files, set {size(full.total_bytes)}, "
                    f"database part {size(full.database.size)}, on disk {size(on_disk)}",
                )
            )

            report, seconds = timed(lambda: verify_backup(settings, full.id))
            assert report.ok, report.findings
            measured.append(
                Measured(
                    "verify", seconds, f"{report.documents_checked} files hashed, DB read back"
                )
            )

            with database_for(kind, root / "restored") as target_url:
                target = settings_for(root / "restored", target_url, backups)
                manifest = load_set(backups, full.id)
                restored, seconds = timed(lambda: restore_backup(target, manifest))
                assert restored.problems == [], restored.problems
                measured.append(
                    Measured(
                        "restore",
                        seconds,
                        f"{restored.documents} files, {size(restored.document_bytes)}, "
                        "rows checked",
                    )
                )

            seed(db, files, added, rng, count)
            db.dispose()
            nightly, seconds = timed(lambda: back_up(settings))
            measured.append(
                Measured(
                    f"nightly after {added} more",
                    seconds,
                    f"{nightly.new_blobs} new files copied, {size(nightly.new_bytes)}; "
                    f"backup folder grew by {size(folder_bytes(backups) - on_disk)}",
                )
            )
            shutil.rmtree(BackupFolder(backups).root, ignore_errors=True)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--added", type=int, default=100)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    options = parser.parse_args()
    console = Console()
    measured = run(options.database, options.count, options.added, console)
    table = Table(title=f"Backup of {options.count} invoices ({options.database})")
    table.add_column("step")
    table.add_column("seconds", justify="right")
    table.add_column("what")
    for item in measured:
        table.add_row(item.step, f"{item.seconds:.1f}", item.detail)
    console.print(table)


if __name__ == "__main__":
    main()
