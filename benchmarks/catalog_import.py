"""Speed of importing a 100 000-product catalogue from an ERP's CSV and XLSX exports.

Run from the repository root: ``python benchmarks/catalog_import.py [--products N]
[--backend sqlite|postgresql|both] [--no-xlsx]``. Writes the exports an ERP gives: product
groups; N products with realistic Slovak building-material names (the families of
``benchmarks/matching.py``), units, VAT and prices; an EAN for about 80 % of them in a
barcodes export. CSV as Pohoda and Money S3 write it (Windows-1250, ``;``, decimal
commas), the products also as XLSX. Then imports them as ``nex-automat catalog import``
does (``import_file``, one transaction per file) into a fresh database (SQLite in a
temporary folder; PostgreSQL as the tests use it, ``NEX_TEST_POSTGRES_URL``): the groups,
the products into an empty catalogue (inserts), the barcodes, the same products again
with every price changed (updates), and the XLSX export (updates). The figure to meet: a
catalogue of 100 000 products imports in under a minute.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from rich.console import Console
from rich.table import Table

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS.parent))
sys.path.insert(0, str(BENCHMARKS))

from matching import FAMILIES, Catalogue, build_catalogue  # noqa: E402

from nex_automat.catalog.importing import ImportKind, import_file  # noqa: E402
from nex_automat.store.db import Database, open_database  # noqa: E402
from nex_automat.store.tenants import create_tenant  # noqa: E402
from tests.databases import create_postgres_database, drop_postgres_database  # noqa: E402

TENANT = "bench"
TARGET_SECONDS = 60.0
GROUP_NAMES = {
    1: "Cementy a malty",
    2: "Omietky",
    3: "Obklady, dlažby a lepidlá",
    4: "Murivo",
    5: "Suchá výstavba",
    6: "Spojovací materiál",
    7: "Farby",
    8: "Izolácie",
    9: "Kanalizácia a voda",
    10: "Betonárska oceľ",
}
PRODUCT_HEADER = ("PLU", "Názov", "MJ", "DPH", "Skupina", "Nákupná cena", "Predajná cena")


@dataclass(frozen=True, slots=True)
class Exports:
    groups: Path
    products: Path
    barcodes: Path
    repriced: Path
    workbook: Path | None


def _money(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterator[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="cp1250", newline="", errors="replace") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _product_rows(catalogue: Catalogue, rng: random.Random, uplift: Decimal) -> Iterator[tuple]:
    for product in catalogue.products:
        purchase = Decimal(rng.randrange(10, 20_000)) / 100 * uplift
        sale = purchase * Decimal("1.25")
        yield (
            product.code,
            product.name,
            product.unit or "ks",
            "23",
            f"G{product.group_id:02d}",
            _money(purchase),
            _money(sale),
        )


def write_exports(folder: Path, count: int, *, xlsx: bool, seed: int) -> Exports:
    rng = random.Random(seed)
    catalogue = build_catalogue(count, rng)
    groups = _write_csv(
        folder / "skupiny.csv",
        ("Kód", "Názov", "Marža"),
        ((f"G{gid:02d}", name, "25") for gid, name in GROUP_NAMES.items()),
    )
    products = _write_csv(
        folder / "produkty.csv", PRODUCT_HEADER, _product_rows(catalogue, rng, Decimal(1))
    )
    codes = {product.id: product.code for product in catalogue.products}
    barcodes = _write_csv(
        folder / "ean.csv",
        ("PLU", "EAN", "Hlavný"),
        ((codes[pid], code, "áno") for pid, code in catalogue.barcodes.items()),
    )
    repriced = _write_csv(
        folder / "produkty-nove-ceny.csv",
        PRODUCT_HEADER,
        _product_rows(catalogue, rng, Decimal("1.04")),
    )
    workbook = None
    if xlsx:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Produkty")
        sheet.append(PRODUCT_HEADER)
        for row in _product_rows(catalogue, rng, Decimal("1.06")):
            sheet.append([*row[:5], float(row[5].replace(",", ".")),
                          float(row[6].replace(",", "."))])  # fmt: skip
        workbook = folder / "produkty.xlsx"
        book.save(workbook)
    assert {family.group_id for family in FAMILIES} <= set(GROUP_NAMES)
    return Exports(groups, products, barcodes, repriced, workbook)


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[Database]:
    url = f"sqlite:///{folder / 'catalog.db'}" if backend == "sqlite" else None
    if url is None:
        url = create_postgres_database()
    db = open_database(url)
    try:
        db.upgrade()
        with db.session() as session:
            create_tenant(session, TENANT, "Benchmark s.r.o.")
        yield db
    finally:
        db.dispose()
        if backend == "postgresql":
            drop_postgres_database(url)


def timed_import(db: Database, path: Path, kind: ImportKind) -> tuple[int, float]:
    """Rows written and wall seconds, commit included."""
    started = time.perf_counter()
    with db.tenant_session(TENANT) as session:
        report = import_file(session, path, kind)
    seconds = time.perf_counter() - started
    if report.errors:
        raise SystemExit(f"{path.name}: {len(report.errors)} bad rows, first {report.errors[0]}")
    return report.rows_written, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--no-xlsx", action="store_true", help="Leave out the XLSX import.")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    console = Console()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    table = Table(title=f"Importing a catalogue of {args.products} products")
    for column in ("database", "export", "rows", "seconds", "rows / s", "target < 60 s"):
        table.add_column(column, justify="left" if column in {"database", "export"} else "right")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        exports = write_exports(folder, args.products, xlsx=not args.no_xlsx, seed=args.seed)
        console.print(f"exports written in {time.perf_counter() - started:.1f} s")
        steps = [
            ("groups CSV", exports.groups, ImportKind.GROUPS, False),
            ("products CSV, new", exports.products, ImportKind.PRODUCTS, True),
            ("barcodes CSV", exports.barcodes, ImportKind.BARCODES, False),
            ("products CSV, prices changed", exports.repriced, ImportKind.PRODUCTS, True),
        ]
        if exports.workbook is not None:
            steps.append(("products XLSX, prices changed", exports.workbook,
                          ImportKind.PRODUCTS, True))  # fmt: skip
        for backend in backends:
            with fresh_database(backend, folder) as db:
                for label, path, kind, judged in steps:
                    rows, seconds = timed_import(db, path, kind)
                    verdict = ""
                    if judged:
                        met = seconds < TARGET_SECONDS
                        verdict = "[green]met[/green]" if met else "[red]missed[/red]"
                    table.add_row(
                        backend, label, str(rows), f"{seconds:.1f}", f"{rows / seconds:,.0f}",
                        verdict,
                    )  # fmt: skip
                    console.print(f"{backend}: {label}: {rows} rows in {seconds:.1f} s")
    console.print(table)


if __name__ == "__main__":
    main()
