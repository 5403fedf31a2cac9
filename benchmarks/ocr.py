"""Seconds per page of the OCR path against bare ``tesseract`` on the same page images.

Run: ``python -m benchmarks.ocr [pages]``. Both sides read the same degraded 200 dpi scans
of generator invoices, one page at a time on one core (the ratio is the overhead of
straightening and of reading the TSV); then the whole set is read with every core.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nex_automat.extract.images import load_images
from nex_automat.extract.ocr import LANGUAGES, OcrSettings, recognise_page, recognise_pages
from tests.extract.scans import degrade_pdf_page
from tests.invoicegen import FAMILIES, generate


def _scans(count: int) -> list[bytes]:
    return [
        degrade_pdf_page(generate(seed, FAMILIES[seed % len(FAMILIES)]).pdf, 0, seed=seed)
        for seed in range(count)
    ]


def _bare(paths: list[Path], dpi: int) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    for path in paths:
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
            env=env,
        )
    return time.perf_counter() - started


def main(count: int = 8) -> None:
    scans = _scans(count)
    images = [load_images(scan, max_pages=1)[0] for scan in scans]
    settings = OcrSettings(workers=1)
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, image in enumerate(images):
            path = Path(folder) / f"page{index}.png"
            image.image.save(path, dpi=(round(image.dpi),) * 2)
            paths.append(path)
        bare = _bare(paths, round(images[0].dpi)) / count
    started = time.perf_counter()
    for image in images:
        recognise_page(image, settings)
    ours = (time.perf_counter() - started) / count
    started = time.perf_counter()
    recognise_pages([lambda image=image: image for image in images], OcrSettings())
    parallel = time.perf_counter() - started
    print(f"pages: {count} (degraded 200 dpi scans, languages {LANGUAGES})")
    print(f"bare tesseract : {bare:.2f} s/page")
    print(f"our OCR path   : {ours:.2f} s/page")
    print(f"ratio          : {ours / bare:.2f}x (target <= 1.3x)")
    print(f"all {os.cpu_count()} cores     : {count / parallel * 60:.1f} pages/minute")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
