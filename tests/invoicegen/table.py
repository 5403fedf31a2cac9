"""The item table: columns, wrapping, page breaks with repeated headers and carry-over rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from nex_automat.domain.model import Line

from .printer import Printer
from .sheet import BLACK, Color, Sheet

GRAY: Color = (0.86, 0.86, 0.86)

LINE_FLAGS: dict[str, str] = {
    "code": "show_code",
    "ean": "show_ean",
    "disc": "show_discount",
    "rate": "show_line_rate",
    "vat": "show_line_vat",
    "gross": "show_line_gross",
}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    width: float
    align: str = "r"


@dataclass(slots=True)
class TableStyle:
    size: float = 8.0
    header_size: float = 7.5
    header_bold: bool = True
    header_fill: Color | None = GRAY
    header_color: Color = BLACK
    header_box: bool = False
    rule_color: Color = BLACK
    row_rule: bool = False
    grid: bool = False
    zebra: Color | None = None
    pad: float = 3.0
    sub_line: tuple[str, ...] = ()
    sub_size: float = 6.5
    carry: bool = False
    carry_amount: str = "net"
    desc_bold: bool = False
    bottom_rule: bool = True
    min_row: float = 0.0


@dataclass(slots=True)
class Group:
    """Items delivered under one delivery note: a heading row, the items, a subtotal row."""

    heading: str
    count: int
    subtotal_label: str | None = None


@dataclass(slots=True)
class _Run:
    carried: Decimal = Decimal("0.00")
    row_index: int = 0
    extra: list[str] = field(default_factory=list)


def columns(
    printer: Printer, spec: Sequence[tuple[str, str, float, str]], total_width: float
) -> list[Column]:
    """The columns this plan prints, the description column taking the width left over."""
    plan = printer.plan
    kept = [
        item for item in spec if item[0] not in LINE_FLAGS or getattr(plan, LINE_FLAGS[item[0]])
    ]
    fixed = sum(width for key, _, width, _ in kept if key != "desc")
    return [
        Column(key, header, total_width - fixed if key == "desc" else width, align)
        for key, header, width, align in kept
    ]


def cell(printer: Printer, line: Line, key: str) -> str:
    values = {
        "pos": lambda: str(line.position),
        "pos_dot": lambda: f"{line.position}.",
        "pos10": lambda: f"{line.position * 10:06d}",
        "code": lambda: line.seller_code or "",
        "ean": lambda: line.ean or "",
        "desc": lambda: line.description or "",
        "qty": lambda: printer.number(line.quantity) if line.quantity is not None else "",
        "unit": lambda: line.unit or "",
        "qty_unit": lambda: (
            f"{printer.number(line.quantity)} {line.unit}" if line.quantity is not None else ""
        ),
        "price": lambda: printer.number(line.unit_price) if line.unit_price is not None else "",
        "disc": lambda: (
            printer.percent(line.discount_percent) if line.discount_percent is not None else ""
        ),
        "rate": lambda: printer.percent(line.vat_rate) if line.vat_rate is not None else "",
        "rate_pct": lambda: (
            printer.percent(line.vat_rate, sign=True) if line.vat_rate is not None else ""
        ),
        "net": lambda: printer.amount(line.net_amount) if line.net_amount is not None else "",
        "vat": lambda: printer.amount(line.vat_amount) if line.vat_amount is not None else "",
        "gross": lambda: printer.amount(line.gross_amount) if line.gross_amount is not None else "",
    }
    return values[key]()


def sub_line(printer: Printer, line: Line, keys: Sequence[str]) -> str:
    """The smaller second row of a two-line item: code, EAN and VAT rate."""
    parts = []
    if "code" in keys and line.seller_code:
        parts.append(f"{printer.label('code_prefix')} {line.seller_code}")
    if "ean" in keys and line.ean:
        parts.append(f"EAN: {line.ean}")
    if "rate" in keys and line.vat_rate is not None:
        parts.append(f"DPH: {printer.percent(line.vat_rate, sign=True)}")
    return "    ".join(parts)


class Table:
    def __init__(
        self, sheet: Sheet, printer: Printer, cols: list[Column], style: TableStyle, x: float
    ) -> None:
        self.sheet = sheet
        self.printer = printer
        self.cols = cols
        self.style = style
        self.x = x
        self.width = sum(c.width for c in cols)

    def _col_x(self, key: str) -> tuple[float, float]:
        x = self.x
        for col in self.cols:
            if col.key == key:
                return x, col.width
            x += col.width
        raise KeyError(key)

    def _header_lines(self, col: Column) -> list[str]:
        st = self.style
        lines: list[str] = []
        for part in col.header.split("\n"):
            lines.extend(self.sheet.wrap(part, col.width - 5, st.header_size, st.header_bold))
        return lines

    def header(self, y: float) -> float:
        s, st = self.sheet, self.style
        texts = [self._header_lines(c) for c in self.cols]
        rows = max(len(t) for t in texts)
        h = rows * (st.header_size + 1.5) + 2 * st.pad
        if st.header_fill is not None:
            stroke = st.rule_color if st.header_box or st.grid else None
            s.rect(self.x, y, self.width, h, fill=st.header_fill, stroke=stroke)
        elif st.header_box:
            s.rect(self.x, y, self.width, h, stroke=st.rule_color)
        else:
            s.line(self.x, y, self.x + self.width, y, 0.6, color=st.rule_color)
            s.line(self.x, y + h, self.x + self.width, y + h, 0.6, color=st.rule_color)
        x = self.x
        for col, lines in zip(self.cols, texts, strict=True):
            for i, part in enumerate(lines):
                baseline = y + st.pad + st.header_size * 0.85 + i * (st.header_size + 1.5)
                self._aligned(
                    x,
                    col,
                    baseline,
                    part,
                    st.header_size,
                    bold=st.header_bold,
                    color=st.header_color,
                )
            if st.grid and x > self.x:
                s.line(x, y, x, y + h, 0.4, color=st.rule_color)
            x += col.width
        return y + h

    def _aligned(
        self,
        x: float,
        col: Column,
        baseline: float,
        text: str,
        size: float,
        *,
        bold: bool,
        color: Color = BLACK,
    ) -> None:
        if col.align == "r":
            self.sheet.text(x + col.width - 2.5, baseline, text, size, bold, align="r", color=color)
        elif col.align == "c":
            self.sheet.text(x + col.width / 2, baseline, text, size, bold, align="c", color=color)
        else:
            self.sheet.text(x + 2.5, baseline, text, size, bold, align="l", color=color)

    def _row_height(self, line: Line) -> tuple[float, list[str], str]:
        st = self.style
        desc_col = next(c for c in self.cols if c.key == "desc")
        desc = self.sheet.wrap(line.description or "", desc_col.width - 5, st.size, st.desc_bold)
        sub = sub_line(self.printer, line, st.sub_line) if st.sub_line else ""
        h = len(desc) * (st.size + 1.6) + 2 * st.pad + (st.sub_size + 2 if sub else 0)
        return max(h, st.min_row), desc, sub

    def _label_row(self, y: float, label: str, amount: Decimal | None, bold: bool = True) -> float:
        s, st = self.sheet, self.style
        h = st.size + 2 * st.pad + 1.6
        desc_x, _ = self._col_x("desc")
        s.text(desc_x + 2.5, y + st.pad + st.size * 0.85, label, st.size, bold)
        if amount is not None:
            amount_key = (
                st.carry_amount if any(c.key == st.carry_amount for c in self.cols) else "net"
            )
            ax, aw = self._col_x(amount_key)
            s.text(
                ax + aw - 2.5,
                y + st.pad + st.size * 0.85,
                self.printer.amount(amount),
                st.size,
                bold,
                align="r",
            )
        s.line(self.x, y + h, self.x + self.width, y + h, 0.3, color=st.rule_color)
        return y + h

    def _break(self, y: float, run: _Run) -> float:
        st = self.style
        if st.carry:
            y = self._label_row(y, self.printer.label("carry_out"), run.carried)
        if st.grid or st.bottom_rule:
            self.sheet.line(self.x, y, self.x + self.width, y, 0.6, color=st.rule_color)
        y = self.header(self.sheet.new_page())
        if st.carry:
            y = self._label_row(y, self.printer.label("carry_in"), run.carried)
        return y

    def _fit_long(self, y: float, n: int) -> None:
        """Long invoices must span three pages or more, as a sixty-item printout does."""
        if n < 60:
            return
        first = self.sheet.bottom - y
        other = self.sheet.bottom - self.sheet.continuation_top - 30
        self.style.min_row = max(self.style.min_row, (first + other + 20) / n)

    def draw(self, lines: Sequence[Line], y: float, groups: Sequence[Group] = ()) -> float:
        s, st = self.sheet, self.style
        run = _Run()
        self._fit_long(y, len(lines))
        y = self.header(y)
        reserve = (st.size + 2 * st.pad + 2) if st.carry else 0
        plan_groups = list(groups) or [Group("", len(lines))]
        items = iter(lines)
        for group in plan_groups:
            group_sum = Decimal("0.00")
            if group.heading:
                if y + 2 * (st.size + 2 * st.pad) + reserve > s.bottom:
                    y = self._break(y, run)
                y = self._label_row(y, group.heading, None)
            for _ in range(group.count):
                line = next(items)
                h, desc, sub = self._row_height(line)
                if y + h + reserve > s.bottom:
                    y = self._break(y, run)
                self._draw_row(y, h, line, desc, sub, index=run.row_index)
                run.row_index += 1
                y += h
                amount = getattr(line, f"{st.carry_amount}_amount") or line.net_amount or Decimal(0)
                run.carried += amount
                group_sum += amount
            if group.subtotal_label:
                if y + st.size + 2 * st.pad + reserve > s.bottom:
                    y = self._break(y, run)
                y = self._label_row(y, group.subtotal_label, group_sum)
        if st.bottom_rule or st.grid:
            s.line(self.x, y, self.x + self.width, y, 0.6, color=st.rule_color)
        return y

    def _draw_row(
        self, y: float, h: float, line: Line, desc: list[str], sub: str, *, index: int
    ) -> None:
        s, st = self.sheet, self.style
        if st.zebra is not None and index % 2 == 1:
            s.rect(self.x, y, self.width, h, fill=st.zebra, stroke=None)
        x = self.x
        first = y + st.pad + st.size * 0.85
        for col in self.cols:
            if col.key == "desc":
                for i, part in enumerate(desc):
                    s.text(x + 2.5, first + i * (st.size + 1.6), part, st.size, st.desc_bold)
                if sub:
                    s.text(
                        x + 2.5,
                        first + len(desc) * (st.size + 1.6) + 0.5,
                        sub,
                        st.sub_size,
                        False,
                        align="l",
                        color=(0.25, 0.25, 0.25),
                    )
            else:
                self._aligned(x, col, first, cell(self.printer, line, col.key), st.size, bold=False)
            if st.grid and x > self.x:
                s.line(x, y, x, y + h, 0.4, color=st.rule_color)
            x += col.width
        if st.grid:
            s.line(self.x, y, self.x, y + h, 0.4, color=st.rule_color)
            s.line(self.x + self.width, y, self.x + self.width, y + h, 0.4, color=st.rule_color)
        if st.row_rule:
            s.line(self.x, y + h, self.x + self.width, y + h, 0.25, color=st.rule_color)
