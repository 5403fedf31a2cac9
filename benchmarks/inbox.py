"""Speed of the review inbox with 100 000 invoices in PostgreSQL, measured in one run.

Run from the repository root: ``python benchmarks/inbox.py [--count N] [--samples S]``.
Creates a fresh PostgreSQL database (``NEX_TEST_POSTGRES_URL``, as the tests do), seeds
N invoices of one tenant with COPY (200 suppliers, every status, two years of dates,
amounts from cents to tens of thousands, 1–8 lines each with building-material
descriptions, some with warnings), serves the app with uvicorn on a free port, signs in
as an operator and measures p50/p95 of the inbox list (default, one status, sorted by
amount, page 50 through the cursor) and of search (invoice number, supplier, line text).

The baseline is ``GET /health`` measured in the same run over the same connection: the
cost of the server and HTTP alone. The target is under 300 ms for every page.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import psycopg
import uvicorn
from rich.console import Console
from rich.table import Table
from sqlalchemy import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nex_automat.ops.config import load_settings
from nex_automat.pipeline.services import build_services
from nex_automat.store.db import open_database
from nex_automat.store.models import InvoiceStatus, Role
from nex_automat.store.tenants import create_tenant
from nex_automat.store.users import create_user
from nex_automat.web.app import create_app
from tests.databases import create_postgres_database, drop_postgres_database
from tests.e2e.installation import free_port

TENANT = "bench"
USERNAME = "bench-operator"
PASSWORD = "benchmark password 1"
TARGET_MS = 300.0
WARM_UP = 3

STATUS_WEIGHTS: dict[InvoiceStatus, int] = {
    InvoiceStatus.NEW: 8,
    InvoiceStatus.NEEDS_REVIEW: 30,
    InvoiceStatus.APPROVED: 35,
    InvoiceStatus.EXPORTED: 18,
    InvoiceStatus.REJECTED: 4,
    InvoiceStatus.DUPLICATE: 3,
    InvoiceStatus.FAILED: 2,
}
NAME_PARTS = (
    ("Stavebniny", "Drevo", "Kovo", "Elektro", "Farby", "Izolácie", "Strechy", "Obklady"),
    ("Žilina", "Martin", "Tatry", "Považie", "Orava", "Nitra", "Morava", "Dunaj", "Sever"),
    ("s.r.o.", "a.s.", "spol. s r.o.", "k.s."),
)
PRODUCTS = (
    "Cement CEM II 32,5 R 25 kg",
    "Piesok 0-4 mm praný",
    "Tehla plná CP 290x140x65",
    "Pórobetónová tvárnica P2-400",
    "Sadrokartón GKB 12,5 mm",
    "Minerálna vlna 100 mm",
    "Polystyrén EPS 70F 50 mm",
    "Lepidlo na obklady C1T",
    "Penetrácia hĺbková 5 l",
    "Omietka vápennocementová",
    "Kari sieť 150x150x6",
    "Betonárska oceľ R10",
    "Strešná latka 40x60",
    "Fólia paropriepustná",
    "Dlažba keramická 30x30",
    "Skrutky do dreva 5x60",
    "Hydroizolačná stierka",
    "Odvodňovací žľab",
)
VARIANTS = ("", "sivý", "biely", "EXTRA", "Premium")
UNITS = ("ks", "kg", "m", "m2", "bal", "t", "vrece")
VAT_RATES = (Decimal(23), Decimal(23), Decimal(23), Decimal(19), Decimal(5))


@dataclass(frozen=True)
class Supplier:
    name: str
    ico: str
    vat_id: str


def suppliers(rng: random.Random, count: int = 200) -> list[Supplier]:
    made: list[Supplier] = []
    for index in range(count):
        first, place, form = (rng.choice(parts) for parts in NAME_PARTS)
        ico = f"{36000000 + index * 7919:08d}"
        made.append(Supplier(f"{first} {place} {index:03d} {form}", ico, f"SK20{ico}"))
    return made


# ----------------------------------------------------------------------------- seeding

DOCUMENT_COLUMNS = (
    "id, tenant_id, sha256, filename, media_type, size, source, state, created_at, updated_at"
)
INVOICE_COLUMNS = (
    "id, tenant_id, document_id, status, method, document_type, number, issue_date, "
    "tax_point_date, due_date, currency, variable_symbol, supplier_name, supplier_ico, "
    "supplier_vat_id, customer_name, total_net, total_vat, total_gross, amount_due, "
    "vat_breakdown, allowances_charges, warnings, provenance, created_at, updated_at"
)
LINE_COLUMNS = (
    "tenant_id, invoice_id, position, description, seller_code, quantity, unit, unit_price, "
    "vat_rate, net_amount, vat_amount, gross_amount, edits"
)
CENT = Decimal("0.01")


def _lines(rng: random.Random, invoice_id: str) -> Iterator[tuple[object, ...]]:
    for position in range(1, rng.randint(1, 8) + 1):
        quantity = Decimal(rng.randint(1, 400)) / (10 if rng.random() < 0.3 else 1)
        price = (Decimal(rng.randint(5, 250_000)) / 100).quantize(CENT)
        rate = rng.choice(VAT_RATES)
        net = (quantity * price).quantize(CENT)
        vat = (net * rate / 100).quantize(CENT)
        yield (
            TENANT,
            invoice_id,
            position,
            f"{rng.choice(PRODUCTS)} {rng.choice(VARIANTS)}".strip(),
            f"P{rng.randint(1, 99999):05d}",
            quantity,
            rng.choice(UNITS),
            price,
            rate,
            net,
            vat,
            net + vat,
            "{}",
        )


def seed(url: str, count: int, console: Console) -> list[str]:
    """``count`` invoices with documents and lines, by COPY; returns the invoice numbers."""
    rng = random.Random(20261201)
    firms = suppliers(rng)
    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    numbers: list[str] = []
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    began = time.perf_counter()
    with psycopg.connect(conninfo) as connection, connection.cursor() as cursor:
        documents: list[tuple[object, ...]] = []
        invoices: list[tuple[object, ...]] = []
        lines: list[tuple[object, ...]] = []
        for index in range(count):
            firm = rng.choice(firms)
            received = start + timedelta(seconds=index * 600 + rng.randint(0, 599))
            issued = (received - timedelta(days=rng.randint(0, 10))).date()
            document_id, invoice_id = str(uuid.uuid4()), str(uuid.uuid4())
            number = f"{issued.year}{rng.randint(1, 999_999):06d}"
            numbers.append(number)
            documents.append(
                (document_id, TENANT, f"{index:064x}", f"faktura-{number}.pdf",
                 "application/pdf", rng.randint(20_000, 900_000), "mailbox", "processed",
                 received, received)
            )  # fmt: skip
            invoice_lines = list(_lines(rng, invoice_id))
            lines.extend(invoice_lines)
            net = sum((line[9] for line in invoice_lines), Decimal(0))
            vat = sum((line[10] for line in invoice_lines), Decimal(0))
            warnings = (
                [{"code": "total_mismatch", "message": "Súčet nesedí", "field": "total_net"}]
                if rng.random() < 0.2
                else []
            )
            invoices.append(
                (invoice_id, TENANT, document_id, rng.choices(statuses, weights)[0], "text",
                 "invoice", number, issued, issued, issued + timedelta(days=14), "EUR", number,
                 firm.name, firm.ico, firm.vat_id, "Odberateľ a.s.", net, vat, net + vat,
                 net + vat, "[]", "[]", json.dumps(warnings), "{}", received, received)
            )  # fmt: skip
            if len(invoices) == 5000 or index == count - 1:
                _copy(cursor, "documents", DOCUMENT_COLUMNS, documents)
                _copy(cursor, "invoices", INVOICE_COLUMNS, invoices)
                _copy(cursor, "invoice_lines", LINE_COLUMNS, lines)
                documents, invoices, lines = [], [], []
                console.print(f"  seeded {index + 1:,} invoices", end="\r")
        connection.commit()
        cursor.execute("ANALYZE")
    console.print(f"seeded {count:,} invoices in {time.perf_counter() - began:.0f} s")
    return numbers


def _copy(
    cursor: psycopg.Cursor[tuple[object, ...]],
    table: str,
    columns: str,
    rows: list[tuple[object, ...]],
) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# ---------------------------------------------------------------------------- serving


class Served:
    """The real app under uvicorn in a thread of this process."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.services = build_services(load_settings(data_dir, database_url=url, workers=1))
        self.port = free_port()
        config = uvicorn.Config(
            create_app(self.services), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.services.close()


def sign_in(client: httpx.Client) -> None:
    form = client.get("/login").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert found, "no sign-in form"
    answer = client.post(
        "/login", data={"username": USERNAME, "password": PASSWORD, "csrf_token": found[1]}
    )
    assert answer.status_code == 303, answer.text


def page_url(client: httpx.Client, first: str, page: int) -> str:
    """The URL of page ``page`` of the list at ``first``, by following "next" links."""
    url = first
    for _ in range(page - 1):
        found = re.search(r'href="([^"]+)" rel="next"', client.get(url).text)
        assert found, f"the list ends before page {page}"
        url = found[1].replace("&amp;", "&")
    return url


@dataclass
class Case:
    name: str
    url: str
    latencies: list[float]
    rows: int = 0

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def measure(client: httpx.Client, name: str, url: str, samples: int) -> Case:
    for _ in range(WARM_UP):
        client.get(url)
    latencies: list[float] = []
    rows = 0
    for _ in range(samples):
        began = time.perf_counter()
        answer = client.get(url)
        latencies.append(time.perf_counter() - began)
        assert answer.status_code == 200, (url, answer.status_code)
        rows = answer.text.count('<tr data-href="')
    return Case(name, url, latencies, rows)


def report(console: Console, cases: list[Case], count: int) -> bool:
    baseline = cases[0].percentile(50)
    table = Table(
        title=f"Inbox with {count:,} invoices in PostgreSQL (target p95 < {TARGET_MS:.0f} ms)"
    )
    for heading in ("page", "rows", "p50 ms", "p95 ms", "p50 / baseline", "target"):
        table.add_column(heading, justify="left" if heading == "page" else "right")
    within = True
    for case in cases:
        ok = case.percentile(95) < TARGET_MS
        within = within and ok
        table.add_row(
            case.name,
            str(case.rows) if case.name != "baseline: GET /health" else "",
            f"{case.percentile(50):.1f}",
            f"{case.percentile(95):.1f}",
            f"{case.percentile(50) / baseline:.1f}×",
            "[green]ok[/]" if ok else "[red]slow[/]",
        )
    console.print(table)
    return within


def run(count: int, samples: int) -> bool:
    console = Console()
    url = create_postgres_database()
    try:
        db = open_database(url)
        db.upgrade()
        with db.session() as session:
            create_tenant(session, TENANT, "Benchmark s.r.o.")
            create_user(
                session, tenant_id=TENANT, username=USERNAME, password=PASSWORD, role=Role.OPERATOR
            )
        db.dispose()
        numbers = seed(url, count, console)
        with (
            tempfile.TemporaryDirectory() as data_dir,
            Served(url, Path(data_dir)) as base,
            httpx.Client(base_url=base, timeout=60) as client,
        ):
            sign_in(client)
            number = numbers[len(numbers) // 3]
            cases = [
                ("baseline: GET /health", "/health"),
                ("inbox, default", "/invoices"),
                ("inbox, status needs review", "/invoices?status=needs_review"),
                ("inbox, sorted by amount", "/invoices?sort=total"),
                ("inbox, page 50 (cursor)", page_url(client, "/invoices", 50)),
                (
                    "inbox, page 50 sorted by amount",
                    page_url(client, "/invoices?sort=total", 50),
                ),
                ("search: invoice number", f"/invoices?q={number}"),
                ("search: supplier", "/invoices?supplier=Orava"),
                ("search: line text (common)", "/invoices?q=cement"),
                ("search: line text (rare)", "/invoices?q=nenájdený+tovar"),
            ]
            measured = [measure(client, name, path, samples) for name, path in cases]
        return report(console, measured, count)
    finally:
        drop_postgres_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=40)
    arguments = parser.parse_args()
    sys.exit(0 if run(arguments.count, arguments.samples) else 1)


if __name__ == "__main__":
    main()
