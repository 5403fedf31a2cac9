"""The words Slovak, Czech and English invoices print before their values.

The tables are data: a supplier template adds synonyms per field without touching code.
Matching ignores case, diacritics and punctuation, so "Číslo faktúry:", "CISLO FAKTURY" and
"Číslo faktúry." are one label; a label may be followed by a number marker ("č.", "c.",
"číslo", "No.", "#"), which is why "Faktúra č." and "Faktúra" need only one entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nex_automat.domain.model import DocumentType

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    # header
    "number": (
        "Číslo faktúry", "Číslo faktury", "Č. faktúry", "Č. faktury", "Faktúra číslo",
        "Faktura číslo", "Číslo dokladu", "Č. dokladu", "Doklad číslo", "Doklad č.",
        "Číslo daňového dokladu", "Číslo dobropisu", "Číslo", "Invoice number", "Invoice No",
        "Document number", "Document No", "Credit note number",
    ),
    "issue_date": (
        "Dátum vystavenia", "Datum vystavení", "Datum vystavenia", "Dátum vyhotovenia",
        "Datum vyhotovení", "Vystavené", "Vystavená", "Vystaveno", "Vystavené dňa",
        "Dátum vystavenia faktúry", "Date of issue", "Issue date", "Invoice date", "Date issued",
        "Dát. vystavenia", "Dat. vystavení", "Dátum vyst.", "Datum vyst.",
    ),
    "tax_point_date": (
        "Dátum dodania", "Datum dodání", "Datum dodania", "DUZP", "Dátum zdaniteľného plnenia",
        "Dátum uskutočnenia zdaniteľného plnenia", "Datum uskutečnění zdanitelného plnění",
        "Datum uskut. zdan. plnění", "Datum zdanitelného plnění", "Dátum dodania tovaru",
        "Dátum dodania tovaru alebo služby", "Dátum dodávky", "Tax point", "Tax point date",
        "Date of supply", "Delivery date", "Datum plnění", "Datum UZP", "Datum zdan. plnění",
        "Dátum DUZP", "DZP", "DÚZP", "Datum DUZP", "Datum uskut. zdanit. plnění",
        "Datum uskut. zdanit. plnenia", "Dátum uskut. zdaniteľného plnenia",
        "Dátum uskut. zdan. plnenia", "Datum uskutečnění plnění", "Dátum uskutočnenia plnenia",
        "Datum zdanit. plnění", "Dátum zdaniteľ. plnenia", "Dátum zdan. plnenia",
        "Den uskutečnění zdanitelného plnění", "Datum uskutečnění zdan. plnění", "Dátum dod.",
        "Dát. dodania", "Datum dod.", "Datum uskut. plnění", "Dátum plnenia",
    ),
    "due_date": (
        "Dátum splatnosti", "Datum splatnosti", "Splatnosť", "Splatnost", "Splatné",
        "Splatná", "Splatné dňa", "Splatno dne", "Splatnosť faktúry", "Due date", "Payment due",
        "Date due", "Dát. splatnosti", "Dat. splatnosti", "Dátum splat.", "Datum splat.",
        "Splatné do", "Splatná do", "Splatno do", "Termín splatnosti",
    ),
    "variable_symbol": (
        "Variabilný symbol", "Variabilní symbol", "VS", "Var. symbol", "Var. symb.",
        "V. symbol", "Variable symbol", "Var. symb", "Var. s.", "Variabilní s.",
    ),
    "constant_symbol": (
        "Konštantný symbol", "Konstantní symbol", "Konstantný symbol", "KS", "Konšt. symbol",
        "Konst. symbol", "Konšt. symb.", "Konst. symb.", "K. symbol", "Constant symbol",
    ),
    "order_reference": (
        "Objednávka", "Číslo objednávky", "Č. objednávky", "Vaša objednávka", "Vaše objednávka",
        "Vaša obj.", "Vaše obj.", "Obj.", "Obj. číslo", "Objednávka odberateľa", "Order",
        "Your order", "Purchase order", "Order number",
    ),
    "currency": ("Mena", "Měna", "Currency"),
    "preceding_invoice": (
        "Opravovaný doklad", "Opravovaná faktúra", "Opravovaná faktura", "K faktúre", "K faktuře",
        "Ku faktúre", "K dokladu", "K daňovému dokladu", "Pôvodná faktúra", "Původní faktura",
        "Pôvodný doklad", "Původní doklad", "Pôvodný daňový doklad", "Původní daňový doklad",
        "Číslo opravovaného dokladu", "Číslo pôvodnej faktúry", "Číslo původní faktury",
        "Číslo pôvodného dokladu", "Číslo původního dokladu", "Dobropis k faktúre",
        "Dobropis k faktuře", "Ťarchopis k faktúre", "Vrubopis k faktúre",
        "Opravný daňový doklad k faktúre", "Opravný daňový doklad k faktuře",
        "Opravný doklad k faktúre", "Opravný doklad k faktuře", "Oprava faktúry", "Oprava faktury",
        "Corrected invoice", "Original invoice", "Credit note to invoice", "Related invoice",
    ),
    "title": (
        "Faktúra", "Faktura", "Faktúra daňový doklad", "Faktura daňový doklad", "Daňový doklad",
        "Doklad", "Dobropis", "Opravný daňový doklad", "Opravný doklad", "Ťarchopis", "Vrubopis",
        "Zálohová faktúra", "Zálohová faktura", "Proforma faktúra", "Proforma faktura",
        "Proforma", "Pro forma faktúra", "Pro forma faktura", "Predfaktúra", "Zálohový list",
        "Výzva na platbu zálohy", "Výzva na úhradu zálohy", "Výzva k platbě zálohy",
        "Invoice", "Tax invoice", "Credit note", "Debit note",
    ),
    # parties
    "supplier": (
        "Dodávateľ", "Dodavatel", "Dodávateľ / Predávajúci", "Predávajúci", "Prodávající",
        "Supplier", "Seller", "Vendor", "Sídlo spoločnosti", "Sídlo firmy", "Sídlo společnosti",
        "Sídlo dodávateľa", "Sídlo dodavatele", "Sídlo predávajúceho", "Sídlo prodávajícího",
    ),
    "customer": (
        "Odberateľ", "Odběratel", "Odberateľ / Kupujúci", "Kupujúci", "Kupující", "Príjemca",
        "Příjemce", "Fakturačná adresa", "Fakturační adresa", "Objednávateľ", "Objednatel",
        "Příjemce faktury", "Príjemca faktúry", "Zákazník", "Odberateľ / Zákazník",
        "Odběratel / Zákazník", "Kupujúci / Odberateľ",
        "Customer", "Bill to", "Buyer", "Billing address",
    ),
    "ico": ("IČO", "IČ", "ID", "Company ID", "Reg. No", "Registration number"),
    "dic": ("DIČ", "Tax ID", "TIN"),
    "vat_id": ("IČ DPH", "IČDPH", "IČ pre DPH", "VAT", "VAT ID", "VAT No", "VAT number", "DIČ DPH"),
    "iban": ("IBAN",),
    "bic": ("SWIFT", "BIC", "SWIFT / BIC", "BIC / SWIFT", "SWIFT kód", "SWIFT code", "BIC kód"),
    # totals
    "total_net": (
        "Spolu bez DPH", "Celkem bez DPH", "Celkom bez DPH", "Suma bez DPH", "Základ spolu",
        "Základ celkem", "Základ celkom", "Základ dane spolu", "Základ daně celkem",
        "Spolu základ", "Celkem základ", "Součet bez DPH", "Súčet bez DPH",
        "Súčet položiek bez DPH", "Součet položek bez DPH", "Súčet položiek", "Součet položek",
        "Celkem bez daně", "Spolu bez dane", "Celkom bez dane", "Celková hodnota bez DPH",
        "Celková suma bez DPH", "Celková částka bez DPH", "Hodnota bez DPH", "Cena bez DPH celkem",
        "Total net", "Total excl. VAT", "Total without VAT", "Subtotal", "Net total",
        "Celková hodnota netto", "Hodnota netto", "Celkem netto", "Spolu netto",
        "Základ dane", "Základ daně", "Tax base",
    ),
    "total_vat": (
        "DPH spolu", "DPH celkem", "DPH celkom", "Celkom DPH", "Celkem DPH", "Spolu DPH",
        "Suma DPH", "DPH", "Total VAT", "VAT total", "Daň celkem", "Daň celkom", "Daň spolu",
        "Celková DPH", "Celkem daň", "Spolu daň", "DPH spolu celkom",
    ),
    "total_gross": (
        "Spolu s DPH", "Celkem s DPH", "Celkom s DPH", "Suma s DPH", "Spolu", "Celkem", "Celkom",
        "Celková suma", "Celková částka", "Celková suma s DPH", "Celková částka s DPH",
        "Celkem brutto", "Total", "Total incl. VAT", "Total with VAT", "Celkem vč. DPH",
        "Celkem včetně DPH", "Celkom vč. DPH", "Spolu vč. DPH", "Celkom vrátane DPH",
        "Spolu vrátane DPH", "Celková suma vrátane DPH", "Celková částka vč. DPH",
        "Celková hodnota s DPH", "Celkem s daní", "Spolu s daňou", "Celkom s daňou",
        "Spolu brutto", "Celkom brutto",
        "Gross total",
    ),
    "rounding": (
        "Zaokrúhlenie", "Zaokrouhlení", "Haléřové vyrovnání", "Halierové vyrovnanie",
        "Rounding",
    ),
    "amount_due": (
        "K úhrade", "K úhradě", "Spolu k úhrade", "Celkom k úhrade", "Celkem k úhradě",
        "Částka k úhradě", "Suma k úhrade", "K zaplateniu", "K zaplacení", "Celkem k zaplacení",
        "Spolu k zaplateniu", "Zostáva uhradiť", "Zbývá uhradit", "Zostáva k úhrade",
        "Suma na úhradu", "Na úhradu", "Spolu na úhradu", "Celkom na úhradu",
        "Celková suma na úhradu", "Čiastka na úhradu", "Čiastka k úhrade", "Suma k zaplateniu",
        "Celkem k platbě", "K platbě", "K úhradě celkem", "K úhrade celkom", "Zbývá zaplatit",
        "Zostáva zaplatiť", "Celkem k úhradě vč. DPH", "Spolu k úhrade s DPH",
        "Amount due", "Total due", "Balance due",
    ),
    "prepaid_amount": (
        "Uhradené zálohou", "Uhradené zálohami", "Uhradená záloha", "Uhradené zálohy",
        "Zaplatené zálohou", "Zaplatené zálohy", "Zaplatená záloha", "Odpočet zálohy",
        "Odpočet záloh", "Odpočet zálohových platieb", "Zaplaceno zálohou", "Zaplaceno zálohami",
        "Zaplacené zálohy", "Zaplacená záloha", "Uhrazeno zálohou", "Uhrazeno zálohami",
        "Uhrazené zálohy", "Odpočet zálohových plateb", "Prijaté zálohy", "Přijaté zálohy",
        "Advance paid", "Advances paid", "Prepaid", "Prepaid amount", "Less advance",
    ),
    # Labels that are recognised only so that their values are never taken for another field.
    "other": (
        "Číslo účtu", "Č. účtu", "Účet", "Bankovní účet", "Bankové spojenie", "Bankovní spojení",
        "Banka", "Peňažný ústav", "Peněžní ústav",
        "Špecifický symbol", "Specifický symbol", "SS", "Forma úhrady", "Spôsob úhrady",
        "Způsob úhrady", "Způsob platby", "Spôsob platby", "Forma platby", "Platba",
        "Dodací list", "Číslo dodacieho listu", "Dátum objednávky", "Datum objednávky",
        "Spôsob dopravy", "Způsob dopravy", "Doprava", "Vystavil", "Vyhotovil", "Telefón", "Tel",
        "Telefon", "Mobil", "Fax", "E-mail", "Email", "Web", "Strana", "Page", "Zákazka",
        "Zákazník č.", "Číslo zákazníka", "Kód zákazníka", "Č. zákazníka", "Zákaznícke číslo",
        "Zákaznické číslo", "Číslo odberateľa", "Číslo odběratele", "Predajca", "Prodejce",
        "Pokladník", "Pokladňa", "Pokladna", "Obchodník", "Obchodný zástupca", "Referent",
        "Vybavuje", "Vyřizuje", "Kontakt", "Kontaktná osoba", "Kontaktní osoba",
        "Miesto určenia", "Prevzal",
        "Záloha", "Kurz", "Zapísaná", "Zapsaná", "Zapísaný", "Spisová značka", "Oddiel",
        "Vložka", "Reference", "Poznámka", "Prenos", "Převod", "Medzisúčet", "Mezisoučet",
        "Order date",
    ),
    "branch": (
        "Prevádzka", "Provozovna", "Predajňa", "Prodejna", "Prevádzka / predajňa",
        "Výdajné miesto", "Výdejní místo",
    ),
    "delivery": (
        "Dodacia adresa", "Dodací adresa", "Miesto dodania", "Místo dodání", "Adresa dodania",
        "Konečný príjemca", "Konečný příjemce", "Ship to", "Delivery address",
    ),
}  # fmt: skip
"""Field → the labels printed before its value."""

IDENTIFIER_FIELDS = ("ico", "dic", "vat_id", "iban", "bic")
PARTY_HEADINGS = ("supplier", "customer", "delivery", "branch")
TOTAL_FIELDS = ("total_net", "total_vat", "total_gross", "rounding", "amount_due", "prepaid_amount")
HEADER_FIELDS = (
    "number",
    "issue_date",
    "tax_point_date",
    "due_date",
    "variable_symbol",
    "constant_symbol",
    "order_reference",
    "currency",
    "preceding_invoice",
)

DOCUMENT_TYPE_WORDS: tuple[tuple[str, DocumentType], ...] = (
    ("opravný daňový doklad", DocumentType.CREDIT_NOTE),
    ("opravný doklad", DocumentType.CREDIT_NOTE),
    ("opravná faktúra", DocumentType.CREDIT_NOTE),
    ("opravná faktura", DocumentType.CREDIT_NOTE),
    ("dobropis", DocumentType.CREDIT_NOTE),
    ("credit note", DocumentType.CREDIT_NOTE),
    ("ťarchopis", DocumentType.DEBIT_NOTE),
    ("vrubopis", DocumentType.DEBIT_NOTE),
    ("debit note", DocumentType.DEBIT_NOTE),
    ("zálohová faktúra", DocumentType.ADVANCE_INVOICE),
    ("zálohová faktura", DocumentType.ADVANCE_INVOICE),
    ("výzva na platbu zálohy", DocumentType.ADVANCE_INVOICE),
    ("výzva k platbě zálohy", DocumentType.ADVANCE_INVOICE),
    ("výzva na úhradu zálohy", DocumentType.ADVANCE_INVOICE),
    ("zálohový list", DocumentType.PROFORMA),
    ("predfaktúra", DocumentType.PROFORMA),
    ("advance invoice", DocumentType.ADVANCE_INVOICE),
    ("proforma", DocumentType.PROFORMA),
    ("pro forma", DocumentType.PROFORMA),
    ("pro-forma", DocumentType.PROFORMA),
    ("faktúra", DocumentType.INVOICE),
    ("faktura", DocumentType.INVOICE),
    ("daňový doklad", DocumentType.INVOICE),
    ("invoice", DocumentType.INVOICE),
)
"""Words naming the kind of document, most specific first."""

COUNTRIES: dict[str, str] = {
    "slovensko": "SK", "slovenska republika": "SK", "sr": "SK", "slovakia": "SK",
    "slovak republic": "SK", "slowakei": "SK",
    "ceska republika": "CZ", "cesko": "CZ", "cr": "CZ", "czech republic": "CZ",
    "czechia": "CZ", "tschechien": "CZ",
    "deutschland": "DE", "nemecko": "DE", "germany": "DE", "spolkova republika nemecko": "DE",
    "rakusko": "AT", "osterreich": "AT", "austria": "AT",
    "madarsko": "HU", "magyarorszag": "HU", "hungary": "HU",
    "polsko": "PL", "polska": "PL", "poland": "PL",
    "slovinsko": "SI", "slovenia": "SI", "taliansko": "IT", "italie": "IT", "italy": "IT",
    "italia": "IT", "francuzsko": "FR", "francie": "FR", "france": "FR",
    "holandsko": "NL", "nizozemsko": "NL", "netherlands": "NL", "nederland": "NL",
    "belgicko": "BE", "belgie": "BE", "belgium": "BE", "spanielsko": "ES", "spanelsko": "ES",
    "spain": "ES", "espana": "ES", "svajciarsko": "CH", "svycarsko": "CH", "schweiz": "CH",
    "switzerland": "CH", "velka britania": "GB", "united kingdom": "GB",
    "chorvatsko": "HR", "croatia": "HR", "rumunsko": "RO", "romania": "RO",
    "ukrajina": "UA", "ukraine": "UA",
    "sk": "SK", "cz": "CZ", "de": "DE", "at": "AT", "hu": "HU", "pl": "PL",
}  # fmt: skip
"""Country names as printed (folded) → ISO 3166 alpha-2."""

LEGAL_FORMS = (
    "s.r.o.", "spol. s r.o.", "spol. s.r.o.", "a.s.", "k.s.", "v.o.s.", "s.p.", "š.p.", "n.o.",
    "o.p.s.", "z.s.", "družstvo", "GmbH", "AG", "Kft.", "Sp. z o.o.", "Ltd.", "Inc.", "S.A.",
)  # fmt: skip
"""The legal forms a company name ends with: a line carrying one names a company."""

NUMBER_MARKERS = ("c", "cislo", "cis", "no", "nr", "num", "number", "#")
"""What may stand between a label and its value to say "number"."""

_PUNCTUATION = re.compile(r"[^\w%#]")
_GLUE = frozenset("-/")
"""A label glued to what follows ("OBJ-2025") is part of a value, not a label."""
_COLON = re.compile(r"[\s.]*[:\uff1a]")
_DOTS = re.compile(r"\.+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without diacritics, one character for one character.

    Offsets into the folded text are offsets into the original, so a label found in the
    folded text cuts the original where its value starts.
    """
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def label_key(text: str) -> str:
    """The folded text with punctuation turned into spaces (same length as ``text``)."""
    return _PUNCTUATION.sub(" ", fold(text)).replace("_", " ")


