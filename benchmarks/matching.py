"""Speed and accuracy of invoice line matching against a large building-material catalogue.

Run from the repository root: ``python benchmarks/matching.py [--products N] [--invoices I]``.
Builds a catalogue of synthetic but realistic Slovak building-material products (several
groups, varied names, units, pack sizes, EAN-13 barcodes), then matches 80-line invoices
from four suppliers that mix barcode hits, article codes learned from earlier
confirmations, names as suppliers write them (abbreviated, without accents, other word
order, typos) with codes never confirmed, and items the catalogue lacks.

Prints, against the targets (50 000 products by default):

- milliseconds per 80-line invoice (p50/p95) for the token pre-filter and, measured in the
  same run, for rapidfuzz over every name (target < 100 ms);
- the share of lines matched correctly by what the line carries: EAN and learned codes
  (target ≥ 99 %), names with no training (target ≥ 85 % top-1, ≥ 95 % in the top 5);
- how accuracy rises as confirmations are learned: a new supplier, nothing learned, sends
  invoices quoting its own codes and wording for a 400-product assortment; after each
  invoice every line is confirmed (as a reviewer does), teaching the code memory.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from nex_automat.catalog.matching import (
    ALTERNATIVES,
    CatalogIndex,
    CatalogProduct,
    LineMatch,
    MatchMethod,
    match_line,
)
from nex_automat.catalog.text import strip_accents
from nex_automat.domain.model import Line

LINES_PER_INVOICE = 80
SUPPLIERS = (1, 2, 3, 4)
LINE_KINDS: tuple[tuple[str, float], ...] = (
    ("ean", 0.35),
    ("learned code", 0.20),
    ("name", 0.35),
    ("unknown", 0.10),
)
"""What an invoice line carries that identifies its product, with how often it happens."""


@dataclass(frozen=True, slots=True)
class Family:
    """One kind of product: a name template, its slot values and how it is sold."""

    group_id: int
    template: str
    slots: dict[str, tuple[str, ...]]
    unit: str


_BRANDS_DRY = ("Baumit", "Weber", "Ceresit", "Knauf", "Mapei", "Cemix", "Schomburg", "Den Braven")
_BAGS = ("5 kg", "10 kg", "20 kg", "25 kg", "30 kg", "40 kg")
_COLOURS = (
    "biela",
    "šedá",
    "antracit",
    "béžová",
    "hnedá",
    "čierna",
    "terakota",
    "jasmín",
    "slonová kosť",
    "svetlosivá",
    "piesková",
    "grafit",
    "okrová",
    "olivová",
    "modrá",
    "zelená",
)
_THICKNESS = ("20", "30", "40", "50", "60", "80", "100", "120", "140", "160", "200")

FAMILIES: tuple[Family, ...] = (
    Family(
        1,
        "Cement {kind} {brand} {bag}",
        {
            "kind": ("CEM I 42,5 R", "CEM II/A-S 42,5 N", "CEM II/B-M 32,5 R", "PC 42,5"),
            "brand": ("Holcim", "Považský cement", "Danucem", "Cemmac", "Berger"),
            "bag": _BAGS,
        },
        "vrece",
    ),
    Family(
        1,
        "Malta {kind} {grade} {brand} {grain} mm {bag}",
        {
            "kind": ("murovacia", "zdiaca", "vápenocementová", "tepelnoizolačná", "sanačná"),
            "grade": ("M5", "M10", "M15"),
            "brand": _BRANDS_DRY,
            "grain": ("0,5", "1", "1,5", "2", "4"),
            "bag": _BAGS,
        },
        "vrece",
    ),
    Family(
        2,
        "Omietka {kind} {brand} {texture} {grain} mm {colour} {bag}",
        {
            "kind": ("silikónová", "silikátová", "akrylátová", "minerálna", "mozaiková"),
            "brand": _BRANDS_DRY,
            "grain": ("1", "1,5", "2", "3"),
            "texture": ("zrnitá", "ryhovaná"),
            "colour": _COLOURS,
            "bag": ("15 kg", "25 kg", "30 kg"),
        },
        "vedro",
    ),
    Family(
        3,
        "Lepidlo na obklad a dlažbu {brand} {grade} {variant} {bag}",
        {
            "brand": _BRANDS_DRY,
            "grade": ("C1T", "C2TE", "C2TE S1", "C2FT S1", "C2TE S2"),
            "variant": ("flexibilné", "rýchle", "biele", "šedé", "exteriér", "Profi"),
            "bag": _BAGS,
        },
        "vrece",
    ),
    Family(
        3,
        "Škárovacia hmota {brand} {variant} {colour} {bag}",
        {
            "brand": _BRANDS_DRY,
            "variant": ("flex", "epoxidová", "CG2WA", "Premium", "fugenbreit"),
            "colour": _COLOURS,
            "bag": ("2 kg", "3 kg", "5 kg", "10 kg", "20 kg"),
        },
        "ks",
    ),
    Family(
        3,
        "{kind} {brand} {series} {size} {colour} {finish}",
        {
            "kind": ("Dlažba", "Obklad"),
            "brand": (
                "Rako",
                "Marazzi",
                "Cersanit",
                "Paradyz",
                "Opoczno",
                "Keraben",
                "Tubadzin",
                "Atlas Concorde",
            ),
            "series": (
                "Taurus",
                "Concept",
                "Extra",
                "Garage",
                "Kaamos",
                "Stone",
                "Wood",
                "Siena",
                "Rustic",
                "Lava",
            ),
            "size": ("30x30", "33x33", "45x45", "60x60", "30x60", "60x120"),
            "colour": _COLOURS,
            "finish": ("matná", "lesklá", "protišmyková R10"),
        },
        "m2",
    ),
    Family(
        6,
        "Hmoždinka {kind} {diameter}x{length} {brand} {count} ks",
        {
            "kind": ("nylonová", "rámová", "fasádna talierová", "do betónu", "univerzálna"),
            "diameter": ("5", "6", "8", "10", "12"),
            "length": ("25", "30", "40", "50", "60", "80", "100", "140"),
            "brand": ("Fischer", "Rawlplug", "Tox", "Würth", "Koelner", "Ejot"),
            "count": ("10", "25", "50", "100", "200"),
        },
        "bal",
    ),
    Family(
        4,
        "Tvárnica {brand} {thickness} {variant} {dimension}",
        {
            "brand": ("Porotherm", "Ytong", "Presil", "Heluz", "Liapor", "Supertherm", "Durisol"),
            "thickness": ("8", "11,5", "15", "20", "25", "30", "38", "44", "50"),
            "variant": ("Profi", "P+D", "Lambda", "T Profi", "AKU", "Klasik", "Plus", "Dryfix"),
            "dimension": ("250x499x249", "300x599x249", "375x248x249", "440x248x249", "P2-440"),
        },
        "ks",
    ),
    Family(
        4,
        "Tehla {kind} {dimension} {brand}",
        {
            "kind": ("plná pálená", "lícová", "klinker", "dierovaná", "komínová"),
            "dimension": ("290x140x65", "250x120x65", "240x115x71", "290x140x140", "250x65x52"),
            "brand": ("Wienerberger", "Terreal", "Feldhaus", "Röben", "Tondach", "Hörl"),
        },
        "ks",
    ),
    Family(
        5,
        "Sadrokartónová doska {brand} {kind} {thickness} mm {size}",
        {
            "brand": ("Knauf", "Rigips", "Siniat", "Norgips", "Fermacell"),
            "kind": ("GKB", "GKBI impregnovaná", "GKF protipožiarna", "GKFI", "Diamant", "Akustik"),
            "thickness": ("9,5", "12,5", "15", "18", "25"),
            "size": ("1200x2000", "1250x2000", "1250x2500", "1250x2600", "1250x3000"),
        },
        "m2",
    ),
    Family(
        5,
        "Profil {kind} {width} {brand} {length} m",
        {
            "kind": ("CW", "UW", "CD", "UD", "UA", "L rohový"),
            "width": ("27", "28", "50", "75", "100", "125"),
            "brand": ("Knauf", "Rigips", "Siniat", "Profil Pro", "Bauprofil"),
            "length": ("2,6", "2,75", "3", "4", "4,5"),
        },
        "ks",
    ),
    Family(
        6,
        "Skrutka {kind} {head} {diameter}x{length} {finish} {count} ks",
        {
            "kind": ("do sadrokartónu", "do dreva", "samorezná", "fasádna", "vrutová"),
            "head": ("zápustná hlava", "šošovková hlava", "šesťhranná hlava", "s podložkou"),
            "diameter": ("3,5", "3,9", "4", "4,5", "5", "6"),
            "length": ("25", "30", "35", "45", "55", "70", "90", "120"),
            "finish": ("fosfátovaná", "pozinkovaná", "nerez A2", "žltý zinok"),
            "count": ("100", "200", "250", "500", "1000"),
        },
        "bal",
    ),
    Family(
        7,
        "Farba {kind} {brand} {finish} {colour} {volume}",
        {
            "kind": ("interiérová", "fasádna", "základná", "latexová", "na drevo", "na kov"),
            "brand": ("Primalex", "Het", "Dulux", "Jupol", "Caparol", "Balakryl", "Tikkurila"),
            "finish": ("matná", "polomatná", "lesklá"),
            "colour": _COLOURS,
            "volume": ("0,75 l", "2,5 l", "4 l", "5 l", "10 l", "15 l"),
        },
        "ks",
    ),
    Family(
        8,
        "Polystyrén {kind} {brand} {thickness} mm",
        {
            "kind": ("EPS 70 F", "EPS 100 S", "EPS 150 S", "EPS 200 S", "XPS", "šedý Neo"),
            "brand": ("Isover", "Austrotherm", "Styrotrade", "Baumit", "Synthos", "Swisspor"),
            "thickness": _THICKNESS,
        },
        "m2",
    ),
    Family(
        8,
        "Minerálna vlna {brand} {kind} {thickness} mm {roll}",
        {
            "brand": ("Isover", "Knauf Insulation", "Rockwool", "URSA", "Nobasil", "Paroc"),
            "kind": ("Domo", "Unirol", "Frontrock", "Airrock", "TF Profi", "Classic", "Multimax"),
            "thickness": _THICKNESS,
            "roll": ("rolka", "doska", "lamela", "kocka"),
        },
        "m2",
    ),
    Family(
        9,
        "Rúra {kind} {diameter} mm {length} m {brand}",
        {
            "kind": ("KG kanalizačná", "HT odpadová", "PPR vodovodná", "PVC drenážna", "PE"),
            "diameter": ("32", "40", "50", "75", "110", "125", "160", "200"),
            "length": ("0,5", "1", "2", "3", "5", "6"),
            "brand": ("Pipelife", "Wavin", "Osma", "Ostendorf", "Magnaplast"),
        },
        "ks",
    ),
    Family(
        10,
        "Kari sieť {wire} mm oko {mesh} {size} m {grade}",
        {
            "wire": ("4", "5", "6", "8", "10"),
            "mesh": ("100x100", "150x150", "200x200"),
            "size": ("2x3", "2x5", "2,15x5", "1x2"),
            "grade": ("B500A", "B500B", "KARI", "10 505"),
        },
        "ks",
    ),
)

_ABBREVIATIONS = {
    "sadrokartónová": "SDK",
    "škárovacia": "škár.",
    "minerálna": "min.",
    "tvárnica": "tvár.",
    "polystyrén": "polyst.",
    "omietka": "omiet.",
    "kanalizačná": "kanal.",
    "lepidlo": "lep.",
    "interiérová": "int.",
    "pozinkovaná": "pozink.",
}
"""How suppliers shorten long words on their invoices."""

_UNKNOWN_WORDS = (
    ("Hydroizolačná", "Parotesná", "Kročajová", "Separačná", "Difúzna"),
    ("fólia", "páska", "stierka", "membrána", "tkanina"),
    ("Dörken", "Juta", "Fatrafol", "Bitagit", "Icopal"),
)


def expand(family: Family) -> Iterator[str]:
    """Every combination of a family's slots, in a fixed order."""
    names = list(family.slots)
    counters = [0] * len(names)
    sizes = [len(family.slots[name]) for name in names]
    while True:
        values = {name: family.slots[name][counters[i]] for i, name in enumerate(names)}
        yield family.template.format(**values)
        for i in reversed(range(len(counters))):
            counters[i] += 1
            if counters[i] < sizes[i]:
                break
            counters[i] = 0
        else:
            return


