"""Seconds per page of the OCR path against bare ``tesseract`` on the same page images.

Run: ``python -m benchmarks.ocr [pages] [rounds]``. Both sides read the same degraded 200 dpi
scans of generator invoices in the same languages, one page at a time on one core, and both
give the same things: word boxes and a one-page searchable PDF (bare ``tesseract`` writes
its TSV and PDF renderers; our path straightens and cleans the page, reads the TSV and lays
the words over the page image). The ratio is the cost of our path over bare Tesseract's.

The two sides take turns page by page, so a machine shared with other work slows both
alike; wall-clock seconds are printed beside CPU seconds (our process and its Tesseract
children, against the bare Tesseract processes), which a busy machine disturbs less. With
several rounds, each round's ratio is printed and the spread of the ratios. Last, the whole
set is read with every core.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nex_automat.extract.images import PageImage, load_images
from nex_automat.extract.ocr import LANGUAGES, OcrSettings, recognise_page, recognise_pages
from tests.extract.scans import degrade_pdf_page
from tests.invoicegen import FAMILIES, generate

TARGET = 1.3


def _scans(count: int) -> list[bytes]:
    return [
        degrade_pdf_page(generate(seed, FAMILIES[seed % len(FAMILIES)]).pdf, 0, seed=seed)
        for seed in range(count)
    ]


@dataclass
class Cost:
    """Seconds spent on one side: elapsed, and on the CPU by the process and its children."""

    wall: float = 0.0
    cpu: float = 0.0


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _timed(cost: Cost, work: Callable[[], object]) -> None:
    wall, cpu = time.perf_counter(), _cpu_seconds()
    work()
    cost.wall += time.perf_counter() - wall
    cost.cpu += _cpu_seconds() - cpu


def _bare(path: Path, dpi: int) -> None:
    subprocess.run(
        [
            "tesseract",
            str(path),
            str(path.with_suffix("")),
            "-l",
            LANGUAGES,
            "--dpi",
            str(dpi),
            "tsv",
            "pdf",
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )


def _round(images: list[PageImage], paths: list[Path]) -> tuple[Cost, Cost]:
    bare, ours = Cost(), Cost()
    settings = OcrSettings(workers=1)
    for image, path in zip(images, paths, strict=True):
        _timed(bare, lambda path=path, image=image: _bare(path, round(image.dpi)))
        _timed(ours, lambda image=image: recognise_page(image, settings))
    return bare, ours


def main(count: int = 8, rounds: int = 1) -> None:
    images = [load_images(scan, max_pages=1)[0] for scan in _scans(count)]
    print(f"pages: {count} (degraded 200 dpi scans, languages {LANGUAGES}), rounds: {rounds}")
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, image in enumerate(images):
            path = Path(folder) / f"page{index}.png"
            image.image.save(path, dpi=(round(image.dpi),) * 2)
            paths.append(path)
        for number in range(1, rounds + 1):
            bare, ours = _round(images, paths)
            walls.append(ours.wall / bare.wall)
            cpus.append(ours.cpu / bare.cpu)
            print(
                f"round {number}: bare tesseract {bare.wall / count:.2f} s/page "
                f"({bare.cpu / count:.2f} cpu), our OCR path {ours.wall / count:.2f} s/page "
                f"({ours.cpu / count:.2f} cpu), ratio {walls[-1]:.2f}x ({cpus[-1]:.2f}x cpu)"
            )
    print(
        f"ratio          : {statistics.median(walls):.2f}x wall, "
        f"{statistics.median(cpus):.2f}x cpu (target <= {TARGET}x)"
    )
    if rounds > 1:
        print(
            f"spread         : {min(walls):.2f}-{max(walls):.2f}x wall, "
            f"{min(cpus):.2f}-{max(cpus):.2f}x cpu"
        )
    started = time.perf_counter()
    recognise_pages([lambda image=image: image for image in images], OcrSettings())
    parallel = time.perf_counter() - started
    print(f"all {os.cpu_count()} cores     : {count / parallel * 60:.1f} pages/minute")


if __name__ == "__main__":
    arguments = [int(argument) for argument in sys.argv[1:3]]
    main(*arguments)