def compact_key(text: str) -> str:
    """The key of a label with its words separated by single spaces."""
    return " ".join(label_key(text).split())


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """One label standing in a piece of text: which field, and where (offsets in the text)."""

    field: str
    start: int
    end: int
    followed_by_colon: bool


class LabelTable:
    """Compiled synonym tables: finds every label in a text, longest label first."""

    def __init__(self, labels: Mapping[str, Sequence[str]]) -> None:
        self._labels = {field: tuple(synonyms) for field, synonyms in labels.items()}
        alternatives: list[tuple[str, str]] = []
        for field, synonyms in self._labels.items():
            alternatives.extend((field, compact_key(s)) for s in synonyms if compact_key(s))
        alternatives.sort(key=lambda pair: len(pair[1]), reverse=True)
        self._field_of_key: dict[str, str] = {}
        for field, key in alternatives:
            self._field_of_key.setdefault(key, field)
        self._compact_keys = [(key.replace(" ", ""), f) for key, f in self._field_of_key.items()]
        marker = "|".join(re.escape(m) for m in NUMBER_MARKERS)
        labels = _trie_pattern(list(self._field_of_key))
        self._pattern = re.compile(rf"(?<![\w%#])(?P<label>{labels})(?:\s+(?:{marker}))?(?![\w%#])")

    def synonyms(self, field: str) -> tuple[str, ...]:
        return self._labels.get(field, ())

    def find(self, text: str) -> list[LabelMatch]:
        """Every label in ``text`` left to right, each the longest one starting there.

        A match ends after the colon that follows it, if any, so the rest of the text is
        the value.
        """
        found: list[LabelMatch] = []
        label_end = 0
        for match in self._pattern.finditer(label_key(text)):
            field = self._field_of_key[" ".join(match.group("label").split())]
            if text[match.end() : match.end() + 1] in _GLUE:
                continue
            colon = _COLON.match(text, match.end())
            dots = _DOTS.match(text, match.end())
            label_end = match.end()
            found.append(
                LabelMatch(
                    field=field,
                    start=match.start(),
                    end=colon.end() if colon else dots.end() if dots else match.end(),
                    followed_by_colon=colon is not None,
                )
            )
        if len(found) > 1 and found[-1].followed_by_colon:
            found[-2:] = self._regrouped(text, found[-2], found[-1], label_end)
        return found

    def find_near(self, text: str) -> LabelMatch | None:
        """The label a recognised phrase ending in a colon most likely is, when OCR lost a
        space or misread a letter of it ("Spolu kúhrade:", "Suma na úradu EUR:").

        The words before the colon, spaces dropped, must equal a label's or differ from it
        by one letter where the label is long enough to stay unmistakable; a currency or
        a short qualifier may follow such a long label.
        """
        colon = text.find(":")
        if colon <= 0:
            return None
        near = "".join(label_key(text[:colon]).split())
        best: tuple[int, int, str] | None = None
        for key, field in self._compact_keys:
            if not near.startswith(key[:1]) or len(near) < len(key) - 1:
                continue
            for size in (len(key) - 1, len(key), len(key) + 1):
                long = len(key) >= FUZZY_MIN_LENGTH
                if size > len(near) or len(near) - size > (MAX_QUALIFIER if long else 0):
                    continue
                distance = _distance(near[:size], key, 1 if long else 0)
                if distance is not None and (best is None or (distance, -len(key)) < best[:2]):
                    best = (distance, -len(key), field)
        if best is None:
            return None
        end = _COLON.match(text, colon) or _COLON.match(text, text.rfind(" ", 0, colon) + 1)
        return LabelMatch(best[2], 0, end.end() if end else colon + 1, followed_by_colon=True)

    def _regrouped(
        self, text: str, first: LabelMatch, last: LabelMatch, label_end: int
    ) -> list[LabelMatch]:
        """Two labels run together ("Spolu Základ dane spolu:", a recap heading touching a
        totals label) split where the part ending at the colon is the longest whole label,
        provided the part before it is a whole label too."""
        for start in range(first.start + 1, last.start):
            if text[start - 1] != " " or text[start] == " ":
                continue
            field = self._field_of_key.get(compact_key(text[start:label_end]))
            before = self._field_of_key.get(compact_key(text[first.start : start]))
            if field is not None and before is not None:
                head = LabelMatch(before, first.start, start, followed_by_colon=False)
                return [head, LabelMatch(field, start, last.end, followed_by_colon=True)]
        return [first, last]