def ean13(rng: random.Random) -> str:
    """A valid EAN-13 with a Slovak prefix; random, so the caller keeps them unique."""
    digits = "858" + "".join(str(rng.randrange(10)) for _ in range(9))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


@dataclass(slots=True)
class Catalogue:
    products: list[CatalogProduct]
    barcodes: dict[int, str]
    learned: dict[tuple[int, int], str]
    """(supplier, product id) → the supplier's article code confirmed before."""


def build_catalogue(count: int, rng: random.Random) -> Catalogue:
    """``count`` distinct products drawn from every family, shuffled as an ERP lists them."""
    pools = [list(expand(family)) for family in FAMILIES]
    for pool in pools:
        rng.shuffle(pool)
    entries: list[tuple[str, Family]] = []
    seen: set[str] = set()
    cursor = 0
    while len(entries) < count:
        progressed = False
        for family, pool in zip(FAMILIES, pools, strict=True):
            if cursor < len(pool) and pool[cursor] not in seen:
                seen.add(pool[cursor])
                entries.append((pool[cursor], family))
                progressed = True
        cursor += 1
        if not progressed and all(cursor >= len(pool) for pool in pools):
            raise SystemExit(f"the families give only {len(entries)} distinct names")
    rng.shuffle(entries)
    products = [
        CatalogProduct(i, f"{100000 + i}", name, family.unit, family.group_id)
        for i, (name, family) in enumerate(entries[:count], start=1)
    ]
    barcodes: dict[int, str] = {}
    taken: set[str] = set()
    for product in products:
        if rng.random() < 0.8:
            code = ean13(rng)
            while code in taken:
                code = ean13(rng)
            taken.add(code)
            barcodes[product.id] = code
    learned: dict[tuple[int, int], str] = {}
    for supplier in SUPPLIERS:
        chosen = [product.id for product in products if rng.random() < 0.15]
        numbers = rng.sample(range(10**6), len(chosen))
        for product_id, number in zip(chosen, numbers, strict=True):
            learned[(supplier, product_id)] = f"S{supplier}-{number:06d}"
    return Catalogue(products, barcodes, learned)


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def supplier_wording(name: str, rng: random.Random) -> str:
    """The catalogue name as one supplier's invoice prints it."""
    words = name.split()
    words = [
        _ABBREVIATIONS.get(word.lower(), word) if rng.random() < 0.5 else word for word in words
    ]
    if rng.random() < 0.4:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if rng.random() < 0.4:
        i = rng.randrange(len(words))
        words[i] = typo(words[i], rng)
    text = " ".join(words)
    text = text.replace(" kg", "kg") if rng.random() < 0.5 else text
    text = strip_accents(text) if rng.random() < 0.5 else text
    return text.upper() if rng.random() < 0.4 else text


