"""``python -m tests.invoicegen OUTDIR --count N [--family F]``: PDFs and truth JSON to look at."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from . import FAMILIES, generate


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def truth_json(generated: Any) -> str:
    payload = {
        "family": generated.family,
        "language": generated.language,
        "styles": generated.styles,
        "invoice": _plain(asdict(generated.invoice)),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.invoicegen")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--family", choices=FAMILIES)
    parser.add_argument("--seed", type=int, default=1, help="first seed")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for seed in range(args.seed, args.seed + args.count):
        generated = generate(seed, args.family)
        stem = f"{seed:05d}-{generated.family}"
        (args.outdir / f"{stem}.pdf").write_bytes(generated.pdf)
        (args.outdir / f"{stem}.json").write_text(truth_json(generated), encoding="utf-8")
    print(f"wrote {args.count} invoices to {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
