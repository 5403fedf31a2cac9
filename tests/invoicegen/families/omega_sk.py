"""KROS OMEGA printout, Slovak, serif: centred title, Odberateľ on the LEFT and Dodávateľ (with
its bank) on the right, "Label: value" header lines, a discount column, the VAT recap as a
list of "Základ DPH 23 %" / "DPH 23 %" lines including empty rates, and cash rounding."""

from __future__ import annotations

from random import Random

from nex_automat.domain.model import Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Sheet
from ..table import Table, TableStyle, columns
from ..truth import Decor

NAME = "omega_sk"

PROFILE = Profile(
    languages=("sk",),
    fonts=("DejaVuSerif",),
    number_styles=("dot_comma", "space_comma"),
    date_styles=("dmy_spaced", "dmy_dot"),
    currency_placements=("after_code", "after_symbol"),
    number_patterns=("{yyyy}/{n4}", "OF{yyyy}{n4}", "{yy}{n5}"),
    code_styles=("digits6",),
    qty_places=(3, 2),
    price_places=(2, 4),
    p_code=0.0,
    p_discount=0.7,
    p_line_rate=1.0,
    p_line_gross=0.4,
    p_constant_symbol=0.6,
    p_country=0.5,
    p_bic=0.9,
    p_recap_all_rates=0.6,
    roundings={"sk": ("cash05", "none")},
    labels={
        "supplier": {"sk": ("Dodávateľ:", "DODÁVATEĽ:")},
        "customer": {"sk": ("Odberateľ:", "ODBERATEĽ:")},
        "total_vat": {"sk": ("DPH spolu", "Celkom DPH")},
        "amount_due": {"sk": ("K úhrade", "Suma k úhrade", "Celkom k úhrade")},
        "col_desc": {"sk": ("Názov", "Popis")},
        "col_price": {"sk": ("Jedn. cena", "J. cena")},
        "col_net": {"sk": ("Cena bez DPH", "Spolu bez DPH")},
        "col_gross": {"sk": ("Cena s DPH", "Spolu s DPH")},
        "page": {"sk": ("Strana {p}/{n}", "Strana {p} z {n}")},
    },
)


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan, percent_places=rng.choice([None, 2]))
    s = Sheet(plan.font)
    left, right = 40.0, Sheet.width - 40
    mid = Sheet.width / 2

    s.text(mid, 48, f"{plan.title.upper()} č. {inv.number}", 15, True, align="c")
    s.line(left, 58, right, 58, 1.2)
    s.line(left, 60.5, right, 60.5, 0.4)

    top = 72.0
    s.rect(left, top, mid - left - 8, 118, stroke=(0, 0, 0), width=0.6)
    s.text(left + 6, top + 12, p.label("customer"), 8.5, True)
    cust = blocks.PartyStyle(ids_on_one_line=False, country_name_index=1)
    blocks.draw_lines(
        s, left + 6, top + 28, blocks.party_lines(p, inv.customer, cust), 9, leading=11.5
    )

    s.text(mid + 4, top + 12, p.label("supplier"), 8.5, True)
    supp = blocks.PartyStyle(
        ids_on_one_line=True,
        bank=True,
        iban_grouped=rng.random() < 0.5,
        country_name_index=1,
    )
    end = blocks.draw_lines(
        s, mid + 4, top + 28, blocks.party_lines(p, inv.supplier, supp, decor), 8, leading=10
    )

    y = max(top + 128, end + 4)
    meta = blocks.meta_items(p, inv, decor, with_number=False)
    half = (len(meta) + 1) // 2
    blocks.draw_label_values(s, left, y, meta[:half], size=8.5, leading=12)
    blocks.draw_label_values(s, mid + 4, y, meta[half:], size=8.5, leading=12)
    y += half * 12 + 2
    for note in blocks.notes(p, inv, decor):
        s.text(left, y + 2, note, 8, True)
        y += 11
    y += 4

    spec = [
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 52, "r"),
        ("unit", p.label("col_unit"), 26, "c"),
        ("price", p.label("col_price"), 60, "r"),
        ("disc", p.label("col_disc"), 38, "r"),
        ("rate", p.label("col_rate"), 34, "r"),
        ("net", p.label("col_net"), 64, "r"),
        ("gross", p.label("col_gross"), 64, "r"),
    ]
    cols = columns(p, spec, right - left)
    style = TableStyle(
        size=8,
        header_size=7.5,
        header_fill=None,
        row_rule=True,
        pad=3.2,
        rule_color=(0.4, 0.4, 0.4),
    )
    s.continuation_top = 62.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(mid, 40, f"{plan.title} č. {inv.number} - pokračovanie", 9, True, align="c")
        sheet.line(left, 47, right, 47, 0.8)
        return 58.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = Sheet.height - 34
        sheet.line(left, base - 10, right, base - 10, 0.4)
        sheet.text(left, base, decor.registration, 6.5)
        sheet.text(right, base, p.label("page").format(p=page, n=total), 7.5, align="r")
        sheet.text(left, base + 9, "Vystavené v programe OMEGA", 6, color=(0.4, 0.4, 0.4))

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 56
    y = Table(s, p, cols, style, left).draw(inv.lines, y)

    needed = 20 + 12 * (2 * len(inv.vat_breakdown) + 5)
    y = s.ensure(y + 14, needed)
    recap_y = y
    for row in inv.vat_breakdown:
        rate = p.percent(row.rate, sign=True)
        for label, value in ((f"Základ DPH {rate}", row.base), (f"DPH {rate}", row.vat)):
            assert value is not None
            s.text(left, recap_y + 8, f"{label}:", 8.5)
            s.text(left + 190, recap_y + 8, p.money(value), 8.5, align="r")
            recap_y += 12
    totals_end = blocks.draw_totals(
        s, p, inv, mid + 30, y, width=right - mid - 30, due_box=None, due_size=12
    )
    s.line(mid + 26, totals_end + 1, right, totals_end + 1, 1.2)
    y = max(recap_y, totals_end) + 26
    y = s.ensure(y, 24)
    s.text(left, y, f"{p.label('issued_by')}: {decor.issued_by}", 8.5)
    s.text(left, y + 11, f"{decor.phone}, {decor.email}", 7.5)
    s.text(right, y, "Pečiatka a podpis", 8, align="r")
    return s.finish()
