"""KROS Alfa plus / Omega-plus-like printout, Slovak: the supplier as a letterhead with its ids in
one row, the title and number in a frame top right, the customer's IČO / DIČ / IČ DPH printed
ABOVE a window-envelope frame holding only the name and address, payment lines on the left and
dates on the right, an item table without vertical rules (Označenie | Mn. | J. | Cena/J. bez DPH
| % DPH | Cena bez DPH | DPH | Spolu), numbers like 1.234,56, the VAT recap written as lines
"Základ dane 20 %: … DPH 20 %: …", sometimes an advance already paid ("Uhradené zálohou",
which lowers the amount due below the total with VAT), and "Faktúru vystavil:" / "Prevzal:"
signature lines."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_DOWN, Decimal
from random import Random

from nex_automat.domain.model import DocumentType, Invoice

from .. import blocks
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import BLACK, Color, Sheet
from ..table import Table, TableStyle, columns
from ..truth import Decor

NAME = "alfa_sk"

PROFILE = Profile(
    languages=("sk",),
    fonts=("LiberationSans", "DejaVuSansCondensed", "LiberationSerif"),
    number_styles=("dot_comma", "dot_comma", "space_comma"),
    date_styles=("dmy_dot", "dmy_spaced"),
    currency_placements=("after_code", "after_code", "header"),
    number_patterns=("{yyyy}{n4}", "{yy}0{n4}", "FV{yy}{n4}", "{n3}/{yyyy}"),
    code_styles=("alnum", "digits6"),
    qty_places=(2, 3),
    price_places=(2, 3, 4),
    p_code=0.3,
    p_discount=0.0,
    p_line_rate=1.0,
    p_line_vat=0.85,
    p_line_gross=0.9,
    p_tax_point=1.0,
    p_constant_symbol=0.6,
    p_order_reference=0.4,
    p_country=0.3,
    p_bic=0.8,
    p_multi_rate=0.35,
    p_recap_all_rates=0.5,
    labels={
        "number": {"sk": ("číslo", "č.")},
        "issue_date": {"sk": ("Dátum vyhotovenia", "Dátum vystavenia")},
        "tax_point_date": {"sk": ("Dátum dodania", "Dátum zdaniteľného plnenia")},
        "due_date": {"sk": ("Dátum splatnosti",)},
        "payment_method": {"sk": ("Forma úhrady", "Spôsob úhrady")},
        "order_reference": {"sk": ("Objednávka č.", "Vaša objednávka")},
        "supplier": {"sk": ("Dodávateľ:",)},
        "customer": {"sk": ("Odberateľ:", "Príjemca:")},
        "bank": {"sk": ("Peňažný ústav", "Banka")},
        "account": {"sk": ("Číslo účtu",)},
        "total_net": {"sk": ("Spolu bez DPH", "Celkom bez DPH")},
        "total_vat": {"sk": ("DPH spolu", "Celkom DPH")},
        "total_gross": {"sk": ("Spolu s DPH", "Celkom s DPH", "Celková suma")},
        "amount_due": {"sk": ("K úhrade", "Zostáva uhradiť", "Suma k úhrade")},
        "col_code": {"sk": ("Kód",)},
        "col_desc": {"sk": ("Označenie", "Označenie dodávky")},
        "col_qty": {"sk": ("Mn.", "Množstvo")},
        "col_unit": {"sk": ("J.", "MJ")},
        "col_price": {"sk": ("Cena/J. bez DPH", "Jedn. cena bez DPH")},
        "col_rate": {"sk": ("% DPH",)},
        "col_net": {"sk": ("Cena bez DPH",)},
        "col_vat": {"sk": ("DPH",)},
        "col_gross": {"sk": ("Spolu", "Spolu s DPH")},
        "page": {"sk": ("Strana {p}/{n}", "Strana {p} z {n}")},
    },
    titles={
        DocumentType.INVOICE: {"sk": ("FAKTÚRA - daňový doklad", "FAKTÚRA")},
        DocumentType.CREDIT_NOTE: {"sk": ("DOBROPIS - opravný daňový doklad", "DOBROPIS")},
        DocumentType.ADVANCE_INVOICE: {"sk": ("ZÁLOHOVÁ FAKTÚRA",)},
        DocumentType.PROFORMA: {"sk": ("PROFORMA FAKTÚRA",)},
    },
)

RECAP_WORDINGS: tuple[tuple[str, str], ...] = (
    ("Základ dane {r}:", "DPH {r}:"),
    ("Základ dane v sadzbe {r}:", "Daň {r}:"),
    ("Základ DPH {r}:", "Výška DPH {r}:"),
)
PREPAID_LABELS: tuple[str, ...] = ("Uhradené zálohou", "Uhradené zálohami", "Odpočet zálohy")
DIM: Color = (0.35, 0.35, 0.35)
ADVANCE_SHARE: tuple[str, ...] = ("0.2", "0.3", "0.5", "0.5", "1")
"""Which part of the total an advance covered; 1 means the invoice is settled in full."""


def adjust(inv: Invoice, plan: Plan, rng: Random) -> None:
    """Now and then an advance was paid before the invoice: it is deducted from the amount due,
    the totals with and without VAT stay those of the whole supply."""
    if plan.document_type is not DocumentType.INVOICE or rng.random() >= 0.4:
        return
    assert inv.total_gross is not None and inv.amount_due is not None
    share = Decimal(rng.choice(ADVANCE_SHARE))
    if share == 1:
        prepaid = inv.total_gross
    else:
        prepaid = (inv.total_gross * share / 10).quantize(Decimal(1), rounding=ROUND_DOWN) * 10
    if prepaid <= 0:
        return
    inv.prepaid_amount = prepaid.quantize(Decimal("0.01"))
    inv.amount_due = inv.amount_due - inv.prepaid_amount


def _letterhead(s: Sheet, p: Printer, inv: Invoice, decor: Decor, left: float) -> float:
    party = inv.supplier
    s.text(left, 38, p.label("supplier"), 7, color=DIM)
    s.text(left, 52, party.name or "", 12.5, True)
    address = f"{party.street}, {party.postal_code} {party.city}"
    if party.country:
        address += f", {blocks.country_name(p, party.country, 1)}"
    s.text(left, 64, address, 8.5)
    ids = "    ".join(f"{label}: {value}" for label, value in blocks.id_items(p, party))
    s.text(left, 76, ids, 8.5)
    s.text(left, 87, f"Tel.: {decor.phone}    E-mail: {decor.email}    {decor.web}", 7, color=DIM)
    return 96.0


def _recap(
    s: Sheet, p: Printer, inv: Invoice, x: float, y: float, *, wording: tuple[str, str]
) -> float:
    """Two label/value pairs per rate on one line, values right-aligned under each other."""
    base_label, vat_label = wording
    for row in inv.vat_breakdown:
        rate = p.percent(row.rate, sign=True)
        s.text(x, y, base_label.format(r=rate), 8)
        s.text(x + 150, y, p.money(row.base or Decimal(0)), 8, align="r")
        s.text(x + 165, y, vat_label.format(r=rate), 8)
        s.text(x + 285, y, p.money(row.vat or Decimal(0)), 8, align="r")
        y += 11
    return y


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 34.0, Sheet.width - 34
    mid = 318.0
    suffix = f" {plan.currency}" if plan.currency_placement == "header" else ""

    y = _letterhead(s, p, inv, decor, left)
    s.rect(mid, 28, right - mid, 40, stroke=BLACK, width=0.9)
    s.text(mid + 8, 44, plan.title, 11 if len(plan.title) < 24 else 9.5, True)
    s.text(mid + 8, 60, f"{p.label('number')}", 8.5)
    s.text(right - 8, 60, inv.number or "", 12, True, align="r")
    s.line(left, y, right, y, 1.0)

    top = y + 12
    customer = inv.customer
    ids = "   ".join(f"{label}: {value}" for label, value in blocks.id_items(p, customer))
    s.text(mid, top + 4, ids, 7.8)
    s.text(mid, top + 18, p.label("customer"), 7, color=DIM)
    frame_top = top + 22
    s.rect(mid, frame_top, right - mid, 66, stroke=BLACK, width=0.6, radius=6)
    lines = [(customer.name or "", True), (customer.street or "", False)]
    lines.append((f"{customer.postal_code}  {customer.city}", False))
    if customer.country:
        lines.append((blocks.country_name(p, customer.country, 0).upper(), False))
    blocks.draw_lines(s, mid + 12, frame_top + 16, lines, 9, leading=12)

    pay_labels = {p.label("variable_symbol"), p.label("constant_symbol"), p.label("payment_method")}
    meta = blocks.meta_items(p, inv, decor, with_number=False)
    payment = blocks.bank_items(
        p,
        inv.supplier,
        decor,
        blocks.PartyStyle(iban_grouped=rng.random() < 0.5, domestic_account=True),
    )
    payment += [item for item in meta if item[0] in pay_labels]
    y_left = blocks.draw_label_values(
        s, left, top + 8, payment, left + 92, size=8, leading=11.5, bold_values=True
    )
    dates = [item for item in meta if item[0] not in pay_labels]
    y_right = blocks.draw_label_values(
        s, mid, frame_top + 82, dates, mid + 110, size=8, leading=11.5, bold_values=True
    )
    if rng.random() < 0.4:
        site, street, city = decor.delivery_address
        s.text(left, y_left + 6, "Miesto dodania:", 7.5, color=DIM)
        s.text(left, y_left + 17, f"{site}, {street}, {city}", 8)
        y_left += 22
    y = max(y_left, y_right) + 6
    for note in blocks.notes(p, inv, decor):
        s.text(left, y + 4, note, 8, True)
        y += 11
    s.text(left, y + 10, "Fakturujeme Vám za dodaný tovar a služby:", 8)
    y += 16

    spec = [
        ("code", p.label("col_code"), 50, "l"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 44, "r"),
        ("unit", p.label("col_unit"), 24, "l"),
        ("price", p.with_currency(p.label("col_price")), 60, "r"),
        ("rate", p.label("col_rate"), 30, "r"),
        ("net", p.with_currency(p.label("col_net")), 58, "r"),
        ("vat", p.with_currency(p.label("col_vat")), 48, "r"),
        ("gross", p.with_currency(p.label("col_gross")), 58, "r"),
    ]
    style_t = TableStyle(
        size=8, header_size=7, header_fill=None, header_bold=True, pad=2.6, bottom_rule=True
    )
    s.continuation_top = 60.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(left, 36, inv.supplier.name or "", 8.5, True)
        sheet.text(right, 36, f"{plan.title} {p.label('number')} {inv.number}", 8.5, align="r")
        sheet.line(left, 42, right, 42, 0.6)
        return 54.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = Sheet.height - 28
        sheet.line(left, base - 9, right, base - 9, 0.4)
        sheet.text(left, base, decor.registration, 6)
        sheet.text(right, base, p.label("page").format(p=page, n=total), 7, align="r")
        sheet.text(right, base + 8, "Vyhotovené v programe Alfa plus", 5.5, align="r", color=DIM)

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 46
    y = Table(s, p, columns(p, spec, right - left), style_t, left).draw(inv.lines, y)

    rows = len(inv.vat_breakdown)
    y = s.ensure(y + 10, 120 + 11 * rows)
    wording = rng.choice(RECAP_WORDINGS)
    s.text(
        left, y + 8, "Rekapitulácia DPH" + (f" v {plan.currency}" if suffix else "") + ":", 8, True
    )
    y_recap = _recap(s, p, inv, left, y + 21, wording=wording)

    tx = mid + 40
    ty = y + 8
    for label, value in blocks.totals_items(p, inv):
        s.text(tx, ty, f"{label}:", 8.5)
        s.text(right, ty, p.money(value) + suffix, 8.5, align="r")
        ty += 12
    if inv.prepaid_amount is not None:
        assert inv.issue_date is not None
        paid_on = p.date(inv.issue_date - timedelta(days=rng.randint(5, 40)))
        s.text(tx, ty, f"{rng.choice(PREPAID_LABELS)}:", 8.5)
        s.text(right, ty, p.money(-inv.prepaid_amount) + suffix, 8.5, align="r")
        ty += 10
        advance_no = f"ZF{(inv.number or '0')[-6:]}"
        s.text(tx, ty, f"(zálohová faktúra {advance_no}, uhradená {paid_on})", 6.5, color=DIM)
        ty += 10
    s.line(tx, ty - 4, right, ty - 4, 0.8)
    assert inv.amount_due is not None
    s.text(tx, ty + 10, f"{p.label('amount_due')}:", 11, True)
    s.text(right, ty + 10, p.money(inv.amount_due) + suffix, 11, True, align="r")

    y = s.ensure(max(y_recap, ty + 14) + 22, 60)
    s.text(left, y, f"Faktúru vystavil: {decor.issued_by}", 8)
    s.text(left, y + 11, f"Tel.: {decor.phone}   E-mail: {decor.email}", 7, color=DIM)
    s.text(mid, y, "Prevzal:", 8)
    s.line(mid + 36, y + 1, right, y + 1, 0.4)
    s.text(mid, y + 26, "Pečiatka a podpis:", 8)
    s.line(mid + 72, y + 27, right, y + 27, 0.4)
    return s.finish()
