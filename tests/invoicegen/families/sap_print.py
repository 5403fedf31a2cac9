"""SAP SD invoice print (Smart Forms), Slovak or Czech with English: return-address line over a
window address with no heading, bilingual labels, item numbers 10, 20, 30, material numbers,
delivery-note groups with subtotals, carried totals, ISO dates, 1,234.56 amounts with a trailing
minus on credit notes, and the supplier's identity and bank only in the page footer."""

from __future__ import annotations

from random import Random

from nex_automat.domain.model import DocumentType, Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Sheet
from ..table import Group, Table, TableStyle, columns
from ..truth import Decor

NAME = "sap_print"

PROFILE = Profile(
    languages=("sk", "cs"),
    fonts=("LiberationSans",),
    number_styles=("comma_dot", "plain_dot"),
    date_styles=("iso",),
    currency_placements=("after_code",),
    number_patterns=("9{n9}", "90{n8}"),
    code_styles=("sap",),
    qty_places=(3,),
    price_places=(2, 4),
    p_code=1.0,
    p_discount=0.0,
    p_line_rate=0.8,
    p_tax_point=0.9,
    p_constant_symbol=0.2,
    p_order_reference=0.9,
    p_country=0.8,
    p_multi_rate=0.3,
    p_upper_units=0.7,
    labels={
        "number": {"sk": ("Číslo faktúry / Invoice No.",), "cs": ("Číslo faktury / Invoice No.",)},
        "issue_date": {"sk": ("Dátum vystavenia / Date",), "cs": ("Datum vystavení / Date",)},
        "tax_point_date": {
            "sk": ("Dátum dodania / Delivery date", "DUZP / Tax point"),
            "cs": ("DUZP / Tax point", "Datum uskutečnění zdanitelného plnění"),
        },
        "due_date": {"sk": ("Splatnosť / Due date",), "cs": ("Splatnost / Due date",)},
        "order_reference": {
            "sk": ("Vaša objednávka / Your PO",),
            "cs": ("Vaše objednávka / Your PO",),
        },
        "variable_symbol": {"sk": ("Variabilný symbol",), "cs": ("Variabilní symbol",)},
        "payment_method": {
            "sk": ("Platobné podmienky / Terms",),
            "cs": ("Platební podmínky / Terms",),
        },
        "col_pos": {"sk": ("Pol.",), "cs": ("Pol.",)},
        "col_code": {"sk": ("Materiál",), "cs": ("Materiál",)},
        "col_desc": {"sk": ("Popis / Description",), "cs": ("Popis / Description",)},
        "col_price": {"sk": ("Cena/MJ",), "cs": ("Cena/MJ",)},
        "col_net": {"sk": ("Hodnota netto",), "cs": ("Hodnota netto",)},
        "total_net": {"sk": ("Celková hodnota netto",), "cs": ("Celková hodnota netto",)},
        "total_gross": {"sk": ("Celková suma s DPH",), "cs": ("Celková částka s DPH",)},
        "amount_due": {
            "sk": ("Suma k úhrade / Amount due",),
            "cs": ("Částka k úhradě / Amount due",),
        },
        "carry_in": {
            "sk": ("Prenos z predchádzajúcej strany",),
            "cs": ("Převod z předchozí strany",),
        },
        "carry_out": {"sk": ("Prenos na ďalšiu stranu",), "cs": ("Převod na další stranu",)},
        "page": {"sk": ("Strana {p} z {n}",), "cs": ("Strana {p} z {n}",)},
    },
    titles={
        DocumentType.INVOICE: {"sk": ("FAKTÚRA / INVOICE",), "cs": ("FAKTURA / INVOICE",)},
        DocumentType.CREDIT_NOTE: {
            "sk": ("DOBROPIS / CREDIT NOTE",),
            "cs": ("DOBROPIS / CREDIT NOTE",),
        },
        DocumentType.ADVANCE_INVOICE: {
            "sk": ("ZÁLOHOVÁ FAKTÚRA / DOWN PAYMENT REQUEST",),
            "cs": ("ZÁLOHOVÁ FAKTURA / DOWN PAYMENT REQUEST",),
        },
        DocumentType.PROFORMA: {
            "sk": ("PROFORMA FAKTÚRA / PRO FORMA INVOICE",),
            "cs": ("PROFORMA FAKTURA / PRO FORMA INVOICE",),
        },
    },
)

DELIVERY_NOTE = {"sk": "Dodací list {no} zo dňa {day}", "cs": "Dodací list {no} ze dne {day}"}
CUSTOMER_NO = {"sk": "Číslo zákazníka / Customer No.", "cs": "Číslo zákazníka / Customer No."}