def unknown_name(rng: random.Random) -> str:
    adjective, noun, brand = (rng.choice(words) for words in _UNKNOWN_WORDS)
    return f"{adjective} {noun} {brand} {rng.choice((1, 1.5, 2, 25, 50))} m"


@dataclass(frozen=True, slots=True)
class Case:
    kind: str
    line: Line
    expected: int | None


def build_invoice(
    catalogue: Catalogue, supplier: int, rng: random.Random
) -> tuple[int, list[Case]]:
    kinds = [kind for kind, _share in LINE_KINDS]
    weights = [share for _kind, share in LINE_KINDS]
    learned_here = [pid for (sup, pid) in catalogue.learned if sup == supplier]
    with_ean = list(catalogue.barcodes)
    cases: list[Case] = []
    for position in range(1, LINES_PER_INVOICE + 1):
        kind = rng.choices(kinds, weights)[0]
        if kind == "unknown":
            line = Line(position, description=unknown_name(rng), seller_code=f"X{position}")
            cases.append(Case(kind, line, None))
            continue
        pool = {"ean": with_ean, "learned code": learned_here}.get(kind)
        product_id = rng.choice(pool) if pool else rng.randrange(len(catalogue.products)) + 1
        product = catalogue.products[product_id - 1]
        description = supplier_wording(product.name, rng)
        if kind == "ean":
            line = Line(position, description=description, ean=catalogue.barcodes[product.id])
        elif kind == "learned code":
            code = catalogue.learned[(supplier, product.id)]
            line = Line(position, description=description, seller_code=code.lower())
        else:
            line = Line(position, description=description, seller_code=f"N{product.id * 7}")
        cases.append(Case(kind, line, product.id))
    return supplier, cases