def _trie_pattern(keys: Sequence[str]) -> str:
    """One regular expression matching any of ``keys``, factored by common prefixes.

    A flat alternation of a few hundred labels is tried label by label at every word of
    every line; the factored form decides on each character once, which makes label search
    several times faster. Greedy optional tails keep the longest label winning.
    """
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, Any]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _node_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


FUZZY_MIN_LENGTH = 9
"""Letters a label needs (spaces dropped) before a one-letter misreading is forgiven."""
MAX_QUALIFIER = 3
"""Letters that may follow a misread label before its colon (a currency: "EUR", "Kč")."""


def _distance(a: str, b: str, limit: int) -> int | None:
    """The edit distance of ``a`` and ``b`` when it is at most ``limit`` (0 or 1)."""
    if a == b:
        return 0
    if limit < 1 or abs(len(a) - len(b)) > 1:
        return None
    if len(a) == len(b):
        return 1 if sum(x != y for x, y in zip(a, b, strict=True)) == 1 else None
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for index in range(len(long)):
        if long[:index] + long[index + 1 :] == short:
            return 1
    return None


def merged_labels(extra: Mapping[str, Sequence[str]] | None) -> dict[str, tuple[str, ...]]:
    """The built-in tables with a template's synonyms added in front of each field's own."""
    merged = dict(FIELD_LABELS)
    for path, synonyms in (extra or {}).items():
        # Both parties print the same identifier labels, so "supplier.ico" extends "ico".
        field = path.rsplit(".", 1)[-1]
        merged[field] = (*synonyms, *merged.get(field, ()))
    return merged