def _groups(inv: Invoice, decor: Decor, p: Printer, rng: Random) -> list[Group]:
    n = len(inv.lines)
    if n < 6 or rng.random() < 0.3:
        return []
    count = min(len(decor.delivery_notes), max(2, n // rng.randint(6, 14)))
    cuts = sorted(rng.sample(range(1, n), count - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    assert inv.issue_date is not None
    return [
        Group(
            DELIVERY_NOTE[p.plan.language].format(
                no=decor.delivery_notes[i], day=p.date(inv.issue_date)
            ),
            size,
            p.label("subtotal"),
        )
        for i, size in enumerate(sizes)
    ]


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan, trailing_minus=True)
    s = Sheet(plan.font)
    left, right = 48.0, Sheet.width - 40
    sup = inv.supplier

    blocks.logo(s, "box", right - 44, 30, sup.name or "", color=(0.05, 0.3, 0.55))
    s.text(right - 52, 42, sup.name or "", 10, True, align="r")
    s.text(right - 52, 53, f"{sup.street}, {sup.postal_code} {sup.city}", 7.5, align="r")

    s.text(left, 108, f"{sup.name} · {sup.street} · {sup.postal_code} {sup.city}", 6.5)
    s.line(left, 110.5, left + 230, 110.5, 0.3)
    window = blocks.party_lines(p, inv.customer, blocks.PartyStyle(country_name_index=2))
    address = [item for item in window if ":" not in item[0]]
    ids = [item for item in window if ":" in item[0]]
    y = blocks.draw_lines(s, left, 126, address, 9.5, leading=12)
    blocks.draw_lines(s, left, max(y + 10, 186), ids, 8, leading=10)

    x_info = 320.0
    meta = blocks.meta_items(p, inv, decor, with_number=True)
    meta.insert(1, (CUSTOMER_NO[plan.language], f"{rng.randint(100000, 199999)}"))
    blocks.draw_label_values(s, x_info, 100, meta, x_info + 150, size=7.8, leading=11)

    y = 232.0
    s.text(left, y, plan.title, 14, True)
    y += 10
    for note in blocks.notes(p, inv, decor):
        s.text(left, y + 8, note, 8)
        y += 11
    y += 6

    spec = [
        ("pos10", p.label("col_pos"), 30, "l"),
        ("code", p.label("col_code"), 58, "l"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 56, "r"),
        ("unit", p.label("col_unit"), 28, "l"),
        ("price", p.label("col_price"), 62, "r"),
        ("rate", p.label("col_rate"), 34, "r"),
        ("net", p.label("col_net"), 70, "r"),
    ]
    cols = columns(p, spec, right - left)
    style = TableStyle(size=8, header_size=7.5, header_fill=None, pad=2.8, carry=True)
    s.continuation_top = 96.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(left, 60, f"{plan.title}  {inv.number}", 9, True)
        sheet.text(left, 72, f"{p.label('number')}: {inv.number}", 7.5)
        return 86.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        sheet.text(right, 28, p.label("page").format(p=page, n=total), 7.5, align="r")
        base = Sheet.height - (66 if sup.country else 58)
        sheet.line(left, base - 9, right, base - 9, 0.4)
        col = (right - left) / 3
        first = [
            sup.name or "",
            sup.street or "",
            f"{sup.postal_code} {sup.city}",
            *([blocks.country_name(p, sup.country, 0)] if sup.country else []),
            decor.registration,
        ]
        second = [f"{label}: {value}" for label, value in blocks.id_items(p, sup)] + [decor.web]
        third = [
            f"{label}: {value}"
            for label, value in blocks.bank_items(p, sup, decor, blocks.PartyStyle())
        ]
        for i, lines in enumerate((first, second, third)):
            for j, text in enumerate(lines):
                wrapped = sheet.wrap(text, col - 6, 6.3) if text == decor.registration else [text]
                for k, part in enumerate(wrapped):
                    sheet.text(left + i * col, base + (j + k) * 8, part, 6.3)

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 80
    groups = _groups(inv, decor, p, rng)
    y = Table(s, p, cols, style, left).draw(inv.lines, y, groups)

    y = s.ensure(y + 12, 130)
    blocks.draw_vat_recap(s, p, inv, left, y, widths=(60, 80, 70, 80), fill=None, with_total=False)
    blocks.draw_totals(s, p, inv, 330, y, width=right - 330, due_box=(0.9, 0.9, 0.9), due_size=10)
    return s.finish()
