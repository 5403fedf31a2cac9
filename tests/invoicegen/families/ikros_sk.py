"""iKROS printout, Slovak: dark header band, "Doklad číslo", supplier and shaded customer block
side by side, sometimes a delivery place, a separate payment box with a PAY by square code,
dark table header rows with zebra rows, short dates like 16.9.25 and numbers like 1234,56."""

from __future__ import annotations

from random import Random

from nex_automat.domain.model import Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Sheet
from ..table import Table, TableStyle, columns
from ..truth import Decor

NAME = "ikros_sk"

PROFILE = Profile(
    languages=("sk",),
    fonts=("LiberationSans", "DejaVuSans"),
    number_styles=("plain_comma", "space_comma"),
    date_styles=("dmy_short", "dmy_dot"),
    currency_placements=("after_symbol",),
    number_patterns=("FA{yyyy}{n4}", "{yyyy}{n5}", "FV-{n5}/{yy}"),
    code_styles=("alnum", "dotted"),
    qty_places=(None, 2),
    price_places=(2, 3),
    p_code=0.7,
    p_discount=0.5,
    p_line_rate=1.0,
    p_line_vat=0.4,
    p_line_gross=0.6,
    p_constant_symbol=0.5,
    p_order_reference=0.6,
    p_country=0.3,
    roundings={"sk": ("none", "cash05")},
    labels={
        "number": {"sk": ("Doklad číslo", "Číslo dokladu")},
        "supplier": {"sk": ("Dodávateľ", "DODÁVATEĽ")},
        "customer": {"sk": ("Odberateľ", "ODBERATEĽ")},
        "col_pos": {"sk": ("P.č.", "#")},
        "amount_due": {"sk": ("K úhrade", "Spolu k úhrade")},
    },
)

DARK = (0.2, 0.24, 0.3)
SHADE = (0.93, 0.93, 0.93)
WHITE = (1.0, 1.0, 1.0)


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 32.0, Sheet.width - 32
    mid = 300.0

    s.rect(0, 0, Sheet.width, 58, fill=DARK, stroke=None)
    s.text(left, 28, inv.supplier.name or "", 13, True, color=WHITE)
    s.text(left, 42, f"{decor.web}   {decor.phone}", 7.5, color=(0.85, 0.85, 0.85))
    s.text(right, 28, plan.title.upper(), 13, True, align="r", color=WHITE)
    s.text(right, 44, f"{p.label('number')}: {inv.number}", 9.5, True, align="r", color=WHITE)

    top = 74.0
    s.text(left, top, p.label("supplier"), 8, True, color=DARK)
    style = blocks.PartyStyle(contact=rng.random() < 0.5, country_name_index=0)
    end_left = blocks.draw_lines(
        s, left, top + 14, blocks.party_lines(p, inv.supplier, style, decor), 8.5, leading=11
    )
    end_left = blocks.draw_wrapped(s, left, end_left, decor.registration, mid - left - 12) - 8

    s.rect(mid, top - 10, right - mid, 112, fill=SHADE, stroke=None)
    s.text(mid + 8, top + 2, p.label("customer"), 8, True, color=DARK)
    blocks.draw_lines(
        s,
        mid + 8,
        top + 18,
        blocks.party_lines(p, inv.customer, blocks.PartyStyle()),
        9.5,
        leading=12.5,
    )
    y_right = top + 110
    if rng.random() < 0.35:
        name, street, city = decor.delivery_address
        s.text(mid + 8, y_right + 4, f"{blocks.NOTES['delivery']['sk']}:", 7.5, True, color=DARK)
        s.text(mid + 8, y_right + 15, f"{name}, {street}, {city}", 8)
        y_right += 22

    y = max(end_left + 14, y_right + 6)
    meta = blocks.meta_items(p, inv, decor, with_number=False)
    pay_labels = {p.label("variable_symbol"), p.label("constant_symbol")}
    dates = [item for item in meta if item[0] not in pay_labels]
    blocks.draw_label_values(
        s, left, y + 10, dates, left + 130, size=8.5, leading=12, bold_values=True
    )

    box_h = 92
    s.rect(mid, y, right - mid, box_h, stroke=DARK, width=0.8)
    s.rect(mid, y, right - mid, 14, fill=DARK, stroke=None)
    s.text(mid + 6, y + 10, "Platobné údaje", 7.5, True, color=WHITE)
    payment = blocks.bank_items(p, inv.supplier, decor, blocks.PartyStyle(iban_grouped=True))
    payment += [item for item in meta if item[0] in pay_labels]
    blocks.draw_label_values(s, mid + 6, y + 26, payment, mid + 62, size=7.8, leading=11)
    blocks.pay_by_square(s, right - 70, y + 18, 66, rng.randint(0, 10**6))
    y += box_h + 10
    for note in blocks.notes(p, inv, decor):
        s.text(left, y, note, 8, True)
        y += 11

    spec = [
        ("pos", p.label("col_pos"), 22, "c"),
        ("code", p.label("col_code"), 54, "l"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 44, "r"),
        ("unit", p.label("col_unit"), 24, "c"),
        ("price", p.label("col_price"), 48, "r"),
        ("disc", p.label("col_disc"), 30, "r"),
        ("rate", p.label("col_rate"), 30, "r"),
        ("net", p.label("col_net"), 54, "r"),
        ("vat", p.label("col_vat"), 44, "r"),
        ("gross", p.label("col_gross"), 54, "r"),
    ]
    cols = columns(p, spec, right - left)
    style_t = TableStyle(
        size=7.6,
        header_size=7,
        header_fill=DARK,
        header_color=WHITE,
        zebra=SHADE,
        pad=3,
        bottom_rule=True,
    )
    s.continuation_top = 70.0

    def continuation(sheet: Sheet) -> float:
        sheet.rect(0, 0, Sheet.width, 36, fill=DARK, stroke=None)
        sheet.text(left, 23, inv.supplier.name or "", 10, True, color=WHITE)
        sheet.text(right, 23, f"{plan.title} {inv.number}", 10, True, align="r", color=WHITE)
        return 50.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = Sheet.height - 26
        sheet.text(left, base, "Vyhotovené v systéme iKROS", 6.5, color=(0.45, 0.45, 0.45))
        sheet.text(right, base, p.label("page").format(p=page, n=total), 7.5, align="r")

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 42
    y = Table(s, p, cols, style_t, left).draw(inv.lines, y)

    y = s.ensure(y + 12, 130)
    recap_end = blocks.draw_vat_recap(s, p, inv, left, y, widths=(62, 78, 66, 78), fill=SHADE)
    totals_end = blocks.draw_totals(
        s, p, inv, mid + 20, y + 2, width=right - mid - 24, due_box=SHADE, due_size=12
    )
    y = max(recap_end, totals_end) + 28
    y = s.ensure(y, 20)
    s.text(left, y, f"{p.label('issued_by')}: {decor.issued_by}", 8)
    s.text(mid + 20, y, "Prevzal: ......................................", 8)
    return s.finish()
