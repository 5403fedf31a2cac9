"""A small e-shop's invoice (Shoptet / WooCommerce / PrestaShop export), Slovak or Czech with
English: bilingual labels ("Faktúra / Invoice", "Dátum vystavenia / Date of issue"), prices per
piece WITH VAT and the VAT worked out backwards from them, shipping ("Doprava – Packeta") and the
cash-on-delivery fee ("Dobierka") as item lines, the currency after every amount ("12,90 €",
"329,00 Kč"), billing and shipping address side by side, a payment box with a QR code.

Some shops print per line the price without VAT and the VAT (computed line by line); others
print only totals with VAT per line and work the VAT out once per rate in the recap. Neither
prints a unit price without VAT, so the truth's ``unit_price`` stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from random import Random

from nex_automat.domain.model import DocumentType, Invoice, Line, Party, VatRow

from .. import blocks, data
from ..formatting import quantize
from ..plan import Plan, Profile
from ..printer import Printer
from ..sheet import Color, Sheet
from ..table import Column, Table, TableStyle, columns
from ..truth import VAT_RATES, Decor

NAME = "web_shop"


def _both(sk: tuple[str, ...], cs: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {"sk": sk, "cs": cs}


PROFILE = Profile(
    languages=("sk", "cs"),
    fonts=("DejaVuSans", "LiberationSans"),
    number_styles=("space_comma", "nbsp_comma", "plain_comma"),
    date_styles=("dmy_dot", "dmy_spaced"),
    currency_placements=("after_symbol",),
    number_patterns=("{yyyy}{n6}", "{yy}1{n5}", "FA{n6}", "{n8}"),
    code_styles=("alnum", "digits6"),
    p_code=0.45,
    p_discount=0.0,
    p_line_rate=1.0,
    p_line_vat=0.5,
    p_line_gross=1.0,
    p_tax_point=0.7,
    p_constant_symbol=0.1,
    p_order_reference=0.95,
    p_country=0.85,
    p_bic=0.7,
    p_multi_rate=0.3,
    labels={
        "number": _both(
            ("Faktúra č. / Invoice No.", "Číslo faktúry / Invoice number"),
            ("Faktura č. / Invoice No.", "Číslo faktury / Invoice number"),
        ),
        "issue_date": _both(
            ("Dátum vystavenia / Date of issue",), ("Datum vystavení / Date of issue",)
        ),
        "tax_point_date": _both(
            ("Dátum dodania / Date of supply", "Dátum zdaniteľného plnenia / Tax point"),
            ("Datum zdan. plnění / Date of supply", "DUZP / Tax point date"),
        ),
        "due_date": _both(("Dátum splatnosti / Due date",), ("Datum splatnosti / Due date",)),
        "payment_method": _both(
            ("Spôsob platby / Payment method", "Platba / Payment"),
            ("Způsob platby / Payment method", "Platba / Payment"),
        ),
        "variable_symbol": _both(
            ("Variabilný symbol / Payment reference", "VS / Variable symbol"),
            ("Variabilní symbol / Payment reference", "VS / Variable symbol"),
        ),
        "constant_symbol": _both(
            ("Konštantný symbol / Constant symbol",), ("Konstantní symbol / Constant symbol",)
        ),
        "order_reference": _both(
            ("Číslo objednávky / Order number", "Objednávka / Order"),
            ("Číslo objednávky / Order number", "Objednávka / Order"),
        ),
        "supplier": _both(
            ("Dodávateľ / Supplier", "Predávajúci / Seller"),
            ("Dodavatel / Supplier", "Prodávající / Seller"),
        ),
        "customer": _both(
            ("Fakturačná adresa / Billing address", "Odberateľ / Customer"),
            ("Fakturační adresa / Billing address", "Odběratel / Customer"),
        ),
        "bank": _both(("Banka / Bank",), ("Banka / Bank",)),
        "bic": _both(("SWIFT / BIC",), ("SWIFT / BIC",)),
        "total_net": _both(
            ("Spolu bez DPH / Total excl. VAT", "Základ dane / Tax base"),
            ("Celkem bez DPH / Total excl. VAT", "Základ daně / Tax base"),
        ),
        "total_vat": _both(
            ("DPH / VAT", "DPH spolu / Total VAT"), ("DPH / VAT", "DPH celkem / VAT")
        ),
        "total_gross": _both(
            ("Spolu s DPH / Total incl. VAT", "Celkom / Total"),
            ("Celkem s DPH / Total incl. VAT", "Celkem / Total"),
        ),
        "amount_due": _both(
            ("Suma na úhradu / Amount due", "K úhrade / To pay", "Celkom na úhradu / Total due"),
            ("Celkem k úhradě / Amount due", "K úhradě / To pay"),
        ),
        "col_code": _both(("Kód / SKU",), ("Kód / SKU",)),
        "col_desc": _both(
            ("Položka / Item", "Názov / Product"), ("Položka / Item", "Název / Product")
        ),
        "col_qty": _both(("Množstvo / Qty", "Počet / Qty"), ("Množství / Qty", "Počet / Qty")),
        "col_price": _both(
            ("Cena/ks s DPH / Unit price incl. VAT", "Cena s DPH / Price incl. VAT"),
            ("Cena/ks s DPH / Unit price incl. VAT", "Cena s DPH / Price incl. VAT"),
        ),
        "col_rate": _both(("DPH / VAT", "Sadzba / Rate"), ("DPH / VAT", "Sazba / Rate")),
        "col_net": _both(("Bez DPH / Excl. VAT",), ("Bez DPH / Excl. VAT",)),
        "col_vat": _both(("DPH / VAT amount",), ("DPH / VAT amount",)),
        "col_gross": _both(
            ("Spolu / Total", "Celkom s DPH / Total incl. VAT"),
            ("Celkem / Total", "Celkem s DPH / Total incl. VAT"),
        ),
        "recap_rate": _both(("Sadzba DPH / VAT rate",), ("Sazba DPH / VAT rate",)),
        "recap_base": _both(("Základ / Base",), ("Základ / Base",)),
        "recap_vat": _both(("DPH / VAT",), ("DPH / VAT",)),
        "recap_total": _both(("Spolu / Total",), ("Celkem / Total",)),
        "page": _both(
            ("Strana {p} z {n} / Page {p} of {n}", "Strana {p}/{n}"),
            ("Strana {p} z {n} / Page {p} of {n}", "Strana {p}/{n}"),
        ),
    },
    titles={
        DocumentType.INVOICE: _both(
            ("Faktúra / Invoice", "Faktúra – daňový doklad / Tax invoice"),
            ("Faktura / Invoice", "Faktura – daňový doklad / Tax invoice"),
        ),
        DocumentType.CREDIT_NOTE: _both(
            ("Dobropis / Credit note", "Opravný daňový doklad / Credit note"),
            ("Opravný daňový doklad / Credit note", "Dobropis / Credit note"),
        ),
        DocumentType.ADVANCE_INVOICE: _both(
            ("Zálohová faktúra / Advance invoice",), ("Zálohová faktura / Advance invoice",)
        ),
        DocumentType.PROFORMA: _both(
            ("Proforma faktúra / Proforma invoice",), ("Proforma faktura / Proforma invoice",)
        ),
    },
)


@dataclass(frozen=True, slots=True)
class Article:
    sk: str
    cs: str
    eur: str
    unit: str = "ks"
    category: str = "standard"


CATALOGUE: tuple[Article, ...] = (
    Article(
        "Aku vŕtačka Bosch GSR 12V-15 + 2x batéria",
        "Aku vrtačka Bosch GSR 12V-15 + 2x baterie",
        "129.90",
    ),
    Article("Sada bitov 32 ks v kazete", "Sada bitů 32 ks v kazetě", "14.90"),
    Article('Záhradná hadica 1/2" 25 m', 'Zahradní hadice 1/2" 25 m', "24.99"),
    Article(
        "Pracovné rukavice nitrilové, veľ. 10",
        "Pracovní rukavice nitrilové, vel. 10",
        "3.49",
        "pár",
    ),
    Article("Silikón sanitárny biely 280 ml", "Silikon sanitární bílý 280 ml", "6.90"),
    Article("Vodováha hliníková 60 cm", "Vodováha hliníková 60 cm", "17.50"),
    Article(
        "LED pásik 5 m teplá biela s napájacím zdrojom",
        "LED pásek 5 m teplá bílá s napájecím zdrojem",
        "22.90",
    ),
    Article("Skrutky do dreva 4x40 mm, 200 ks", "Vruty do dřeva 4x40 mm, 200 ks", "5.99", "bal"),
    Article(
        "Lazúra na drevo Xyladecor teak 0,75 l", "Lazura na dřevo Xyladecor teak 0,75 l", "16.90"
    ),
    Article("Štetec plochý 50 mm", "Štětec plochý 50 mm", "2.49"),
    Article("Montážna pena pištoľová 750 ml", "Montážní pěna pistolová 750 ml", "8.49"),
    Article("Uhlová brúska Makita GA5030R 720 W", "Úhlová bruska Makita GA5030R 720 W", "69.90"),
    Article(
        "Rezný kotúč na kov 125 x 1 mm, 10 ks",
        "Řezný kotouč na kov 125 x 1 mm, 10 ks",
        "9.90",
        "bal",
    ),
    Article("Zvinovací meter 5 m", "Svinovací metr 5 m", "4.90"),
    Article("Maliarska páska 38 mm x 50 m", "Malířská páska 38 mm x 50 m", "3.29"),
    Article("Rebrík hliníkový 3x8 priečok", "Žebřík hliníkový 3x8 příček", "139.00"),
    Article(
        "Kniha: Murujeme a omietame svojpomocne",
        "Kniha: Zdíme a omítáme svépomocí",
        "15.90",
        category="reduced2",
    ),
    Article(
        "Časopis Urob si sám 03/2025", "Časopis Udělej si sám 03/2025", "3.90", category="reduced2"
    ),
    Article("Drôtená kefa s rúčkou", "Drátěný kartáč s rukojetí", "2.99"),
    Article(
        "Hmoždinky univerzálne 8 mm, 50 ks", "Hmoždinky univerzální 8 mm, 50 ks", "4.49", "bal"
    ),
)

SHIPPING: tuple[tuple[str, str, str], ...] = (
    ("Doprava – Packeta Z-BOX", "Doprava – Zásilkovna Z-BOX", "2.90"),
    ("Doprava – Packeta na adresu", "Doprava – Zásilkovna na adresu", "3.90"),
    ("Doprava – kuriér GLS", "Doprava – kurýr PPL", "4.90"),
    ("Doprava – Slovenská pošta", "Doprava – Česká pošta, Balík Do ruky", "3.50"),
    ("Osobný odber – predajňa", "Osobní odběr – prodejna", "0.00"),
)
PAYMENT: tuple[tuple[str, str, str, str, str], ...] = (
    ("Dobierka", "Dobírka", "1.50", "Dobierka / Cash on delivery", "Dobírka / Cash on delivery"),
    (
        "Platba prevodom",
        "Platba převodem",
        "0.00",
        "Bankový prevod / Bank transfer",
        "Bankovní převod / Bank transfer",
    ),
)
PEOPLE: dict[str, tuple[str, ...]] = {
    "sk": ("Michal Baláž", "Katarína Hudecová", "Tomáš Kollár", "Lucia Mrázová", "Jozef Hriňák"),
    "cs": ("Martin Kučera", "Veronika Marešová", "Ondřej Pokorný", "Eva Benešová", "Jakub Šimek"),
}
ACCENTS: tuple[Color, ...] = ((0.0, 0.55, 0.45), (0.25, 0.3, 0.75), (0.85, 0.35, 0.1))
PALE: Color = (0.95, 0.96, 0.96)
DIM: Color = (0.4, 0.4, 0.4)
CZK_PER_EUR = Decimal(25)
ASCII = str.maketrans("ÁÄČĎÉĚÍĹĽŇÓÔŔŘŠŤÚŮÝŽ", "AACDEEILLNOORRSTUUYZ")


def _price(article_eur: str, currency: str) -> Decimal:
    """Shop prices end in ,90 / ,99 in euros and are whole crowns in CZK."""
    eur = Decimal(article_eur)
    if currency != "CZK" or eur == 0:
        return eur
    return Decimal((int(eur * CZK_PER_EUR) // 10 + 1) * 10 - 1).quantize(Decimal("0.01"))


def _line(
    position: int,
    text: str,
    *,
    quantity: Decimal,
    unit: str | None,
    gross_unit: Decimal,
    rate: Decimal,
    plan: Plan,
    code: str | None,
) -> Line:
    gross = quantize(quantity * gross_unit, 2)
    net = quantize(gross * 100 / (100 + rate), 2)
    per_line = plan.show_line_vat
    return Line(
        position=position,
        description=text,
        seller_code=code,
        quantity=quantity,
        unit=unit,
        vat_rate=rate,
        net_amount=net if per_line else None,
        vat_amount=gross - net if per_line else None,
        gross_amount=gross,
    )


def _customer(rng: Random, plan: Plan, company: Party) -> Party:
    """Most buyers are people without company ids; a firm buying online keeps its ids."""
    if rng.random() < 0.35:
        return company
    return Party(
        name=rng.choice(PEOPLE[plan.language]),
        street=company.street,
        city=company.city,
        postal_code=company.postal_code,
        country=company.country,
    )


def adjust(inv: Invoice, plan: Plan, rng: Random) -> None:
    """Lines priced with VAT; VAT per line (when printed) or per rate, worked out backwards."""
    country = "SK" if plan.language == "sk" else "CZ"
    assert inv.issue_date is not None
    rates = VAT_RATES[(country, inv.issue_date.year >= 2025)]
    inv.customer = _customer(rng, plan, inv.customer)
    credit = plan.document_type is DocumentType.CREDIT_NOTE
    extras = 0 if credit or plan.n_lines < 2 else min(2, plan.n_lines - 1)
    goods = plan.n_lines - extras
    picks = (
        rng.sample(CATALOGUE, goods)
        if goods <= len(CATALOGUE)
        else [rng.choice(CATALOGUE) for _ in range(goods)]
    )
    if not plan.multi_rate:
        picks = [a for a in picks if a.category == "standard"] or [CATALOGUE[0]]
        while len(picks) < goods:
            picks.append(rng.choice([a for a in CATALOGUE if a.category == "standard"]))
    sign = Decimal(-1) if credit else Decimal(1)
    codes: dict[str, str] = {}
    lines: list[Line] = []
    for article in picks:
        text = article.sk if plan.language == "sk" else article.cs
        codes.setdefault(text, f"{text[:2].upper().translate(ASCII)}{rng.randint(1000, 99999)}")
        quantity = sign * Decimal(rng.choice((1, 1, 1, 1, 2, 2, 3, 4, 5, 10)))
        lines.append(
            _line(
                len(lines) + 1,
                text,
                quantity=quantity,
                unit=article.unit,
                gross_unit=_price(article.eur, plan.currency),
                rate=rates[article.category],
                plan=plan,
                code=codes[text] if plan.show_code else None,
            )
        )
    if extras:
        ship = rng.choice(SHIPPING)
        fees = [ship] if extras == 1 else [ship, rng.choice(PAYMENT)[:3]]
        for sk, cs, eur in fees:
            text = sk if plan.language == "sk" else cs
            lines.append(
                _line(
                    len(lines) + 1,
                    text,
                    quantity=Decimal(1),
                    unit=None,
                    gross_unit=_price(eur, plan.currency),
                    rate=rates["standard"],
                    plan=plan,
                    code=None,
                )
            )
    inv.lines = lines
    grouped: dict[Decimal, list[Line]] = {}
    for line in lines:
        assert line.vat_rate is not None
        grouped.setdefault(line.vat_rate, []).append(line)
    rows: list[VatRow] = []
    for rate in sorted(grouped, reverse=True):
        gross = sum((ln.gross_amount or Decimal(0) for ln in grouped[rate]), Decimal("0.00"))
        if plan.show_line_vat:
            base = sum((ln.net_amount or Decimal(0) for ln in grouped[rate]), Decimal("0.00"))
        else:
            base = quantize(gross * 100 / (100 + rate), 2)
        rows.append(VatRow(rate=rate, base=base, vat=gross - base))
    inv.vat_breakdown = rows
    inv.total_net = sum((r.base or Decimal(0) for r in rows), Decimal("0.00"))
    inv.total_vat = sum((r.vat or Decimal(0) for r in rows), Decimal("0.00"))
    inv.total_gross = inv.total_net + inv.total_vat
    inv.rounding = None
    inv.amount_due = inv.total_gross


class ShopTable(Table):
    """Every amount with its currency; the unit price shown is the one with VAT."""

    def _text(self, line: Line, key: str) -> str:
        p = self.printer
        if key == "qty_unit":
            assert line.quantity is not None
            return p.number(line.quantity) + (f" {line.unit}" if line.unit else "")
        if key == "unit_gross":
            assert line.quantity and line.gross_amount is not None
            return p.money(quantize(line.gross_amount / line.quantity, 2))
        if key == "rate_pct":
            return p.percent(line.vat_rate, sign=True) if line.vat_rate is not None else ""
        if key in ("net", "vat", "gross"):
            value = getattr(line, f"{key}_amount")
            return p.money(value) if value is not None else ""
        if key == "code":
            return line.seller_code or ""
        return ""

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
                self._aligned(x, col, first, self._text(line, col.key), st.size, bold=False)
            x += col.width
        if st.row_rule:
            s.line(self.x, y + h, self.x + self.width, y + h, 0.25, color=(0.8, 0.8, 0.8))


def _delivery(rng: Random, plan: Plan, customer: Party, lines: list[Line]) -> list[str]:
    """The shipping address: the buyer at home, a colleague at work, or a pick-up box."""
    person = customer.name if customer.ico is None else rng.choice(PEOPLE[plan.language])
    shipping = next(
        (ln.description or "" for ln in lines if (ln.description or "").startswith("Doprava")), ""
    )
    cities = data.SK_CITIES if plan.language == "sk" else data.CZ_CITIES
    postal_code, city = rng.choice(cities)
    if "Z-BOX" in shipping:
        street = rng.choice(data.SK_STREETS if plan.language == "sk" else data.CZ_STREETS)
        return [
            person or "",
            f"Z-BOX {city}, {street} {rng.randint(1, 90)}",
            f"{postal_code} {city}",
        ]
    street = rng.choice(data.SK_STREETS if plan.language == "sk" else data.CZ_STREETS)
    return [person or "", f"{street} {rng.randint(1, 150)}", f"{postal_code} {city}"]


def _method(plan: Plan, lines: list[Line]) -> str:
    texts = {ln.description for ln in lines}
    for sk, cs, _, sk_method, cs_method in PAYMENT:
        if sk in texts or cs in texts:
            return sk_method if plan.language == "sk" else cs_method
    return PAYMENT[1][3] if plan.language == "sk" else PAYMENT[1][4]


def render(inv: Invoice, plan: Plan, decor: Decor, rng: Random) -> bytes:
    p = Printer(plan)
    s = Sheet(plan.font)
    left, right = 36.0, Sheet.width - 36
    mid = (left + right) / 2 - 8
    accent = rng.choice(ACCENTS)
    shop = (inv.supplier.name or "").split(",")[0].split(" s.r.o")[0].split(" a.s")[0]

    blocks.logo(s, rng.choice(("circle", "rect")), left, 26, shop, color=accent)
    s.text(left + 52, 40, shop, 12, True, color=accent)
    s.text(left + 52, 52, f"{decor.web}  ·  {decor.email}", 7.5, color=DIM)
    s.text(right, 40, plan.title, 14, True, align="r")
    s.text(right, 55, f"{p.label('number')}: {inv.number}", 9.5, True, align="r")

    top = 86.0
    s.text(left, top, p.label("supplier"), 7.5, True, color=accent)
    supplier_lines = blocks.party_lines(p, inv.supplier, blocks.PartyStyle())
    y_left = blocks.draw_lines(s, left, top + 12, supplier_lines, 8, leading=10.5)
    y_left = blocks.draw_wrapped(s, left, y_left + 2, decor.registration, mid - left - 20)

    meta = blocks.meta_items(p, inv, decor, with_number=False)
    method = _method(plan, inv.lines)
    meta = [
        (label, method if label == p.label("payment_method") else value) for label, value in meta
    ]
    y_right = blocks.draw_label_values(
        s, mid, top + 12, meta, mid + 140, size=7.4, leading=10.5, bold_values=True
    )

    y = max(y_left, y_right) + 8
    s.line(left, y, right, y, 0.5, color=accent)
    y += 14
    s.text(left, y, p.label("customer"), 7.5, True, color=accent)
    heading = (
        "Dodacia adresa / Shipping address"
        if plan.language == "sk"
        else "Doručovací adresa / Shipping address"
    )
    s.text(mid, y, heading, 7.5, True, color=accent)
    customer_lines = blocks.party_lines(p, inv.customer, blocks.PartyStyle())
    slug = (inv.customer.name or "zakaznik").split()[0].lower()
    slug = slug.translate(str.maketrans("áäčďéěíĺľňóôŕřšťúůýž", "aacdeeillnoorrstuuyz"))
    customer_lines.append((f"E-mail: {slug}{rng.randint(1, 99)}@gmail.com", False))
    y_left = blocks.draw_lines(s, left, y + 12, customer_lines, 8, leading=10.5)
    delivery = _delivery(rng, plan, inv.customer, inv.lines)
    y_right = blocks.draw_lines(
        s, mid, y + 12, [(delivery[0], True), *((t, False) for t in delivery[1:])], 8, leading=10.5
    )
    y = max(y_left, y_right) + 6

    box_h = 74.0
    s.rect(left, y, right - left, box_h, fill=PALE, stroke=None, radius=5)
    s.text(
        left + 8,
        y + 13,
        "Platobné údaje / Payment details"
        if plan.language == "sk"
        else "Platební údaje / Payment details",
        7.5,
        True,
        color=accent,
    )
    payment = blocks.bank_items(p, inv.supplier, decor, blocks.PartyStyle(iban_grouped=True))
    if inv.variable_symbol:
        payment.append((p.label("variable_symbol"), inv.variable_symbol))
    assert inv.amount_due is not None
    payment.append(("Suma / Amount", p.money(inv.amount_due)))
    blocks.draw_label_values(
        s, left + 8, y + 25, payment, left + 150, size=7.5, leading=9.5, bold_values=True
    )
    blocks.pay_by_square(s, right - 64, y + 6, 56, rng.randint(0, 10**6))
    s.text(
        right - 36,
        y + 70,
        "PAY by square" if plan.language == "sk" else "QR Platba",
        5.5,
        align="c",
        color=DIM,
    )
    y += box_h + 10
    for note in blocks.notes(p, inv, decor):
        s.text(left, y, note, 8, True)
        y += 11

    spec = [
        ("code", p.label("col_code"), 56, "l"),
        ("desc", p.label("col_desc"), 0, "l"),
        ("qty_unit", p.label("col_qty"), 44, "r"),
        ("unit_gross", p.label("col_price"), 66, "r"),
        ("rate_pct", p.label("col_rate"), 34, "r"),
        ("net", p.label("col_net"), 60, "r"),
        ("vat", p.label("col_vat"), 52, "r"),
        ("gross", p.label("col_gross"), 64, "r"),
    ]
    if not plan.show_line_vat:
        spec = [item for item in spec if item[0] != "net"]
    cols: list[Column] = columns(p, spec, right - left)
    style_t = TableStyle(
        size=7.8,
        header_size=6.8,
        header_fill=PALE,
        header_color=accent,
        row_rule=True,
        pad=3.2,
        bottom_rule=True,
    )
    s.continuation_top = 60.0

    def continuation(sheet: Sheet) -> float:
        sheet.text(left, 34, shop, 10, True, color=accent)
        sheet.text(right, 34, f"{plan.title}  {inv.number}", 9, True, align="r")
        return 48.0

    def footer(sheet: Sheet, page: int, total: int) -> None:
        base = Sheet.height - 26
        thanks = (
            "Ďakujeme za Váš nákup! / Thank you for your order!"
            if plan.language == "sk"
            else "Děkujeme za Váš nákup! / Thank you for your order!"
        )
        sheet.text(left, base, thanks, 7, color=accent)
        sheet.text(right, base, p.label("page").format(p=page, n=total), 7, align="r", color=DIM)

    s.on_new_page = continuation
    s.footer = footer
    s.bottom = Sheet.height - 44
    y = ShopTable(s, p, cols, style_t, left).draw(inv.lines, y)

    rows = len(inv.vat_breakdown)
    y = s.ensure(y + 12, 80 + 12 * rows)
    heads = [
        p.label("recap_rate"),
        p.label("recap_base"),
        p.label("recap_vat"),
        p.label("recap_total"),
    ]
    widths = (70.0, 64.0, 56.0, 64.0)
    cx = left
    for i, (head, w) in enumerate(zip(heads, widths, strict=True)):
        s.text(
            cx + (0 if i == 0 else w),
            y + 8,
            head,
            6.5,
            True,
            align="l" if i == 0 else "r",
            color=DIM,
        )
        cx += w
    ry = y + 20
    for row in inv.vat_breakdown:
        base, vat = row.base or Decimal(0), row.vat or Decimal(0)
        values = [p.percent(row.rate, sign=True), p.money(base), p.money(vat), p.money(base + vat)]
        cx = left
        for i, (value, w) in enumerate(zip(values, widths, strict=True)):
            s.text(cx + (0 if i == 0 else w), ry, value, 7.5, align="l" if i == 0 else "r")
            cx += w
        ry += 11

    tx, tw = mid + 20, right - mid - 20
    ty = y + 8
    for label, value in blocks.totals_items(p, inv):
        s.text(tx, ty, label, 7.8)
        s.text(right, ty, p.money(value), 7.8, align="r")
        ty += 12
    s.rect(tx - 6, ty - 4, tw + 6, 22, fill=accent, stroke=None, radius=3)
    s.text(tx, ty + 11, p.label("amount_due"), 9.5, True, color=(1, 1, 1))
    s.text(right - 4, ty + 11, p.money(inv.amount_due), 11, True, align="r", color=(1, 1, 1))
    y = s.ensure(max(ty + 34, ry + 10), 30)
    note = (
        "Ceny sú uvedené vrátane DPH. DPH je vypočítaná z ceny s DPH. / Prices include VAT."
        if plan.language == "sk"
        else "Ceny jsou uvedeny včetně DPH. DPH je vypočtena z ceny s DPH. / Prices include VAT."
    )
    s.text(left, y, note, 6.5, color=DIM)
    return s.finish()
