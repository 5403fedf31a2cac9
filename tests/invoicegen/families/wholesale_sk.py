"""Building-supplies wholesaler (Bauhaus / Hornbach / Baumax style), Slovak, landscape A4: the
company seat and the store ("Prevádzka") side by side, "Zákazník" with a customer number, header
fields flowing as one "Label: value" band, twelve narrow columns in 7.5-point type without vertical
rules (Kód, EAN, Názov, Množstvo, MJ, Cena MJ, Zľava %, Cena po zľave, Základ, Sadzba, DPH, Spolu),
the VAT recap written as sentences, "Ušetrili ste" and a PAY by square box."""

from __future__ import annotations

from decimal import Decimal
from random import Random

from reportlab.lib.pagesizes import A4, landscape

from nex_automat.domain.model import DocumentType, Invoice, Line

from .. import blocks, data
from ..formatting import quantize
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Color, Sheet
from ..table import Column, Table, TableStyle, cell, columns
from ..truth import Decor

NAME = "wholesale_sk"

PROFILE = Profile(
    languages=("sk",),
    fonts=("DejaVuSansCondensed", "LiberationSans"),
    number_styles=("dot_comma", "space_comma", "dot_comma"),
    date_styles=("dmy_dot", "dmy_short"),
    currency_placements=("header", "after_symbol"),
    number_patterns=("{yyyy}{n8}", "7{n3}-{n6}", "FA{yy}/{n7}"),
    code_styles=("digits8", "digits6"),
    qty_places=(3, None),
    price_places=(2, 3),
    p_code=1.0,
    p_ean=0.85,
    p_discount=0.75,
    p_line_rate=1.0,
    p_line_vat=0.85,
    p_line_gross=0.9,
    p_tax_point=0.95,
    p_constant_symbol=0.3,
    p_order_reference=0.35,
    p_country=0.3,
    p_bic=0.7,
    p_multi_rate=0.45,
    p_upper_units=0.3,
    roundings={"sk": ("none",)},
    labels={
        "number": {"sk": ("Faktúra č.", "Číslo faktúry", "Číslo dokladu")},
        "supplier": {"sk": ("Predávajúci", "Dodávateľ", "Sídlo spoločnosti")},
        "customer": {"sk": ("Zákazník", "Kupujúci", "Odberateľ / Zákazník")},
        "tax_point_date": {"sk": ("Dátum dodania", "Dátum dodania tovaru", "DZP")},
        "due_date": {"sk": ("Splatnosť", "Dátum splatnosti")},
        "payment_method": {"sk": ("Forma úhrady", "Platba")},
        "order_reference": {"sk": ("Vaša objednávka", "Obj. č.")},
        "total_net": {"sk": ("Celkom bez DPH", "Spolu bez DPH")},
        "total_vat": {"sk": ("DPH celkom", "Celkom DPH")},
        "total_gross": {"sk": ("Celkom s DPH", "Spolu s DPH")},
        "amount_due": {"sk": ("Suma na úhradu", "K úhrade", "Zostáva uhradiť")},
        "col_code": {"sk": ("Kód", "Číslo tovaru", "Art. č.")},
        "col_desc": {"sk": ("Názov", "Názov tovaru", "Popis")},
        "col_qty": {"sk": ("Množstvo", "Mn.")},
        "col_unit": {"sk": ("MJ", "J.")},
        "col_price": {"sk": ("Cena MJ", "Cena/MJ bez DPH", "J. cena")},
        "col_disc": {"sk": ("Zľava %", "Zľ. %")},
        "col_rate": {"sk": ("Sadzba", "% DPH")},
        "col_net": {"sk": ("Základ", "Cena bez DPH", "Základ dane")},
        "col_vat": {"sk": ("DPH",)},
        "col_gross": {"sk": ("Spolu", "Cena s DPH", "Spolu s DPH")},
    },
)

BRAND: tuple[Color, ...] = ((0.85, 0.1, 0.1), (0.95, 0.45, 0.05), (0.1, 0.3, 0.6))
LIGHT: Color = (0.92, 0.92, 0.92)
DIM: Color = (0.35, 0.35, 0.35)
AFTER_DISCOUNT = ("Cena po zľave", "Cena MJ po zľave", "Zľav. cena")


class LandscapeSheet(Sheet):
    """The same top-down drawing on an A4 page turned on its side."""

    def __init__(self, font_family: str) -> None:
        super().__init__(font_family)
        self.width, self.height = landscape(A4)
        self.canvas.setPageSize((self.width, self.height))
        self.bottom = self.height - 40


