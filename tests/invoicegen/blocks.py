"""Pieces most invoices share: party blocks, header fields, VAT recap, totals, logos."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from random import Random

from stdnum import iban as iban_mod

from nex_automat.domain.model import DocumentType, Invoice, Party

from .data import COUNTRY_NAMES
from .printer import Printer
from .sheet import BLACK, Color, Sheet
from .truth import Decor

GRAY: Color = (0.86, 0.86, 0.86)


@dataclass(frozen=True, slots=True)
class PartyStyle:
    ids_on_one_line: bool = False
    bank: bool = False
    iban_grouped: bool = True
    domestic_account: bool = False
    country_name_index: int = 0
    contact: bool = False


def country_name(printer: Printer, code: str, index: int) -> str:
    names = COUNTRY_NAMES[printer.plan.language][code]
    return names[index % len(names)]


def id_items(printer: Printer, party: Party) -> list[tuple[str, str]]:
    """IČO / DIČ / IČ DPH as this language labels them."""
    items: list[tuple[str, str]] = []
    if party.ico:
        items.append((printer.label("ico"), party.ico))
    if party.dic:
        items.append((printer.label("dic"), party.dic))
    if party.vat_id:
        items.append((printer.label("vat_id"), party.vat_id))
    return items


def bank_items(
    printer: Printer, party: Party, decor: Decor, style: PartyStyle
) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = [(printer.label("bank"), decor.bank_name)]
    if style.domestic_account:
        items.append((printer.label("account"), decor.domestic_account))
    if party.iban:
        shown = iban_mod.format(party.iban) if style.iban_grouped else party.iban
        items.append((printer.label("iban"), shown))
    if party.bic:
        items.append((printer.label("bic"), party.bic))
    return items


def party_lines(
    printer: Printer, party: Party, style: PartyStyle, decor: Decor | None = None
) -> list[tuple[str, bool]]:
    """The block's text lines, ``True`` marking the bold company name."""
    lines: list[tuple[str, bool]] = [(party.name or "", True)]
    lines.append((party.street or "", False))
    lines.append((f"{party.postal_code} {party.city}", False))
    if party.country:
        lines.append((country_name(printer, party.country, style.country_name_index), False))
    ids = id_items(printer, party)
    if style.ids_on_one_line:
        lines.append(("   ".join(f"{label}: {value}" for label, value in ids), False))
    else:
        lines.extend((f"{label}: {value}", False) for label, value in ids)
    if style.bank and decor is not None:
        lines.extend(
            (f"{label}: {value}", False)
            for label, value in bank_items(printer, party, decor, style)
        )
    if style.contact and decor is not None:
        lines.append((f"Tel.: {decor.phone}", False))
        lines.append((f"E-mail: {decor.email}", False))
    return lines


def draw_lines(
    sheet: Sheet,
    x: float,
    y: float,
    lines: Sequence[tuple[str, bool]],
    size: float = 8.5,
    *,
    leading: float = 11,
) -> float:
    for text, bold in lines:
        sheet.text(x, y, text, size + (1 if bold else 0), bold)
        y += leading + (1 if bold else 0)
    return y


def meta_items(
    printer: Printer, inv: Invoice, decor: Decor, with_number: bool = True
) -> list[tuple[str, str]]:
    """Header fields in the order most ERPs print them; absent fields are skipped."""
    items: list[tuple[str, str | None]] = [
        (printer.label("number"), inv.number if with_number else None),
        (printer.label("issue_date"), printer.date(inv.issue_date) if inv.issue_date else None),
        (
            printer.label("tax_point_date"),
            printer.date(inv.tax_point_date) if inv.tax_point_date else None,
        ),
        (printer.label("due_date"), printer.date(inv.due_date) if inv.due_date else None),
        (printer.label("payment_method"), decor.payment_method),
        (printer.label("variable_symbol"), inv.variable_symbol),
        (printer.label("constant_symbol"), inv.constant_symbol),
        (printer.label("order_reference"), inv.order_reference),
    ]
    return [(label, value) for label, value in items if value]


def draw_label_values(
    sheet: Sheet,
    x: float,
    y: float,
    items: Sequence[tuple[str, str]],
    value_x: float | None = None,
    *,
    size: float = 8.5,
    leading: float = 11.5,
    bold_values: bool = False,
    value_align: str = "l",
) -> float:
    """``value_x`` None prints "Label: value"; a number puts values in their own column,
    pushed right when a long label ("Datum uskutečnění zdanitelného plnění") needs room."""
    if value_x is not None and value_align == "l" and items:
        widest = max(sheet.text_width(f"{label}:", size) for label, _ in items)
        value_x = max(value_x, x + widest + 8)
    for label, value in items:
        if value_x is None:
            sheet.text(x, y, f"{label}: {value}", size)
        else:
            sheet.text(x, y, f"{label}:" if not label.endswith(":") else label, size)
            sheet.text(value_x, y, value, size, bold_values, align=value_align)
        y += leading
    return y


