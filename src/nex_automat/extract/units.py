"""Units of measure as printed in the quantity column of Slovak and Czech invoices.

The unit is kept exactly as the supplier printed it; this table only recognises it, so a
line parser can tell "12 ks" from "12 mm" without guessing.
"""

from __future__ import annotations

UNITS: frozenset[str] = frozenset(
    {
        # pieces
        "ks", "kus", "kusy", "kusov", "kusů", "pc", "pcs", "pce", "piece", "pieces",
        "kpl", "komplet", "sada", "sady", "set", "sety", "súb", "súbor", "pár", "páry",
        "par", "tis", "tisíc",
        # mass
        "kg", "g", "dkg", "dag", "mg", "t", "q",
        # length
        "m", "bm", "mb", "b.m", "km", "dm", "cm", "mm",
        # area and volume
        "m2", "m²", "qm", "ha", "m3", "m³", "l", "ml", "cl", "dl", "hl",
        # packaging
        "bal", "balenie", "balení", "balík", "pal", "paleta", "palety", "plt", "krt",
        "kar", "kart", "karton", "kartón", "role", "rol", "rola", "fl", "fľ", "fľaša",
        "láhev", "vrece", "vre", "vrecko", "pytel", "pytle", "vak", "sud", "kan",
        "kanister", "tuba", "dóza", "ds", "box", "pack", "pkg",
        # time and services
        "h", "hod", "hodina", "hodiny", "hodín", "hodin", "min", "deň", "den", "dni",
        "dní", "mes", "mesiac", "měs", "měsíc", "rok",
        # energy
        "kwh", "mwh", "gj",
    }
)  # fmt: skip
"""Known units, lower case, without a trailing dot."""


def parse_unit(token: str) -> str | None:
    """``token`` stripped of surrounding whitespace when it is a known unit, else ``None``."""
    printed = token.strip()
    key = printed.lower().removesuffix(".")
    return printed if key in UNITS else None


def is_unit(token: str) -> bool:
    return parse_unit(token) is not None