LEARNING_SUPPLIER = 9
"""A supplier nothing was learned from before the learning curve starts."""
ASSORTMENT = 400
LEARNING_BLOCKS: tuple[tuple[int, int], ...] = ((1, 1), (2, 3), (4, 5), (6, 10), (11, 20), (21, 30))
"""Invoice ranges (first, last) of the learning curve, each reported as one row."""
TARGET_MS = 100.0
TARGETS: dict[str, tuple[float, float | None]] = {
    "ean": (99.0, None),
    "learned code": (99.0, None),
    "name": (85.0, 95.0),
}
"""Per line kind: least top-1 share and least top-5 share, in percent."""


class FullScanIndex(CatalogIndex):
    """The same catalogue scored name by name against every product: the baseline."""

    def _name_choices(self, query: str) -> tuple[list[str], range]:
        return self._name_keys, range(len(self._name_keys))


def full_scan(index: CatalogIndex) -> CatalogIndex:
    return FullScanIndex(**{f.name: getattr(index, f.name) for f in fields(index)})


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


Invoice = tuple[int, list[Case]]


def time_invoices(
    index: CatalogIndex, invoices: list[Invoice]
) -> tuple[list[float], list[list[LineMatch]]]:
    timings: list[float] = []
    results: list[list[LineMatch]] = []
    for supplier, cases in invoices:
        started = time.perf_counter()
        matches = [match_line(index, case.line, supplier) for case in cases]
        timings.append((time.perf_counter() - started) * 1000)
        results.append(matches)
    return timings, results