def draw_wrapped(sheet: Sheet, x: float, y: float, text: str, width: float) -> float:
    """Small print (registration, notes) kept inside its column."""
    for part in sheet.wrap(text, width, 6):
        sheet.text(x, y, part, 6)
        y += 7.5
    return y


def fitted(sheet: Sheet, text: str, width: float, size: float, *, bold: bool) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width``, as a form field shrinks."""
    while size > 4.5 and sheet.text_width(text, size, bold) > width:
        size -= 0.25
    return size


def draw_grid(
    sheet: Sheet,
    x: float,
    y: float,
    width: float,
    items: Sequence[tuple[str, str]],
    *,
    per_row: int,
    fill: Color | None = None,
    label_size: float = 6.5,
    value_size: float = 9,
) -> float:
    """Boxed header: each field a cell, small label above its value."""
    cell_w = width / per_row
    cell_h = label_size + value_size + 9
    for i, (label, value) in enumerate(items):
        row, col = divmod(i, per_row)
        cx, cy = x + col * cell_w, y + row * cell_h
        sheet.rect(cx, cy, cell_w, cell_h, fill=fill, stroke=BLACK, width=0.4)
        small = fitted(sheet, label, cell_w - 6, label_size, bold=False)
        sheet.text(cx + 3, cy + label_size + 1.5, label, small, color=(0.3, 0.3, 0.3))
        big = fitted(sheet, value, cell_w - 6, value_size, bold=True)
        sheet.text(cx + 3, cy + label_size + value_size + 4.5, value, big, True)
    rows = (len(items) + per_row - 1) // per_row
    return y + rows * cell_h


def draw_vat_recap(
    sheet: Sheet,
    printer: Printer,
    inv: Invoice,
    x: float,
    y: float,
    *,
    widths: Sequence[float] = (60, 80, 70, 80),
    fill: Color | None = GRAY,
    with_total: bool = True,
    title: bool = False,
    size: float = 8,
) -> float:
    """Sadzba DPH / Základ dane / DPH / Spolu, one row per rate."""
    headers = [printer.label("recap_rate"), printer.label("recap_base"), printer.label("recap_vat")]
    if with_total:
        headers.append(printer.label("recap_total"))
    widths = list(widths)[: len(headers)]
    width = sum(widths)
    if title:
        sheet.text(
            x,
            y + size,
            printer.label("vat_recap_title").format(currency=printer.currency_word),
            size + 0.5,
            True,
        )
        y += size + 5
    h = size + 6
    sheet.rect(x, y, width, h, fill=fill, stroke=BLACK if fill is None else None, width=0.4)
    cx = x
    for i, (header, w) in enumerate(zip(headers, widths, strict=True)):
        if i == 0:
            sheet.text(cx + 3, y + size + 1.5, header, size - 0.5, True)
        else:
            sheet.text(cx + w - 3, y + size + 1.5, header, size - 0.5, True, align="r")
        cx += w
    y += h
    for row in inv.vat_breakdown:
        base = row.base or Decimal(0)
        vat = row.vat or Decimal(0)
        values = [printer.percent(row.rate, sign=True), printer.amount(base), printer.amount(vat)]
        if with_total:
            values.append(printer.amount(base + vat))
        cx = x
        for i, (value, w) in enumerate(zip(values, widths, strict=True)):
            if i == 0:
                sheet.text(cx + 3, y + size + 1.5, value, size)
            else:
                sheet.text(cx + w - 3, y + size + 1.5, value, size, False, align="r")
            cx += w
        y += h
    sheet.line(x, y, x + width, y, 0.4)
    return y


def totals_items(printer: Printer, inv: Invoice) -> list[tuple[str, Decimal]]:
    items: list[tuple[str, Decimal | None]] = [
        (printer.label("total_net"), inv.total_net),
        (printer.label("total_vat"), inv.total_vat),
        (printer.label("total_gross"), inv.total_gross),
        (printer.label("rounding"), inv.rounding),
    ]
    return [(label, value) for label, value in items if value is not None]


def draw_totals(
    sheet: Sheet,
    printer: Printer,
    inv: Invoice,
    x: float,
    y: float,
    *,
    width: float,
    size: float = 8.5,
    due_box: Color | None = GRAY,
    due_size: float = 11,
) -> float:
    """Totals right-aligned in ``width``; the amount due emphasised last."""
    for label, value in totals_items(printer, inv):
        sheet.text(x, y + size, f"{label}:", size)
        sheet.text(x + width, y + size, printer.money(value), size, False, align="r")
        y += size + 4
    y += 3
    h = due_size + 8
    if due_box is not None:
        sheet.rect(x - 4, y, width + 8, h, fill=due_box, stroke=None)
    label = printer.label("amount_due")
    if printer.plan.currency_placement == "header":
        label = f"{label} ({printer.code})"
    assert inv.amount_due is not None
    amount = printer.money(inv.amount_due)
    while due_size > 7 and (
        sheet.text_width(f"{label}: ", due_size, True) + sheet.text_width(amount, due_size, True)
        > width
    ):
        due_size -= 0.5
    sheet.text(x, y + h - 6, f"{label}:", due_size, True)
    sheet.text(x + width, y + h - 6, amount, due_size, True, align="r")
    return y + h


def logo(sheet: Sheet, kind: str, x: float, y: float, name: str, *, color: Color) -> None:
    """A company mark drawn from shapes, as scanned letterheads have."""
    initials = "".join(
        word[0] for word in name.replace(",", " ").split()[:2] if word[0].isalpha()
    ).upper()
    if kind == "roof":
        sheet.polygon([(x, y + 22), (x + 20, y), (x + 40, y + 22)], color)
        sheet.rect(x + 6, y + 22, 28, 16, fill=color, stroke=None)
        sheet.text(x + 20, y + 34, initials, 9, True, align="c", color=(1, 1, 1))
    elif kind == "circle":
        sheet.circle(x + 18, y + 18, 18, color)
        sheet.text(x + 18, y + 22, initials, 12, True, align="c", color=(1, 1, 1))
    else:
        sheet.rect(x, y, 44, 30, fill=color, stroke=None, radius=4)
        sheet.text(x + 22, y + 20, initials, 13, True, align="c", color=(1, 1, 1))


NOTES: dict[str, dict[str, str]] = {
    "not_tax": {
        "sk": "Tento doklad nie je daňovým dokladom.",
        "cs": "Tento doklad není daňovým dokladem.",
    },
    "reason": {
        "sk": "Dôvod opravy: vrátenie tovaru, reklamácia",
        "cs": "Důvod opravy: vrácení zboží, reklamace",
    },
    "delivery": {"sk": "Miesto dodania", "cs": "Místo dodání"},
}

CORRECTS: dict[str, tuple[str, ...]] = {
    "sk": (
        "Opravovaný doklad č. {no}",
        "K faktúre č. {no}",
        "Pôvodná faktúra: {no}",
        "Dobropis k faktúre {no}",
        "Opravný daňový doklad k faktúre č. {no}",
    ),
    "cs": (
        "Opravovaný doklad č. {no}",
        "K faktuře č. {no}",
        "Původní doklad: {no}",
        "Opravný daňový doklad k faktuře č. {no}",
        "Původní faktura č. {no}",
    ),
}
"""How a credit note names the invoice it corrects."""


def notes(printer: Printer, inv: Invoice, decor: Decor) -> list[str]:
    """Remarks ERPs add by document type: not a tax document, or what a credit note corrects.

    The corrected invoice is printed exactly when the truth names it; its wording is drawn
    from the number itself so the page's other choices stay as they were.
    """
    language = printer.plan.language
    if inv.document_type in (DocumentType.ADVANCE_INVOICE, DocumentType.PROFORMA):
        return [NOTES["not_tax"][language]]
    found: list[str] = []
    if inv.preceding_invoice is not None:
        wording = Random(inv.preceding_invoice).choice(CORRECTS[language])
        found.append(wording.format(no=inv.preceding_invoice))
    if inv.document_type is DocumentType.CREDIT_NOTE:
        found.append(NOTES["reason"][language])
    return found


def pay_by_square(sheet: Sheet, x: float, y: float, size: float, seed: int) -> None:
    """A QR-like payment square: finder patterns and seeded modules, as PAY by square prints."""
    modules = 25
    cell = size / modules
    bits = Random(seed)
    sheet.rect(x, y, size, size, fill=(1, 1, 1), stroke=None)
    for row in range(modules):
        for col in range(modules):
            in_finder = ((row < 7 or row >= modules - 7) and col < 7) or (
                row < 7 and col >= modules - 7
            )
            if not in_finder and bits.random() < 0.48:
                sheet.rect(x + col * cell, y + row * cell, cell, cell, fill=BLACK, stroke=None)
    for fx, fy in ((0, 0), (modules - 7, 0), (0, modules - 7)):
        sheet.rect(x + fx * cell, y + fy * cell, 7 * cell, 7 * cell, fill=BLACK, stroke=None)
        sheet.rect(
            x + (fx + 1) * cell,
            y + (fy + 1) * cell,
            5 * cell,
            5 * cell,
            fill=(1, 1, 1),
            stroke=None,
        )
        sheet.rect(
            x + (fx + 2) * cell, y + (fy + 2) * cell, 3 * cell, 3 * cell, fill=BLACK, stroke=None
        )
