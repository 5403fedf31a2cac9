"""HELIOS Orange / K2 printout, Czech: the whole head is a frame of boxes, every label in small
capitals in the top-left corner of its box with the value under it; "Příjemce faktury" beside the
supplier, a "Konečný příjemce" box with the delivery site, IČ and DIČ in their own boxes, a fully
gridded item table and the totals as a column of boxes, label above amount."""

from __future__ import annotations

from collections.abc import Sequence
from random import Random

from nex_automat.domain.model import Invoice, Party

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import BLACK, Color, Sheet
from ..table import Table, TableStyle, columns
from ..truth import Decor

NAME = "helios_cz"

PROFILE = Profile(
    languages=("cs",),
    fonts=("LiberationSans", "DejaVuSansCondensed", "DejaVuSans"),
    number_styles=("space_comma", "nbsp_comma", "plain_comma"),
    date_styles=("dmy_dot", "dmy_spaced"),
    currency_placements=("header", "after_code"),
    number_patterns=("{yy}10{n5}", "FV-{n6}/{yyyy}", "{yyyy}{n6}"),
    code_styles=("alnum", "dotted", "digits8"),
    qty_places=(3, 2, None),
    price_places=(2, 3),
    p_code=0.8,
    p_ean=0.0,
    p_discount=0.3,
    p_line_rate=0.85,
    p_line_vat=0.5,
    p_line_gross=0.6,
    p_constant_symbol=0.5,
    p_order_reference=0.6,
    p_country=0.5,
    p_bic=0.9,
    roundings={"cs": ("none", "whole")},
    labels={
        "number": {"cs": ("Číslo dokladu", "Faktura číslo", "Doklad č.")},
        "supplier": {"cs": ("Dodavatel",)},
        "customer": {"cs": ("Příjemce faktury", "Odběratel - fakturační adresa", "Odběratel")},
        "tax_point_date": {"cs": ("Datum uskut. zdanit. plnění", "DUZP", "Datum zdan. plnění")},
        "due_date": {"cs": ("Datum splatnosti",)},
        "payment_method": {"cs": ("Forma úhrady", "Způsob úhrady")},
        "order_reference": {"cs": ("Vaše objednávka", "Číslo objednávky", "Objednávka")},
        "account": {"cs": ("Číslo účtu", "Bankovní účet")},
        "bank": {"cs": ("Bankovní spojení", "Banka")},
        "total_net": {"cs": ("Celkem bez DPH", "Základ celkem")},
        "total_vat": {"cs": ("DPH celkem",)},
        "total_gross": {"cs": ("Celkem s DPH", "Celkem vč. DPH")},
        "amount_due": {"cs": ("K úhradě", "Celkem k úhradě")},
        "col_code": {"cs": ("Kat. číslo", "Reg. číslo", "Kód")},
        "col_desc": {"cs": ("Název", "Označení dodávky", "Název položky")},
        "col_qty": {"cs": ("Množství",)},
        "col_unit": {"cs": ("MJ",)},
        "col_price": {"cs": ("Cena za MJ", "Jedn. cena")},
        "col_disc": {"cs": ("Sleva %", "Sl. %")},
        "col_rate": {"cs": ("Sazba", "% DPH")},
        "col_net": {"cs": ("Celkem bez DPH", "Základ")},
        "col_vat": {"cs": ("DPH",)},
        "col_gross": {"cs": ("Celkem s DPH", "Celkem")},
    },
)

FINAL_RECIPIENT: tuple[str, ...] = ("Konečný příjemce", "Místo určení", "Dodací adresa")
LABEL_GRAY: Color = (0.35, 0.35, 0.35)
FRAME = 0.6


def _caps(text: str) -> str:
    return text.rstrip(":").upper()


def _box(
    s: Sheet,
    frame: tuple[float, float, float, float],
    label: str,
    values: Sequence[tuple[str, bool]] = (),
    *,
    size: float = 8.5,
    align: str = "l",
    width: float = FRAME,
) -> None:
    """A frame (x, top, width, height) with its label in the corner and its value under it."""
    x, y, w, h = frame
    s.rect(x, y, w, h, stroke=BLACK, width=width)
    small = blocks.fitted(s, _caps(label), w - 5, 5.8, bold=False)
    s.text(x + 2.5, y + 7, _caps(label), small, color=LABEL_GRAY)
    line_y = y + 8 + size
    for text, bold in values:
        fit = blocks.fitted(s, text, w - 7, size, bold=bold)
        if align == "r":
            s.text(x + w - 3.5, line_y, text, fit, bold, align="r")
        else:
            s.text(x + 3.5, line_y, text, fit, bold)
        line_y += size + 2.5


def _party_values(p: Printer, party: Party, index: int) -> list[tuple[str, bool]]:
    lines = [(party.name or "", True), (party.street or "", False)]
    lines.append((f"{party.postal_code}  {party.city}", False))
    if party.country:
        lines.append((blocks.country_name(p, party.country, index), False))
    return lines


def _id_boxes(s: Sheet, p: Printer, party: Party, place: tuple[float, float, float]) -> None:
    """IČ and DIČ side by side in their own boxes under the party."""
    x, y, w = place
    ids = blocks.id_items(p, party) or [(p.label("ico"), "")]
    cell = w / len(ids)
    for i, (label, value) in enumerate(ids):
        _box(s, (x + i * cell, y, cell, 22), label, [(value, False)], size=8.5)