def is_correct(case: Case, match: LineMatch) -> bool:
    if case.expected is None:
        return match.method is MatchMethod.NONE
    return match.product_id == case.expected


@dataclass(slots=True)
class KindAccuracy:
    lines: int = 0
    correct: int = 0
    in_top: int = 0
    methods: Counter[str] = field(default_factory=Counter)

    def share(self, count: int) -> float:
        return 100 * count / (self.lines or 1)


def accuracy(invoices: list[Invoice], results: list[list[LineMatch]]) -> dict[str, KindAccuracy]:
    """Per line kind: lines, correct at the top, correct within the alternatives, methods."""
    kinds = {kind: KindAccuracy() for kind, _share in LINE_KINDS}
    for (_supplier, cases), matches in zip(invoices, results, strict=True):
        for case, match in zip(cases, matches, strict=True):
            tally = kinds[case.kind]
            tally.lines += 1
            tally.correct += is_correct(case, match)
            alternatives = {candidate.product_id for candidate in match.alternatives}
            tally.in_top += is_correct(case, match) or case.expected in alternatives
            tally.methods[match.method.value] += 1
    return kinds


def verdict(passed: bool) -> str:
    return "[green]met[/green]" if passed else "[red]missed[/red]"


def accuracy_table(kinds: dict[str, KindAccuracy]) -> tuple[Table, bool]:
    table = Table(title="Lines matched correctly (pre-filter), by what the line carries")
    columns = ("line kind", "lines", "top-1 correct", f"in top {ALTERNATIVES}", "target",
               "found by")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column in {"line kind", "found by"} else "right")
    all_met = True
    for kind, tally in kinds.items():
        top1, top5 = tally.share(tally.correct), tally.share(tally.in_top)
        target = ""
        if kind in TARGETS:
            least_top1, least_top5 = TARGETS[kind]
            met = top1 >= least_top1 and (least_top5 is None or top5 >= least_top5)
            all_met = all_met and met
            wanted = f"≥ {least_top1:.0f} %" + (f" / ≥ {least_top5:.0f} %" if least_top5 else "")
            target = f"{wanted} {verdict(met)}"
        found = ", ".join(f"{method} {count}" for method, count in tally.methods.most_common())
        table.add_row(kind, str(tally.lines), f"{top1:.1f} %", f"{top5:.1f} %", target, found)
    return table, all_met


