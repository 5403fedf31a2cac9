"""MRP / KROS Alfa style, Slovak, condensed type: Dodávateľ (with bank) and Odberateľ stacked
on the left, labels and values in columns on the right, two-line items with the code and EAN
on a smaller second line, "Prenos" rows between pages and amounts like € 1 234,56."""

from __future__ import annotations

from random import Random

from nex_automat.domain.model import Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Sheet
from ..table import Table, TableStyle, columns
from ..truth import Decor

NAME = "mrp_sk"

PROFILE = Profile(
    languages=("sk",),
    fonts=("DejaVuSansCondensed", "DejaVuSans"),
    number_styles=("space_comma", "dot_comma"),
    date_styles=("dmy_dot", "dmy_short"),
    currency_placements=("before_symbol", "after_symbol", "before_code"),
    number_patterns=("{yyyy}{n5}", "VF{yy}{n4}", "{yy}1{n5}"),
    code_styles=("digits6", "digits8"),
    qty_places=(None, 3),
    price_places=(2, 4),
    p_code=0.9,
    p_ean=0.7,
    p_discount=0.2,
    p_line_rate=1.0,
    p_line_gross=0.5,
    p_constant_symbol=0.5,
    p_country=0.4,
    p_multi_rate=0.45,
    roundings={"sk": ("none", "cash05")},
    labels={
        "supplier": {"sk": ("Dodávateľ:",)},
        "customer": {"sk": ("Odberateľ:",)},
        "carry_in": {"sk": ("Prenos z predchádzajúcej strany",)},
        "carry_out": {"sk": ("Prenos na ďalšiu stranu",)},
        "code_prefix": {"sk": ("Kód:", "Kat. č.:")},
    },
)


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 36.0, Sheet.width - 36
    split = 318.0

    s.text(right, 44, f"{plan.title} {inv.number}", 14, True, align="r")
    blocks.logo(s, "roof", left, 22, inv.supplier.name or "", color=(0.6, 0.15, 0.1))
    s.line(left, 66, right, 66, 0.8)

    y = 82.0
    s.text(left, y, p.label("supplier"), 8, True)
    supplier_style = blocks.PartyStyle(
        bank=True, iban_grouped=rng.random() < 0.5, country_name_index=0
    )
    y = blocks.draw_lines(
        s,
        left + 10,
        y + 13,
        blocks.party_lines(p, inv.supplier, supplier_style, decor),
        8.3,
        leading=10.2,
    )
    y = blocks.draw_wrapped(s, left + 10, y, decor.registration, split - left - 30) + 6
    s.text(left, y, p.label("customer"), 8, True)
    s.rect(left + 4, y + 4, split - left - 20, 88, stroke=(0, 0, 0), width=0.8)
    end_left = blocks.draw_lines(
        s,
        left + 10,
        y + 19,
        blocks.party_lines(p, inv.customer, blocks.PartyStyle()),
        9,
        leading=11.5,
    )

    meta = blocks.meta_items(p, inv, decor, with_number=False)
    end_right = blocks.draw_label_values(
        s, split, 90, meta, right, size=8.5, leading=13, bold_values=True, value_align="r"
    )
    y = max(end_left, y + 96, end_right) + 8
    for note in blocks.notes(p, inv, decor):
        s.text(left, y, note, 8, True)
        y += 11

    spec = [
        ("pos_dot", p.label("col_pos"), 24, "r"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 52, "r"),
        ("unit", p.label("col_unit"), 26, "l"),
        ("price", p.label("col_price"), 58, "r"),
        ("disc", p.label("col_disc"), 32, "r"),
        ("rate", p.label("col_rate"), 30, "r"),
        ("net", p.label("col_net"), 62, "r"),
        ("gross", p.label("col_gross"), 62, "r"),
    ]
    cols = columns(p, spec, right - left)
    style_t = TableStyle(
        size=8,
        header_size=7.2,
        header_fill=(0.9, 0.9, 0.9),
        header_box=True,
        row_rule=True,
        pad=2.8,
        sub_line=("code", "ean"),
        carry=True,
        rule_color=(0.55, 0.55, 0.55),
    )
    s.continuation_top = 58.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(left, 38, inv.supplier.name or "", 8.5)
        sheet.text(right, 38, f"{plan.title} {inv.number}", 8.5, True, align="r")
        sheet.line(left, 44, right, 44, 0.6)
        return 54.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = Sheet.height - 28
        sheet.line(left, base - 9, right, base - 9, 0.4)
        sheet.text(left, base, f"{p.label('issued_by')}: {decor.issued_by}, tel. {decor.phone}", 7)
        sheet.text(right, base, p.label("page").format(p=page, n=total), 7.5, align="r")

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 46
    y = Table(s, p, cols, style_t, left).draw(inv.lines, y)

    y = s.ensure(y + 12, 140)
    recap_end = blocks.draw_vat_recap(
        s, p, inv, left, y, widths=(58, 76, 64, 76), fill=(0.9, 0.9, 0.9), title=True
    )
    totals_end = blocks.draw_totals(
        s, p, inv, split + 10, y + 4, width=right - split - 10, due_box=(0.9, 0.9, 0.9), due_size=11
    )
    y = max(recap_end, totals_end) + 30
    y = s.ensure(y, 20)
    s.text(left, y, "Tovar prevzal: ..............................", 8)
    s.text(split + 10, y, "Pečiatka a podpis dodávateľa", 8)
    return s.finish()