@lru_cache(maxsize=8)
def _cached_table(items: tuple[tuple[str, tuple[str, ...]], ...]) -> LabelTable:
    return LabelTable(dict(items))


def label_table(extra: Mapping[str, Sequence[str]] | None = None) -> LabelTable:
    """The compiled tables, built once per set of extra synonyms."""
    merged = merged_labels(extra)
    return _cached_table(tuple((field, tuple(s)) for field, s in merged.items()))


def document_type_of(text: str) -> DocumentType | None:
    """The kind of document a title or sentence names, most specific word first."""
    key = f" {compact_key(text)} "
    for word, kind in DOCUMENT_TYPE_WORDS:
        if f" {compact_key(word)} " in key:
            return kind
    return None


def _legal_form_pattern() -> re.Pattern[str]:
    forms = sorted({compact_key(form) for form in LEGAL_FORMS}, key=len, reverse=True)
    spaced = (r"\s+".join(re.escape(part) for part in form.split()) for form in forms)
    return re.compile(rf"(?<!\w)(?:{'|'.join(spaced)})(?!\w)")


_LEGAL_FORM = _legal_form_pattern()


def has_legal_form(text: str) -> bool:
    """Whether ``text`` carries a company's legal form ("s.r.o.", "spol. s r.o.", "a.s.")."""
    return _LEGAL_FORM.search(compact_key(text)) is not None


def is_legal_form(text: str) -> bool:
    """Whether ``text`` is nothing but a legal form (", s.r.o." split off a name by a comma)."""
    return _LEGAL_FORM.fullmatch(compact_key(text)) is not None


def country_code(text: str) -> str | None:
    """ISO code of a country name printed on its own line, or ``None``."""
    return COUNTRIES.get(compact_key(text))
