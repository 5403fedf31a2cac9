"""A modern web-invoicing look (Fakturoid / ABRA Flexi), Czech: big "Faktura" with the number,
parties under small caps headings, an unboxed row of label-above-value fields, payment row,
many columns so long names wrap to two or three lines, amounts like CZK 1234.56 or Kč 1 234,56."""

from __future__ import annotations

from random import Random

from nex_automat.domain.model import Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Sheet
from ..table import Table, TableStyle, columns
from ..truth import Decor

NAME = "flexi_cz"

PROFILE = Profile(
    languages=("cs",),
    fonts=("DejaVuSans",),
    number_styles=("plain_dot", "comma_dot", "space_comma"),
    date_styles=("dmy_spaced", "iso", "dmy_dot"),
    currency_placements=("before_code", "before_symbol"),
    number_patterns=("{yyyy}-{n4}", "{yyyy}{n4}", "FA{yy}-{n4}"),
    code_styles=("alnum", "digits6"),
    qty_places=(None, 2),
    price_places=(2, 3),
    p_code=0.3,
    p_discount=0.3,
    p_line_rate=1.0,
    p_line_vat=0.8,
    p_line_gross=0.8,
    p_constant_symbol=0.2,
    p_order_reference=0.4,
    p_country=0.5,
    p_multi_rate=0.45,
    roundings={"cs": ("none", "whole")},
    labels={
        "supplier": {"cs": ("DODAVATEL", "Dodavatel")},
        "customer": {"cs": ("ODBĚRATEL", "Odběratel")},
        "tax_point_date": {
            "cs": ("Datum zdan. plnění", "DUZP", "Datum uskutečnění zdanitelného plnění")
        },
        "rounding": {"cs": ("Zaokrouhlení",)},
        "amount_due": {"cs": ("Celkem k úhradě", "K úhradě")},
    },
)

ACCENT = (0.0, 0.55, 0.5)
MUTED = (0.45, 0.45, 0.45)


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 40.0, Sheet.width - 40
    mid = Sheet.width / 2

    s.text(left, 56, plan.title, 22, True)
    s.text(left, 74, inv.number or "", 13, color=MUTED)
    blocks.logo(s, "circle", right - 36, 34, inv.supplier.name or "", color=ACCENT)
    s.rect(left, 86, right - left, 2.5, fill=ACCENT, stroke=None)

    y = 108.0
    style = blocks.PartyStyle(country_name_index=rng.randint(0, 1))
    s.text(left, y, p.label("supplier"), 7.5, True, color=MUTED)
    end_l = blocks.draw_lines(
        s, left, y + 15, blocks.party_lines(p, inv.supplier, style), 9, leading=12
    )
    s.text(mid, y, p.label("customer"), 7.5, True, color=MUTED)
    end_r = blocks.draw_lines(
        s, mid, y + 15, blocks.party_lines(p, inv.customer, style), 9, leading=12
    )
    y = max(end_l, end_r) + 12

    meta = blocks.meta_items(p, inv, decor, with_number=False)
    cell = (right - left) / 4
    for i, (label, value) in enumerate(meta):
        row, col = divmod(i, 4)
        x, cy = left + col * cell, y + row * 28
        s.text(x, cy, label, 7, color=MUTED)
        s.text(x, cy + 12, value, 9.5, True)
    y += ((len(meta) + 3) // 4) * 28 + 4

    bank_style = blocks.PartyStyle(iban_grouped=rng.random() < 0.6, domestic_account=True)
    bank = blocks.bank_items(p, inv.supplier, decor, bank_style)
    s.rect(left, y - 4, right - left, 30, fill=(0.94, 0.97, 0.96), stroke=None)
    x = left + 8
    for label, value in bank[1:]:
        s.text(x, y + 6, label, 7, color=MUTED)
        s.text(x, y + 18, value, 8.5)
        x += max(s.text_width(value, 8.5), s.text_width(label, 7)) + 22
    y += 38
    for note in blocks.notes(p, inv, decor):
        s.text(left, y, note, 8.5)
        y += 12

    spec = [
        ("code", p.label("col_code"), 48, "l"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 48, "r"),
        ("unit", p.label("col_unit"), 26, "l"),
        ("price", p.label("col_price"), 56, "r"),
        ("disc", p.label("col_disc"), 32, "r"),
        ("rate", p.label("col_rate"), 30, "r"),
        ("net", p.label("col_net"), 58, "r"),
        ("vat", p.label("col_vat"), 50, "r"),
        ("gross", p.label("col_gross"), 58, "r"),
    ]
    cols = columns(p, spec, right - left)
    style_t = TableStyle(
        size=8,
        header_size=7,
        header_fill=None,
        header_color=MUTED,
        row_rule=True,
        rule_color=(0.8, 0.8, 0.8),
        pad=4,
    )
    s.continuation_top = 50.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(left, 36, f"{plan.title} {inv.number}", 9, True, color=MUTED)
        return 48.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = Sheet.height - 28
        sheet.text(left, base, decor.registration, 6.5, color=MUTED)
        sheet.text(
            right, base, p.label("page").format(p=page, n=total), 7.5, align="r", color=MUTED
        )

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 44
    y = Table(s, p, cols, style_t, left).draw(inv.lines, y)

    y = s.ensure(y + 14, 130)
    blocks.draw_vat_recap(s, p, inv, left, y, widths=(50, 72, 62, 72), fill=None)
    end = blocks.draw_totals(
        s, p, inv, mid + 40, y, width=right - mid - 40, due_box=None, due_size=14
    )
    s.rect(mid + 40, end + 2, right - mid - 40, 2, fill=ACCENT, stroke=None)
    return s.finish()