def learning_curve(
    index: CatalogIndex, catalogue: Catalogue, rng: random.Random, invoices: int
) -> Table:
    """Accuracy of a new supplier's invoices as each one's confirmations are learned."""
    assortment = rng.sample([product.id for product in catalogue.products], ASSORTMENT)
    codes = {pid: f"L{LEARNING_SUPPLIER}-{n:05d}" for n, pid in enumerate(assortment)}
    correct: list[float] = []
    by_code: list[float] = []
    for _ in range(invoices):
        lines = []
        for position in range(1, LINES_PER_INVOICE + 1):
            product = catalogue.products[rng.choice(assortment) - 1]
            description = supplier_wording(product.name, rng)
            lines.append((Line(position, description=description,
                               seller_code=codes[product.id]), product.id))  # fmt: skip
        matches = [match_line(index, line, LEARNING_SUPPLIER) for line, _pid in lines]
        correct.append(
            100
            * sum(m.product_id == pid for m, (_l, pid) in zip(matches, lines, strict=True))
            / len(lines)
        )
        by_code.append(
            100 * sum(m.method is MatchMethod.SUPPLIER_CODE for m in matches) / len(lines)
        )
        for line, product_id in lines:
            assert line.seller_code is not None
            index.remember(LEARNING_SUPPLIER, line.seller_code, product_id)
    table = Table(title=f"Learning: a new supplier, every line confirmed after each invoice "
                        f"({ASSORTMENT}-product assortment)")  # fmt: skip
    for column in ("invoices", "correct", "matched by learned code"):
        table.add_column(column, justify="right")
    for first, block_last in LEARNING_BLOCKS:
        if first > invoices:
            break
        last = min(block_last, invoices)
        block = slice(first - 1, last)
        label = str(first) if first == last else f"{first}–{last}"
        table.add_row(
            label,
            f"{statistics.mean(correct[block]):.1f} %",
            f"{statistics.mean(by_code[block]):.1f} %",
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--invoices", type=int, default=30)
    parser.add_argument("--baseline-invoices", type=int, default=6)
    parser.add_argument("--learning-invoices", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    console = Console()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    catalogue = build_catalogue(args.products, rng)
    barcodes = [(code, pid) for pid, code in catalogue.barcodes.items()]
    codes = [(sup, code, pid) for (sup, pid), code in catalogue.learned.items()]
    generated = time.perf_counter()
    index = CatalogIndex.build(catalogue.products, barcodes, (), codes)
    built = time.perf_counter()
    console.print(
        f"{len(catalogue.products)} products, {len(barcodes)} barcodes, {len(codes)} learned "
        f"codes; generated in {generated - started:.1f} s, index built in {built - generated:.1f} s"
    )
    invoices = [
        build_invoice(catalogue, SUPPLIERS[i % len(SUPPLIERS)], rng) for i in range(args.invoices)
    ]
    fast_ms, fast_results = time_invoices(index, invoices)
    slow_invoices = invoices[: args.baseline_invoices]
    slow_ms, slow_results = time_invoices(full_scan(index), slow_invoices)

    timing = Table(title=f"Milliseconds per {LINES_PER_INVOICE}-line invoice")
    for column in ("matcher", "invoices", "p50", "p95"):
        timing.add_column(column, justify="left" if column == "matcher" else "right")
    for label, samples in (("token pre-filter", fast_ms), ("rapidfuzz over all names", slow_ms)):
        timing.add_row(
            label,
            str(len(samples)),
            f"{statistics.median(samples):.1f}",
            f"{percentile(samples, 0.95):.1f}",
        )
    console.print(timing)
    fast_p95 = percentile(fast_ms, 0.95)
    console.print(
        f"target: < {TARGET_MS:.0f} ms per invoice against {len(catalogue.products)} products: "
        f"p95 {fast_p95:.1f} ms {verdict(fast_p95 < TARGET_MS)}"
    )
    console.print(
        f"baseline / pre-filter (p50): "
        f"{statistics.median(slow_ms) / statistics.median(fast_ms):.1f}x"
    )
    compared = agreed = 0
    for fast, slow in zip(fast_results, slow_results, strict=False):
        for a, b in zip(fast, slow, strict=True):
            compared += 1
            agreed += (a.method, a.product_id) == (b.method, b.product_id)
    console.print(
        f"same answer as the baseline on {agreed} of {compared} lines "
        f"({100 * agreed / max(compared, 1):.1f} %)"
    )
    table, met = accuracy_table(accuracy(invoices, fast_results))
    console.print(table)
    console.print(f"accuracy targets {verdict(met)}")
    console.print(learning_curve(index, catalogue, rng, args.learning_invoices))


if __name__ == "__main__":
    main()
