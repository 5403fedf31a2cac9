"""Money S3 printout, Czech: letterhead with logo, rounded party boxes, a boxed grid of header
fields (label above value), separate payment box, two-line items (code, EAN, VAT under the
name) and "Haléřové vyrovnání" before the amount due."""

from __future__ import annotations

from random import Random

from nex_automat.domain.model import Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Sheet
from ..table import Table, TableStyle, columns
from ..truth import Decor

NAME = "money_cz"

PROFILE = Profile(
    languages=("cs",),
    fonts=("LiberationSans", "DejaVuSans"),
    number_styles=("nbsp_comma", "space_comma"),
    date_styles=("dmy_dot",),
    currency_placements=("after_symbol", "after_code"),
    number_patterns=("FV{yy}{n5}", "{yyyy}{n6}", "FA-{yyyy}-{n4}"),
    code_styles=("digits8", "alnum", "dotted"),
    qty_places=(2, 3, None),
    price_places=(2, 4),
    p_code=0.85,
    p_ean=0.6,
    p_discount=0.35,
    p_line_rate=0.9,
    p_line_vat=0.6,
    p_line_gross=0.7,
    p_constant_symbol=0.6,
    p_country=0.5,
    roundings={"cs": ("none", "whole", "whole")},
    labels={
        "number": {"cs": ("Číslo dokladu", "Faktura číslo")},
        "rounding": {"cs": ("Haléřové vyrovnání",)},
        "col_desc": {"cs": ("Označení dodávky", "Popis položky")},
    },
)

ACCENT = (0.12, 0.33, 0.6)
PALE = (0.9, 0.94, 0.98)


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 34.0, Sheet.width - 34
    mid = Sheet.width / 2

    blocks.logo(
        s, rng.choice(["roof", "box", "circle"]), left, 30, inv.supplier.name or "", color=ACCENT
    )
    s.text(left + 52, 46, inv.supplier.name or "", 12, True, align="l", color=ACCENT)
    s.text(
        left + 52,
        58,
        f"{decor.web}  |  {decor.email}  |  {decor.phone}",
        7,
        False,
        align="l",
        color=(0.3, 0.3, 0.3),
    )
    s.rect(mid + 40, 28, right - mid - 40, 40, fill=ACCENT, stroke=None)
    s.text(right - 8, 44, plan.title.upper(), 11, True, align="r", color=(1, 1, 1))
    s.text(right - 8, 60, f"č. {inv.number}", 10, True, align="r", color=(1, 1, 1))

    top = 84.0
    s.rect(left, top, mid - left - 6, 128, stroke=ACCENT, width=0.8, radius=5)
    s.text(left + 8, top + 12, p.label("supplier"), 7.5, True, align="l", color=ACCENT)
    style = blocks.PartyStyle(
        ids_on_one_line=rng.random() < 0.4, country_name_index=rng.randint(0, 2)
    )
    blocks.draw_lines(
        s, left + 8, top + 27, blocks.party_lines(p, inv.supplier, style), 8.5, leading=11
    )
    s.rect(mid + 6, top, right - mid - 6, 128, stroke=ACCENT, width=1.2, radius=5)
    s.text(mid + 14, top + 12, p.label("customer"), 7.5, True, align="l", color=ACCENT)
    blocks.draw_lines(
        s, mid + 14, top + 29, blocks.party_lines(p, inv.customer, style), 9, leading=12
    )

    y = top + 138
    grid = blocks.meta_items(p, inv, decor, with_number=False)
    y = blocks.draw_grid(s, left, y, right - left, grid, per_row=4, fill=PALE)
    y += 8
    bank_style = blocks.PartyStyle(iban_grouped=rng.random() < 0.5, domestic_account=True)
    bank = blocks.bank_items(p, inv.supplier, decor, bank_style)
    rows: list[list[tuple[float, str]]] = [[]]
    x = left + 6
    for label, value in bank:
        item = f"{label}: {value}"
        width = s.text_width(item, 7.5)
        if rows[-1] and x + width > right - 6:
            rows.append([])
            x = left + 6
        rows[-1].append((x, item))
        x += width + 14
    extra = 10 * (len(rows) - 1)
    s.rect(left, y, right - left, 26 + extra, stroke=ACCENT, width=0.6)
    s.text(left + 6, y + 10, "Platební údaje", 7, True, align="l", color=ACCENT)
    for row_index, row in enumerate(rows):
        for x, item in row:
            s.text(x, y + 21 + 10 * row_index, item, 7.5)
    y += 34 + extra
    for note in blocks.notes(p, inv, decor):
        s.text(left, y + 4, note, 8, True)
        y += 12

    spec = [
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 52, "r"),
        ("unit", p.label("col_unit"), 26, "l"),
        ("price", p.label("col_price"), 58, "r"),
        ("disc", p.label("col_disc"), 34, "r"),
        ("net", p.label("col_net"), 62, "r"),
        ("vat", p.label("col_vat"), 52, "r"),
        ("gross", p.label("col_gross"), 62, "r"),
    ]
    cols = columns(p, spec, right - left)
    style_t = TableStyle(
        size=8,
        header_size=7.3,
        header_fill=ACCENT,
        header_color=(1, 1, 1),
        zebra=PALE,
        pad=3,
        sub_line=("code", "ean", "rate"),
        desc_bold=True,
    )
    s.continuation_top = 70.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(left, 40, inv.supplier.name or "", 9, True, align="l", color=ACCENT)
        sheet.text(right, 40, f"{plan.title} č. {inv.number}", 9, True, align="r")
        sheet.line(left, 48, right, 48, 1, color=ACCENT)
        return 60.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = Sheet.height - 40
        sheet.line(left, base - 10, right, base - 10, 0.5, color=ACCENT)
        sheet.text(left, base, decor.registration, 6.5)
        sheet.text(left, base + 9, f"{p.label('issued_by')}: {decor.issued_by}, {decor.phone}", 6.5)
        sheet.text(right, base, p.label("page").format(p=page, n=total), 7.5, False, align="r")
        sheet.text(
            right, base + 9, "Money S3 - www.money.cz", 6, False, align="r", color=(0.4, 0.4, 0.4)
        )

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 62
    y = Table(s, p, cols, style_t, left).draw(inv.lines, y)

    y = s.ensure(y + 12, 150)
    recap_end = blocks.draw_vat_recap(
        s, p, inv, left, y, widths=(56, 76, 66, 76), fill=PALE, title=True
    )
    totals_end = blocks.draw_totals(
        s, p, inv, mid + 50, y + 4, width=right - mid - 54, size=8.5, due_box=PALE, due_size=12
    )
    y = s.ensure(max(recap_end, totals_end) + 30, 20)
    s.text(left, y, "Převzal: ..............................", 8)
    s.text(mid + 50, y, "Razítko a podpis: ..............................", 8)
    return s.finish()
