"""POHODA (Stormware) printout, Slovak: title top right, boxed Dodávateľ/Odberateľ side by side,
"Fakturujeme Vám" table with thin rules, recap per rate and a large "Celkom k úhrade"."""

from __future__ import annotations

from random import Random

from nex_automat.domain.model import DocumentType, Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Sheet
from ..table import Table, TableStyle, columns
from ..truth import Decor

NAME = "pohoda_sk"

PROFILE = Profile(
    languages=("sk",),
    fonts=("DejaVuSans", "LiberationSans"),
    number_styles=("space_comma", "nbsp_comma"),
    date_styles=("dmy_dot", "dmy_spaced"),
    currency_placements=("after_symbol", "after_code"),
    number_patterns=("{yy}0{n6}", "FV{yy}{n5}", "{yyyy}{n4}"),
    code_styles=("alnum", "digits6"),
    qty_places=(None, 2),
    price_places=(2, 3),
    p_code=0.35,
    p_discount=0.25,
    p_line_vat=0.5,
    p_line_gross=0.5,
    p_constant_symbol=0.7,
    p_country=0.3,
    p_recap_all_rates=0.5,
    roundings={"sk": ("none", "none", "cash05"), "cs": ("none",)},
    labels={
        "number": {"sk": ("Faktúra č.", "Číslo faktúry")},
        "supplier": {"sk": ("Dodávateľ:",)},
        "customer": {"sk": ("Odberateľ:",)},
        "col_desc": {"sk": ("Označenie dodávky",)},
        "col_qty": {"sk": ("Počet m.j.", "Množstvo")},
        "col_price": {"sk": ("Cena za m.j.", "J.cena")},
        "col_net": {"sk": ("Bez DPH", "Spolu bez DPH")},
        "col_gross": {"sk": ("Spolu", "Celkom")},
        "amount_due": {"sk": ("Celkom k úhrade", "Spolu k úhrade")},
        "total_net": {"sk": ("Súčet položiek bez DPH", "Spolu bez DPH")},
    },
)

FRAME = (0.35, 0.35, 0.35)


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 36.0, Sheet.width - 36
    mid = 300.0

    s.text(right, 50, f"{plan.title} {inv.number}", 14, True, align="r")
    for i, note in enumerate(blocks.notes(p, inv, decor)):
        s.text(mid - 20, 62 + i * 8, note, 6.5)

    top = 72.0
    s.rect(left, top, mid - left, 190, stroke=FRAME, width=0.8)
    s.text(left + 6, top + 12, p.label("supplier"), 8, True)
    party_style = blocks.PartyStyle(bank=False, country_name_index=rng.randint(0, 2))
    y = blocks.draw_lines(
        s, left + 6, top + 28, blocks.party_lines(p, inv.supplier, party_style), 8.5, leading=11
    )
    y = blocks.draw_wrapped(s, left + 6, y + 2, decor.registration, mid - left - 12) + 8
    bank_style = blocks.PartyStyle(
        iban_grouped=rng.random() < 0.7, domestic_account=rng.random() < 0.3
    )
    blocks.draw_label_values(
        s,
        left + 6,
        y,
        blocks.bank_items(p, inv.supplier, decor, bank_style),
        left + 80,
        size=8,
        leading=10.5,
    )

    meta = blocks.meta_items(p, inv, decor, with_number=False)
    codes = [
        (lbl, val)
        for lbl, val in meta
        if lbl
        in (p.label("variable_symbol"), p.label("constant_symbol"), p.label("order_reference"))
    ]
    blocks.draw_label_values(
        s, mid + 8, top + 12, codes, mid + 120, size=8.5, leading=11.5, bold_values=True
    )
    s.rect(mid + 4, top + 48, right - mid - 4, 142, stroke=(0, 0, 0), width=1.4)
    s.text(mid + 12, top + 60, p.label("customer"), 8, True)
    cust_style = blocks.PartyStyle(ids_on_one_line=False, country_name_index=rng.randint(0, 2))
    blocks.draw_lines(
        s, mid + 12, top + 76, blocks.party_lines(p, inv.customer, cust_style), 9, leading=12
    )

    y = top + 200
    dates = [(lbl, val) for lbl, val in meta if (lbl, val) not in codes]
    half = (len(dates) + 1) // 2
    blocks.draw_label_values(s, left + 6, y, dates[:half], left + 140, size=8.5, leading=11.5)
    blocks.draw_label_values(s, mid + 8, y, dates[half:], mid + 130, size=8.5, leading=11.5)
    y += half * 11.5 + 6
    intro = (
        "Fakturujeme Vám za dodaný tovar a služby:"
        if plan.document_type is not DocumentType.CREDIT_NOTE
        else "Dobropisujeme Vám:"
    )
    s.text(left, y + 6, intro, 8.5)
    y += 14

    spec = [
        ("code", p.label("col_code"), 58, "l"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 48, "r"),
        ("unit", "", 24, "l"),
        ("price", p.label("col_price"), 52, "r"),
        ("disc", p.label("col_disc"), 34, "r"),
        ("rate", "DPH %", 30, "r"),
        ("net", p.label("col_net"), 56, "r"),
        ("vat", "DPH", 48, "r"),
        ("gross", p.label("col_gross"), 56, "r"),
    ]
    cols = columns(p, spec, right - left)
    style = TableStyle(size=7.8, header_size=7.2, header_fill=None, row_rule=False, pad=2.6)
    s.continuation_top = 60.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(left, 40, f"{plan.title} {inv.number}", 9, True)
        sheet.text(right, 40, inv.supplier.name or "", 8, False, align="r")
        sheet.line(left, 46, right, 46, 0.5)
        return 60.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        sheet.line(left, Sheet.height - 42, right, Sheet.height - 42, 0.4, color=FRAME)
        sheet.text(
            left,
            Sheet.height - 32,
            "Ekonomický a informačný systém POHODA",
            6.5,
            False,
            align="l",
            color=FRAME,
        )
        sheet.text(
            right, Sheet.height - 32, p.label("page").format(p=page, n=total), 7, False, align="r"
        )

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 56
    y = Table(s, p, cols, style, left).draw(inv.lines, y)

    y = s.ensure(y + 10, 150)
    recap_end = blocks.draw_vat_recap(s, p, inv, left, y, widths=(70, 80, 70, 80), fill=None)
    totals_end = blocks.draw_totals(
        s, p, inv, mid + 40, y + 2, width=right - mid - 44, size=8.5, due_box=None, due_size=12
    )
    y = max(recap_end, totals_end) + 24
    y = s.ensure(y, 30)
    s.text(left, y, f"{p.label('issued_by')}: {decor.issued_by}", 8)
    s.text(left, y + 11, f"Tel.: {decor.phone}   E-mail: {decor.email}", 7.5)
    s.text(mid + 40, y, "Prevzal:", 8)
    return s.finish()