def _cells(
    s: Sheet, x: float, y: float, w: float, items: Sequence[tuple[str, str]], *, per_row: int
) -> float:
    cell_w, cell_h = w / per_row, 22.0
    for i, (label, value) in enumerate(items):
        row, col = divmod(i, per_row)
        _box(s, (x + col * cell_w, y + row * cell_h, cell_w, cell_h), label, [(value, True)])
    return y + ((len(items) + per_row - 1) // per_row) * cell_h


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 28.0, Sheet.width - 28
    mid = (left + right) / 2
    width = right - left

    s.text(left, 30, inv.supplier.name or "", 9, True)
    s.text(right, 30, decor.web, 7, align="r", color=LABEL_GRAY)
    top = 38.0
    s.rect(left, top, width, 32, stroke=BLACK, width=1.2)
    s.text(left + 8, top + 21, plan.title.upper(), 13, True)
    s.line(mid + 60, top, mid + 60, top + 32, FRAME)
    s.text(mid + 63, top + 7, _caps(p.label("number")), 5.8, color=LABEL_GRAY)
    s.text(right - 6, top + 25, inv.number or "", 12, True, align="r")

    y = top + 32
    style_index = rng.randint(0, 2)
    party_h = 74.0
    _box(s, (left, y, mid - left, party_h), p.label("supplier"), _party_values(p, inv.supplier, 0))
    _box(
        s,
        (mid, y, right - mid, party_h),
        p.label("customer"),
        _party_values(p, inv.customer, style_index),
        size=9,
    )
    y += party_h
    _id_boxes(s, p, inv.supplier, (left, y, mid - left))
    _id_boxes(s, p, inv.customer, (mid, y, right - mid))
    y += 22

    site, street, city = decor.delivery_address
    final = [(inv.customer.name or "", False), (f"{site} - {street}", False), (city, False)]
    _box(s, (left, y, mid - left, 48), rng.choice(FINAL_RECIPIENT), final, size=8)
    bank_style = blocks.PartyStyle(iban_grouped=rng.random() < 0.6, domestic_account=True)
    bank = blocks.bank_items(p, inv.supplier, decor, bank_style)
    bank_w = (right - mid) / 2
    for i, (label, value) in enumerate(bank):
        row, col = divmod(i, 2)
        _box(s, (mid + col * bank_w, y + row * 24, bank_w, 24), label, [(value, False)], size=8)
    y += max(48, 24 * ((len(bank) + 1) // 2))

    meta = blocks.meta_items(p, inv, decor, with_number=False)
    meta.append(("Měna", plan.currency))
    y = _cells(s, left, y, width, meta, per_row=5 if len(meta) > 8 else 4)
    notes = blocks.notes(p, inv, decor)
    if notes:
        _box(s, (left, y, width, 12 + 11 * len(notes)), "Poznámka", [(n, False) for n in notes])
        y += 12 + 11 * len(notes)
    y += 10
    s.text(left, y, "Fakturujeme Vám za dodané zboží a služby:", 8)
    y += 5

    spec = [
        ("code", p.label("col_code"), 58, "l"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 46, "r"),
        ("unit", p.label("col_unit"), 24, "c"),
        ("price", p.with_currency(p.label("col_price")), 52, "r"),
        ("disc", p.label("col_disc"), 30, "r"),
        ("rate", p.label("col_rate"), 30, "r"),
        ("net", p.with_currency(p.label("col_net")), 58, "r"),
        ("vat", p.with_currency(p.label("col_vat")), 48, "r"),
        ("gross", p.with_currency(p.label("col_gross")), 58, "r"),
    ]
    cols = [type(c)(c.key, c.header.upper(), c.width, c.align) for c in columns(p, spec, width)]
    style_t = TableStyle(
        size=7.8,
        header_size=6.2,
        header_bold=False,
        header_fill=None,
        header_box=True,
        grid=True,
        pad=2.6,
    )
    s.continuation_top = 66.0

    def continuation(sheet: Sheet) -> float:
        sheet.rect(left, 30, width, 22, stroke=BLACK, width=FRAME)
        sheet.text(left + 4, 45, f"{plan.title} {inv.number}", 9, True)
        sheet.text(right - 4, 45, inv.supplier.name or "", 8, align="r")
        return 62.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = Sheet.height - 34
        sheet.line(left, base - 9, right, base - 9, FRAME)
        sheet.text(left, base, decor.registration, 6)
        sheet.text(left, base + 8, f"Vystavil: {decor.issued_by}   Tel.: {decor.phone}", 6)
        sheet.text(right, base, p.label("page").format(p=page, n=total), 7, align="r")
        sheet.text(right, base + 8, "IS HELIOS Orange", 5.5, align="r", color=LABEL_GRAY)

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 50
    y = Table(s, p, cols, style_t, left).draw(inv.lines, y)

    rows = len(inv.vat_breakdown)
    y = s.ensure(y + 10, max(130, 24 + 14 * rows))
    blocks.draw_vat_recap(
        s, p, inv, left, y + 8, widths=(50, 78, 68, 78), fill=None, title=True, size=7.5
    )
    totals = blocks.totals_items(p, inv)
    box_x, box_w = mid + 70, right - mid - 70
    ty = y
    for label, value in totals:
        _box(s, (box_x, ty, box_w, 22), label, [(p.money(value), False)], align="r")
        ty += 22
    assert inv.amount_due is not None
    due_label = p.label("amount_due")
    if plan.currency_placement == "header":
        due_label = f"{due_label} {plan.currency}"
    _box(
        s,
        (box_x, ty, box_w, 28),
        due_label,
        [(p.money(inv.amount_due), True)],
        size=11,
        align="r",
        width=1.4,
    )
    y = s.ensure(max(ty + 28, y + 30 + 14 * rows) + 26, 20)
    s.text(left, y, "Převzal: ..............................", 8)
    s.text(mid + 70, y, "Razítko a podpis: ......................", 8)
    return s.finish()
