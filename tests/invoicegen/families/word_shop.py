"""A small shop's invoice typed in Word, Slovak or Czech, serif: centred letterhead, centred
"FAKTÚRA č. 12/2025", the customer under "Odberateľ:" or "Príjemca:", "Label: value" lines,
a fully gridded table with item numbers and mostly no VAT column, one VAT rate, plain totals."""

from __future__ import annotations

from random import Random

from nex_automat.domain.model import Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Sheet
from ..table import Table, TableStyle, columns
from ..truth import Decor

NAME = "word_shop"

PROFILE = Profile(
    languages=("sk", "cs"),
    fonts=("LiberationSerif",),
    number_styles=("plain_comma", "space_comma"),
    date_styles=("dmy_slash", "dmy_dot", "dmy_spaced"),
    currency_placements=("header", "after_code", "after_symbol"),
    number_patterns=("{n3}/{yyyy}", "{yyyy}{n3}", "{yyyy}/{n3}"),
    qty_places=(None,),
    price_places=(2,),
    p_code=0.0,
    p_line_rate=0.3,
    p_tax_point=0.7,
    p_constant_symbol=0.2,
    p_order_reference=0.3,
    p_country=0.2,
    p_bic=0.5,
    p_multi_rate=0.0,
    labels={
        "customer": {"sk": ("Odberateľ:", "Príjemca:"), "cs": ("Odběratel:", "Příjemce:")},
        "col_pos": {"sk": ("P.č.", "Č."), "cs": ("P.č.", "Č.")},
        "col_desc": {"sk": ("Názov tovaru", "Tovar"), "cs": ("Název zboží", "Zboží")},
        "col_net": {"sk": ("Spolu", "Cena spolu"), "cs": ("Celkem", "Cena celkem")},
        "total_net": {
            "sk": ("Základ dane", "Spolu bez DPH"),
            "cs": ("Základ daně", "Celkem bez DPH"),
        },
    },
)

THANKS = {"sk": "Ďakujeme za Vašu objednávku.", "cs": "Děkujeme za Vaši objednávku."}
BANK_LINE = {"sk": "Bankové spojenie", "cs": "Bankovní spojení"}


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 56.0, Sheet.width - 56
    mid = Sheet.width / 2
    sup = inv.supplier

    s.text(mid, 52, sup.name or "", 16, True, align="c")
    address = f"{sup.street}, {sup.postal_code} {sup.city}"
    if sup.country:
        address += f", {blocks.country_name(p, sup.country, 0)}"
    s.text(mid, 66, address, 9.5, align="c")
    s.text(
        mid,
        78,
        "   ".join(f"{label}: {value}" for label, value in blocks.id_items(p, sup)),
        9.5,
        align="c",
    )
    s.text(mid, 90, f"tel.: {decor.phone}   e-mail: {decor.email}", 9, align="c")
    s.line(left, 97, right, 97, 0.8)

    s.text(mid, 124, f"{plan.title.upper()} č. {inv.number}", 15, True, align="c")

    y = 148.0
    s.text(left, y, p.label("customer"), 10, True)
    style = blocks.PartyStyle(country_name_index=0)
    end_left = blocks.draw_lines(
        s, left, y + 14, blocks.party_lines(p, inv.customer, style), 10, leading=12.5
    )
    meta = blocks.meta_items(p, inv, decor, with_number=False)
    end_right = blocks.draw_label_values(s, mid + 20, y, meta, size=10, leading=13)
    y = max(end_left, end_right) + 8
    bank = blocks.bank_items(p, sup, decor, blocks.PartyStyle(iban_grouped=rng.random() < 0.5))
    s.text(
        left,
        y,
        f"{BANK_LINE[plan.language]}: "
        + ", ".join(f"{label}: {value}" for label, value in bank[1:]),
        9.5,
    )
    s.text(left, y + 12, f"{bank[0][0]}: {bank[0][1]}", 9.5)
    y += 26
    for note in blocks.notes(p, inv, decor):
        s.text(left, y, note, 9.5)
        y += 12

    spec = [
        ("pos_dot", p.label("col_pos"), 28, "c"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 56, "r"),
        ("unit", p.label("col_unit"), 32, "c"),
        ("price", p.with_currency(p.label("col_price"), "()"), 70, "r"),
        ("rate", p.label("col_rate"), 36, "r"),
        ("net", p.with_currency(p.label("col_net"), "()"), 72, "r"),
    ]
    cols = columns(p, spec, right - left)
    table_style = TableStyle(
        size=9.5,
        header_size=9.5,
        header_fill=None,
        header_box=True,
        grid=True,
        row_rule=True,
        pad=3.5,
    )
    s.continuation_top = 50.0

    def continuation(sheet: Sheet) -> float:
        return 50.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        sheet.text(mid, Sheet.height - 30, p.label("page").format(p=page, n=total), 9, align="c")

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 50
    y = Table(s, p, cols, table_style, left).draw(inv.lines, y)

    y = s.ensure(y + 16, 110)
    x_label, x_value = mid + 10, right
    for row in inv.vat_breakdown:
        rate = p.percent(row.rate, sign=True)
        for label, value in (
            (f"{p.label('total_net')} {rate}", row.base),
            (f"DPH {rate}", row.vat),
        ):
            assert value is not None
            s.text(x_label, y, f"{label}:", 10)
            s.text(x_value, y, p.money(value), 10, align="r")
            y += 13
    for label, value in blocks.totals_items(p, inv)[2:]:
        s.text(x_label, y, f"{label}:", 10)
        s.text(x_value, y, p.money(value), 10, align="r")
        y += 13
    s.line(x_label, y - 8, right, y - 8, 0.6)
    assert inv.amount_due is not None
    due_label = p.label("amount_due") + (
        f" ({p.code})" if plan.currency_placement == "header" else ""
    )
    s.text(x_label, y + 6, f"{due_label}:", 11.5, True)
    s.text(x_value, y + 6, p.money(inv.amount_due), 11.5, True, align="r")
    y = s.ensure(y + 44, 40)
    s.text(left, y, f"{p.label('issued_by')}: {decor.issued_by}", 10)
    s.text(left, y + 24, THANKS[plan.language], 10)
    return s.finish()
