"""Readable terminal summaries of extraction results (the CLI without ``--json``)."""

from __future__ import annotations

import json
import sys

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from nex_automat.domain.model import PARTY_FIELDS, Party
from nex_automat.errors import NexError
from nex_automat.extract import contract
from nex_automat.extract.result import ExtractionResult

_HEADER_FIELDS = (
    ("Type", "document_type"),
    ("Number", "number"),
    ("Issued", "issue_date"),
    ("Tax point", "tax_point_date"),
    ("Due", "due_date"),
    ("Currency", "currency"),
    ("Variable symbol", "variable_symbol"),
    ("Constant symbol", "constant_symbol"),
    ("Order", "order_reference"),
)
_TOTAL_FIELDS = (
    ("Net", "total_net"),
    ("VAT", "total_vat"),
    ("Gross", "total_gross"),
    ("Rounding", "rounding"),
    ("Amount due", "amount_due"),
)


def render_result(name: str, result: ExtractionResult) -> RenderableType:
    data = contract.invoice_json(result.invoice)
    source = result.method if result.pages is None else f"{result.method}, {result.pages} page(s)"
    if result.template:
        source += f", template {result.template}"
    parts: list[RenderableType] = [
        _key_values(_HEADER_FIELDS, data),
        _parties(result.invoice.supplier, result.invoice.customer),
        _lines(data["lines"]),
        _vat(data["vat_breakdown"]),
        _key_values(_TOTAL_FIELDS, data),
        _warnings(result),
    ]
    return Panel(Group(*parts), title=f"[bold]{name}[/bold]", subtitle=source)


def render_failure(name: str, error: NexError) -> RenderableType:
    return Panel(
        Text(f"{error.code}: {error.message}", style="red"),
        title=f"[bold]{name}[/bold]",
        border_style="red",
    )


def _key_values(fields: tuple[tuple[str, str], ...], data: dict[str, object]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    for label, key in fields:
        value = data.get(key)
        table.add_row(label, "—" if value is None else str(value))
    return table


def _parties(supplier: Party, customer: Party) -> Table:
    table = Table(title="Parties", expand=True)
    table.add_column("")
    table.add_column("Supplier")
    table.add_column("Customer")
    for name in PARTY_FIELDS:
        left, right = getattr(supplier, name), getattr(customer, name)
        if left is None and right is None:
            continue
        table.add_row(name, left or "—", right or "—")
    return table


_LINE_COLUMNS = (
    ("#", "position", "right"),
    ("code", "seller_code", "left"),
    ("EAN", "ean", "left"),
    ("description", "description", "left"),
    ("qty", "quantity", "right"),
    ("unit", "unit", "left"),
    ("price", "unit_price", "right"),
    ("disc %", "discount_percent", "right"),
    ("VAT %", "vat_rate", "right"),
    ("net", "net_amount", "right"),
)


def _lines(lines: list[dict[str, object]]) -> Table:
    """The items, leaving out columns the document does not print, so the rest fit."""
    table = Table(title=f"Lines ({len(lines)})", expand=True)
    shown = [c for c in _LINE_COLUMNS if any(line[c[1]] is not None for line in lines)]
    for title, key, justify in shown:
        table.add_column(title, justify=justify, ratio=4 if key == "description" else None)
    for line in lines:
        table.add_row(*("" if line[key] is None else str(line[key]) for _, key, _ in shown))
    return table


def _vat(rows: list[dict[str, str | None]]) -> Table:
    table = Table(title="VAT recap")
    for name in ("rate", "base", "vat"):
        table.add_column(name, justify="right")
    for row in rows:
        table.add_row(*(row[c] or "—" for c in ("rate", "base", "vat")))
    return table


def _warnings(result: ExtractionResult) -> RenderableType:
    if not result.warnings:
        return Text("No warnings.", style="green")
    text = Text()
    for warning in result.warnings:
        text.append(f"⚠ {warning.code}", style="yellow bold")
        text.append(f"  {warning.message}\n")
    return text


def progress_bar(console: Console, *, show: bool) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not show,
    )


def print_json_line(obj: object) -> None:
    """One JSON object on its own line of stdout, flushed: what scripts read."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()