class WideTable(Table):
    """The item table with the column the truth does not hold: unit price after discount."""

    def __init__(
        self,
        sheet: Sheet,
        printer: Printer,
        cols: list[Column],
        style: TableStyle,
        x: float,
        *,
        price_places: int,
    ) -> None:
        super().__init__(sheet, printer, cols, style, x)
        self.price_places = price_places

    def _after(self, line: Line) -> str:
        if line.unit_price is None:
            return ""
        discount = line.discount_percent or Decimal(0)
        after = quantize(line.unit_price * (1 - discount / 100), self.price_places)
        return self.printer.number(after)

    def _draw_row(
        self, y: float, h: float, line: Line, desc: list[str], sub: str, *, index: int
    ) -> None:
        s, st = self.sheet, self.style
        if st.zebra is not None and index % 2 == 1:
            s.rect(self.x, y, self.width, h, fill=st.zebra, stroke=None)
        x = self.x
        first = y + st.pad + st.size * 0.85
        for col in self.cols:
            if col.key == "desc":
                for i, part in enumerate(desc):
                    s.text(x + 2.5, first + i * (st.size + 1.6), part, st.size)
            else:
                text = (
                    self._after(line) if col.key == "after" else cell(self.printer, line, col.key)
                )
                self._aligned(x, col, first, text, st.size, bold=False)
            x += col.width
        if st.row_rule:
            s.line(self.x, y + h, self.x + self.width, y + h, 0.2, color=(0.6, 0.6, 0.6))


def _store(rng: Random) -> tuple[str, str]:
    postal_code, city = rng.choice(data.SK_CITIES)
    street = rng.choice(data.SK_STREETS)
    return f"{street} {rng.randint(1, 120)}", f"{postal_code} {city}"


def _savings(inv: Invoice) -> Decimal:
    full = sum(
        (quantize((ln.quantity or 0) * (ln.unit_price or 0), 2) for ln in inv.lines), Decimal(0)
    )
    return full - (inv.total_net or Decimal(0))


