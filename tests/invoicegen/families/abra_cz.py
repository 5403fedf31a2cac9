"""ABRA Gen printout, Czech: condensed type, Dodavatel and Odběratel stacked on the left, labels
and values in two columns on the right, a gridded item table with item numbers, currency only in
column headers, and "Převod" rows carrying the running total across pages."""

from __future__ import annotations

from random import Random

from nex_automat.domain.model import Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Sheet
from ..table import GRAY, Table, TableStyle, columns
from ..truth import Decor

NAME = "abra_cz"

PROFILE = Profile(
    languages=("cs",),
    fonts=("DejaVuSansCondensed",),
    number_styles=("plain_comma", "dot_comma"),
    date_styles=("dmy_spaced", "dmy_dot"),
    currency_placements=("header",),
    number_patterns=("FV-{n4}/{yyyy}", "{yy}FV{n5}", "VF{yyyy}{n5}"),
    code_styles=("alnum", "digits6"),
    qty_places=(3, None),
    price_places=(2, 3, 4),
    p_code=0.8,
    p_discount=0.5,
    p_line_rate=1.0,
    p_line_vat=0.0,
    p_line_gross=0.5,
    p_constant_symbol=0.3,
    p_order_reference=0.7,
    p_country=0.6,
    p_multi_rate=0.5,
    roundings={"cs": ("none", "whole")},
    labels={
        "number": {"cs": ("Číslo dokladu", "Doklad č.")},
        "supplier": {"cs": ("Dodavatel", "DODAVATEL")},
        "customer": {"cs": ("Odběratel", "ODBĚRATEL")},
        "rounding": {"cs": ("Zaokrouhlení",)},
        "carry_in": {"cs": ("Převod z předchozí strany", "Převod")},
        "carry_out": {"cs": ("Převod na další stranu", "Převod")},
        "page": {"cs": ("Strana {p} z {n}",)},
    },
)


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 30.0, Sheet.width - 30
    split = 300.0

    s.text(left, 44, plan.title, 15, True)
    s.text(right, 44, inv.number or "", 15, True, align="r")
    s.line(left, 52, right, 52, 1.5)

    style = blocks.PartyStyle(country_name_index=rng.randint(0, 2))
    y = 70.0
    s.text(left, y, p.label("supplier"), 7.5, True, align="l", color=(0.35, 0.35, 0.35))
    y = blocks.draw_lines(
        s, left, y + 13, blocks.party_lines(p, inv.supplier, style), 8.5, leading=10.5
    )
    y = blocks.draw_wrapped(s, left, y, decor.registration, split - left - 14) + 8
    s.text(left, y, p.label("customer"), 7.5, True, align="l", color=(0.35, 0.35, 0.35))
    s.rect(left - 4, y + 4, split - left - 10, 92, stroke=(0.5, 0.5, 0.5), width=0.5)
    y_left = blocks.draw_lines(
        s, left + 2, y + 18, blocks.party_lines(p, inv.customer, style), 9, leading=11.5
    )

    meta = blocks.meta_items(p, inv, decor, with_number=True)
    y_right = blocks.draw_label_values(
        s, split, 74, meta, split + 118, size=8.5, leading=12, bold_values=True
    )
    s.text(split, y_right + 6, "Bankovní spojení", 7.5, True, align="l", color=(0.35, 0.35, 0.35))
    bank_style = blocks.PartyStyle(iban_grouped=rng.random() < 0.6, domestic_account=True)
    y_right = blocks.draw_label_values(
        s,
        split,
        y_right + 19,
        blocks.bank_items(p, inv.supplier, decor, bank_style),
        split + 118,
        size=8.5,
        leading=12,
    )
    y = max(y_left, y + 100, y_right) + 10
    for note in blocks.notes(p, inv, decor):
        s.text(left, y, note, 8, True)
        y += 11

    spec = [
        ("pos_dot", p.label("col_pos"), 24, "r"),
        ("code", p.label("col_code"), 56, "l"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 50, "r"),
        ("unit", p.label("col_unit"), 26, "c"),
        ("price", p.with_currency(p.label("col_price")), 56, "r"),
        ("disc", p.label("col_disc"), 32, "r"),
        ("rate", p.label("col_rate"), 30, "r"),
        ("net", p.with_currency(p.label("col_net")), 62, "r"),
        ("gross", p.with_currency(p.label("col_gross")), 62, "r"),
    ]
    cols = columns(p, spec, right - left)
    table_style = TableStyle(
        size=7.8, header_size=7, header_fill=GRAY, grid=True, row_rule=True, pad=2.8, carry=True
    )
    s.continuation_top = 62.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(left, 36, f"{plan.title} {inv.number}", 9, True)
        sheet.text(right, 36, inv.supplier.name or "", 8, False, align="r")
        sheet.line(left, 42, right, 42, 1)
        return 52.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = Sheet.height - 30
        sheet.line(left, base - 10, right, base - 10, 0.5)
        sheet.text(left, base, f"{p.label('issued_by')}: {decor.issued_by}   {decor.email}", 7)
        sheet.text(right, base, p.label("page").format(p=page, n=total), 7.5, False, align="r")

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 48
    y = Table(s, p, cols, table_style, left).draw(inv.lines, y)

    y = s.ensure(y + 12, 140)
    recap_end = blocks.draw_vat_recap(
        s, p, inv, left, y, widths=(50, 74, 64, 74), fill=GRAY, title=True
    )
    s.text(split + 20, y + 8, f"Částky v {p.code}", 7, False, align="l", color=(0.35, 0.35, 0.35))
    totals_end = blocks.draw_totals(
        s, p, inv, split + 20, y + 12, width=right - split - 24, size=8.5, due_box=None, due_size=11
    )
    s.line(split + 16, totals_end + 2, right, totals_end + 2, 1.2)
    y = max(recap_end, totals_end) + 30
    y = s.ensure(y, 20)
    s.text(left, y, "Převzal(a): ..............................", 8)
    s.text(split + 20, y, "Razítko a podpis: ..............................", 8)
    return s.finish()
