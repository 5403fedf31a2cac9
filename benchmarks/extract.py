"""Speed of invoice extraction against plain text reading, measured in one run.

Run from the repository root: ``python benchmarks/extract.py [--count N] [--repeat R]``.
Prints the median milliseconds per page of the full NEX Automat extraction (text layer,
layout, generic extractor, checks) next to two baselines on the same files:
pdfplumber's ``extract_text()`` and pypdfium2's plain ``get_text_range()``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nex_automat.extract.document import extract_pdf
from tests.invoicegen import FAMILIES, generate


def nex_automat_extract(data: bytes) -> int:
    return extract_pdf(data).pages


def pdfplumber_text(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def pypdfium2_text(data: bytes) -> int:
    pdf = pypdfium2.PdfDocument(data)
    try:
        for page in pdf:
            text_page = page.get_textpage()
            text_page.get_text_range()
            text_page.close()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


READERS: dict[str, Callable[[bytes], int]] = {
    "nex-automat extract": nex_automat_extract,
    "pdfplumber extract_text": pdfplumber_text,
    "pypdfium2 get_text_range": pypdfium2_text,
}


def ms_per_page(reader: Callable[[bytes], int], documents: list[bytes], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        for data in documents:
            start = time.perf_counter()
            pages = reader(data)
            samples.append((time.perf_counter() - start) * 1000 / pages)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=3, help="invoices per layout family")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the files")
    args = parser.parse_args()

    one_page: list[bytes] = []
    multi_page: list[bytes] = []
    for family in FAMILIES:
        for seed in range(args.count):
            generated = generate(seed, family)
            pages = len(pypdfium2.PdfDocument(generated.pdf))
            (one_page if pages == 1 else multi_page).append(generated.pdf)
    multi_page += [
        generate(1000 + i, FAMILIES[i % len(FAMILIES)], n_lines=80).pdf for i in range(3)
    ]

    console = Console()
    table = Table(title="Median milliseconds per page (lower is better)")
    table.add_column("reader")
    table.add_column(f"one-page invoices ({len(one_page)})", justify="right")
    table.add_column(f"multi-page invoices ({len(multi_page)})", justify="right")
    results: dict[str, tuple[float, float]] = {}
    for name, reader in READERS.items():
        for data in one_page[:2]:
            reader(data)
        results[name] = (
            ms_per_page(reader, one_page, args.repeat),
            ms_per_page(reader, multi_page, args.repeat),
        )
        table.add_row(name, *(f"{value:.2f}" for value in results[name]))
    console.print(table)

    ours = results["nex-automat extract"]
    for baseline in ("pdfplumber extract_text", "pypdfium2 get_text_range"):
        theirs = results[baseline]
        console.print(
            f"{baseline} / nex-automat extract: "
            f"one-page {theirs[0] / ours[0]:.1f}×, multi-page {theirs[1] / ours[1]:.1f}×"
        )
    console.print(
        f"target: under 25 ms per one-page invoice page ({ours[0]:.2f} ms) and at least 5× "
        f"faster than pdfplumber ({results['pdfplumber extract_text'][0] / ours[0]:.1f}×)"
    )


if __name__ == "__main__":
    main()