def _flow(
    s: Sheet, x: float, y: float, right: float, items: list[tuple[str, str]], *, size: float
) -> float:
    """ "Label: value" pairs in a band, wrapping to a new row when the page edge is reached."""
    cx = x
    for label, value in items:
        label_text = f"{label}: "
        w = s.text_width(label_text, size) + s.text_width(value, size, True)
        if cx > x and cx + w > right:
            cx, y = x, y + size + 5
        s.text(cx, y, label_text, size, color=DIM)
        s.text(cx + s.text_width(label_text, size), y, value, size, True)
        cx += w + 18
    return y + size + 5


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = LandscapeSheet(plan.font)
    left, right = 24.0, s.width - 24
    brand = rng.choice(BRAND)
    third = (right - left) / 3

    s.rect(left, 20, 150, 34, fill=brand, stroke=None)
    short = (inv.supplier.name or "").split(",")[0].split(" s.")[0]
    s.text(left + 75, 42, short.upper()[:22], 10, True, align="c", color=(1, 1, 1))
    s.text(right, 34, plan.title.upper(), 15, True, align="r")
    s.text(right, 50, f"{p.label('number')} {inv.number}", 10, True, align="r")

    top = 74.0
    s.text(left, top, p.label("supplier") + ":", 7, True, color=brand)
    style = blocks.PartyStyle(ids_on_one_line=True, country_name_index=rng.randint(0, 1))
    blocks.draw_lines(
        s, left, top + 11, blocks.party_lines(p, inv.supplier, style), 7.5, leading=9.5
    )
    store_street, store_city = _store(rng)
    sx = left + third
    s.text(sx, top, "Prevádzka / predajňa:", 7, True, color=brand)
    store = [
        (f"{short} - {store_city.split(' ', 2)[-1]}", True),
        (store_street, False),
        (store_city, False),
        (f"Tel.: {decor.phone}", False),
        (f"E-mail: {decor.email}", False),
    ]
    blocks.draw_lines(s, sx, top + 11, store, 7.5, leading=9.5)

    cx = left + 2 * third
    s.rect(cx - 6, top - 10, right - cx + 6, 82, fill=LIGHT, stroke=None)
    s.text(cx, top, p.label("customer") + ":", 7, True, color=brand)
    s.text(right - 4, top, f"Zákazník č.: {rng.randint(1000000, 9999999)}", 7, align="r")
    blocks.draw_lines(
        s, cx, top + 12, blocks.party_lines(p, inv.customer, blocks.PartyStyle()), 8, leading=10
    )

    y = top + 84
    s.line(left, y, right, y, 0.8, color=brand)
    meta = blocks.meta_items(p, inv, decor, with_number=False)
    meta.append(("Pokladňa", f"{rng.randint(1, 12):02d}"))
    meta.append(("Predajca", decor.issued_by))
    y = _flow(s, left, y + 11, right, meta, size=7.5)
    bank = blocks.bank_items(p, inv.supplier, decor, blocks.PartyStyle(iban_grouped=True))
    y = _flow(s, left, y, right, bank, size=7)
    s.line(left, y - 3, right, y - 3, 0.8, color=brand)
    for note in blocks.notes(p, inv, decor):
        s.text(left, y + 8, note, 7.5, True)
        y += 10
    y += 6

    after = rng.choice(AFTER_DISCOUNT)
    spec = [
        ("code", p.label("col_code"), 44, "l"),
        ("ean", p.label("col_ean"), 62, "l"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty", p.label("col_qty"), 44, "r"),
        ("unit", p.label("col_unit"), 24, "l"),
        ("price", p.with_currency(p.label("col_price")), 50, "r"),
        ("disc", p.label("col_disc"), 32, "r"),
        ("after", after, 48, "r"),
        ("net", p.with_currency(p.label("col_net")), 56, "r"),
        ("rate", p.label("col_rate"), 32, "r"),
        ("vat", p.with_currency(p.label("col_vat")), 48, "r"),
        ("gross", p.with_currency(p.label("col_gross")), 58, "r"),
    ]
    if not plan.show_discount:
        spec = [item for item in spec if item[0] != "after"]
    cols: list[Column] = columns(p, spec, right - left)
    style_t = TableStyle(
        size=7.5,
        header_size=6.6,
        header_fill=LIGHT,
        rule_color=(0.4, 0.4, 0.4),
        row_rule=True,
        pad=2.4,
    )
    s.continuation_top = 52.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(left, 30, f"{plan.title} {inv.number}", 8, True)
        sheet.text(right, 30, inv.supplier.name or "", 7.5, align="r")
        return 40.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = sheet.height - 20
        sheet.text(left, base, f"{inv.supplier.name}, {decor.registration}", 5.8, color=DIM)
        sheet.text(right, base, p.label("page").format(p=page, n=total), 7, align="r")

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = s.height - 34
    table = WideTable(s, p, cols, style_t, left, price_places=plan.price_places)
    y = table.draw(inv.lines, y)

    rows = len(inv.vat_breakdown)
    y = s.ensure(y + 10, 96 + 10 * rows)
    suffix = "" if plan.currency_placement != "header" else f" {plan.currency}"
    s.text(left, y + 8, "Rekapitulácia DPH:", 7.5, True)
    ry = y + 19
    for row in inv.vat_breakdown:
        base = row.base or Decimal(0)
        vat = row.vat or Decimal(0)
        sentence = (
            f"Základ dane {p.percent(row.rate, sign=True)}: {p.money(base)}{suffix},"
            f"  DPH {p.percent(row.rate, sign=True)}: {p.money(vat)}{suffix},"
            f"  spolu {p.money(base + vat)}{suffix}"
        )
        s.text(left, ry, sentence, 7.5)
        ry += 10
    if plan.show_discount and inv.document_type is not DocumentType.CREDIT_NOTE:
        s.text(
            left, ry + 6, f"Ušetrili ste: {p.money(_savings(inv))}{suffix}", 8, True, color=brand
        )
        ry += 14
    blocks.pay_by_square(s, left + 360, y + 4, 58, rng.randint(0, 10**6))
    s.text(left + 389, y + 70, "PAY by square", 6, align="c", color=DIM)

    tx, tw = right - 230, 230.0
    ty = y + 4
    for label, value in blocks.totals_items(p, inv):
        s.text(tx, ty + 8, f"{label}{suffix}:", 8)
        s.text(tx + tw, ty + 8, p.money(value), 8, align="r")
        ty += 11
    assert inv.amount_due is not None
    s.rect(tx - 4, ty + 2, tw + 8, 18, fill=brand, stroke=None)
    s.text(tx, ty + 15, f"{p.label('amount_due')}{suffix}:", 10, True, color=(1, 1, 1))
    s.text(tx + tw, ty + 15, p.money(inv.amount_due), 10, True, align="r", color=(1, 1, 1))
    y = s.ensure(max(ty + 30, ry, y + 80) + 10, 16)
    s.text(left, y, "Tovar zostáva až do úplného zaplatenia majetkom predávajúceho.", 6.5)
    return s.finish()
