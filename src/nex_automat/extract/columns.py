"""Column labels of invoice item tables (Slovak, Czech, English) and how to recognise them.

Labels are compared after folding: diacritics removed, lower case, punctuation turned into
spaces, currency qualifiers dropped. So "Jedn. cena bez DPH (€)" and "jedn cena bez dph" are
the same label. A supplier template can add its own labels per field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

from nex_automat.errors import TemplateError

FIELDS: tuple[str, ...] = (
    "position",
    "seller_code",
    "ean",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "discount_percent",
    "vat_rate",
    "net_amount",
    "vat_amount",
    "gross_amount",
)

IGNORED_FIELDS = frozenset({"discounted_price", "gross_unit_price"})
"""Columns recognised only so that their values are never read as another field: the unit
price after the line discount is not the unit price (that is the price before it), and the
unit price with VAT is not the net unit price (which is never worked out from it)."""

TEXT_FIELDS = frozenset({"position", "seller_code", "ean", "description", "unit"})
"""Columns whose values are words, printed left-aligned; the rest hold numbers."""

COLUMN_LABELS: Mapping[str, tuple[str, ...]] = {
    "position": (
        "P.č.", "P. č.", "Č.", "#", "Pol.", "Por.", "Por. č.", "Poř.", "Poř. č.", "Pč.",
        "Poradové číslo", "Pořadí", "No.", "Nr.", "Pos.", "Item no.", "Riadok", "Ř.",
    ),
    "seller_code": (
        "Kód", "Kód tovaru", "Kód zboží", "Kód položky", "Katalógové číslo",
        "Katalogové číslo", "Kat. číslo", "Kat. č.", "Kat.č.", "Číslo položky", "Číslo tovaru",
        "Číslo zboží", "Art. č.", "Art.č.", "Art. číslo", "Artikel", "Obj. číslo",
        "Objednávacie číslo", "Objednací číslo", "Code", "Item code", "Product code", "SKU",
        "Reg. č.", "Registračné číslo", "Kód produktu", "Tovar kód", "Číslo", "Č. tovaru",
        "Katalóg", "Katalog", "Materiál", "Material", "Číslo materiálu", "Reg. číslo",
        "Reg. č", "Registrační číslo", "Obj. č.", "Objednací kód", "Objednávací kód",
        "Katalóg. č.", "Katalóg. číslo", "Katalog. č.", "Katalog. číslo", "Kat. kód",
        "Skl. číslo", "Skladové číslo", "Skl. č.", "Skl. kód", "Skladový kód", "Číslo karty",
        "Č. karty", "Kód karty", "Karta", "Interné číslo", "Interní číslo", "Int. č.", "PLU",
        "Číslo výrobku", "Č. výrobku", "Kód výrobku", "Art. no.", "Article no.", "Part no.",
        "Ref.", "Ref. č.",
    ),
    "ean": ("EAN", "EAN kód", "Čiarový kód", "Čárový kód", "GTIN", "Barcode", "EAN/GTIN"),
    "description": (
        "Názov", "Popis", "Názov tovaru", "Názov položky", "Názov tovaru / služby",
        "Názov tovaru/služby", "Označenie dodávky", "Označení dodávky", "Označenie",
        "Označenie tovaru", "Text", "Položka", "Název", "Název zboží", "Název položky",
        "Popis položky", "Popis tovaru", "Popis zboží", "Tovar", "Zboží", "Tovar / služba",
        "Tovar/služba", "Zboží / služba", "Predmet", "Predmet fakturácie", "Předmět",
        "Description", "Item", "Item description", "Product", "Názov a popis",
    ),
    "quantity": (
        "Množstvo", "Množ.", "Množs.", "Počet", "Mn.", "Qty", "Qty.", "Quantity", "Množství",
        "Množ", "Počet MJ", "Počet m.j.", "Počet jednotiek", "Fakturované množstvo",
        "Dodané množstvo", "Ks",
    ),
    "unit": (
        "MJ", "m.j.", "M.J.", "Jedn.", "Jednotka", "Unit", "UoM", "Mer. jedn.", "Měr. jedn.",
        "Merná jednotka", "Měrná jednotka", "J.", "Jed.",
    ),
    "unit_price": (
        "Jedn. cena", "Jedn.cena", "Cena/MJ", "Cena / MJ", "Cena za MJ", "Cena za m.j.",
        "Cena za jednotku", "Cena za ks", "Cena/ks", "J.cena", "J. cena", "Jednotková cena",
        "Jednotková cena bez DPH", "Jedn. cena bez DPH", "Cena/MJ bez DPH",
        "Cena za MJ bez DPH", "Cena za m.j. bez DPH", "J. cena bez DPH", "Cena MJ",
        "Cena jedn.", "Jednot. cena", "Unit price", "Price", "Price/unit", "Cena",
        "Predajná cena", "Cena bez DPH/MJ", "Cena MJ bez DPH", "Cena pred zľavou",
        "Cena před slevou", "Cena bez zľavy", "Cena bez slevy", "Cenníková cena", "Ceníková cena",
        "Katalógová cena", "Katalogová cena", "Jedn. cena pred zľavou", "Cena MJ pred zľavou",
        "List price", "Cena/J. bez DPH", "Cena/J.", "Cena / m.j.", "Cena za j.",
        "Cena za j. bez DPH", "Cena/m.j. bez DPH", "Cena za ks bez DPH", "Cena/ks bez DPH",
        "Unit price excl. VAT", "Price excl. VAT",
    ),
    "discounted_price": (
        "Cena po zľave", "Cena MJ po zľave", "Jedn. cena po zľave", "J. cena po zľave",
        "Cena/MJ po zľave", "Cena za MJ po zľave", "Cena po zľ.", "Zľav. cena", "Zľavnená cena",
        "Cena so zľavou", "Cena po slevě", "Cena MJ po slevě", "Jedn. cena po slevě",
        "Cena/MJ po slevě", "Cena za MJ po slevě", "Cena se slevou", "Zlevněná cena",
        "Po zľave", "Po slevě", "Cena po rabate", "Cena po rabatu", "Cena po zľave bez DPH",
        "Cena po slevě bez DPH", "Net price", "Price after discount", "Discounted price",
    ),
    "gross_unit_price": (
        "Cena/ks s DPH", "Cena za ks s DPH", "Cena/MJ s DPH", "Cena za MJ s DPH",
        "Cena za m.j. s DPH", "Cena MJ s DPH", "Cena s DPH/MJ", "Cena s DPH/ks",
        "Jedn. cena s DPH", "J. cena s DPH", "Jednotková cena s DPH", "Cena/J. s DPH",
        "Cena za jednotku s DPH", "Jedn. cena vrátane DPH", "Jedn. cena včetně DPH",
        "Unit price incl. VAT", "Price/unit incl. VAT", "Unit price with VAT",
    ),
    "discount_percent": (
        "Zľava %", "Zľava", "Zľava (%)", "Zľ. %", "Zľ.", "Sleva %", "Sleva", "Sleva (%)",
        "Rabat", "Rabat %", "Sl. %", "Sl.", "Discount", "Discount %", "Disc. %", "Zľava v %",
        "Sleva v %",
    ),
    "vat_rate": (
        "DPH %", "% DPH", "DPH (%)", "DPH v %", "Sadzba DPH", "Sadzba", "Sadzba %",
        "Sazba", "Sazba DPH", "Sazba %", "DPH sadzba", "DPH sazba", "VAT %", "VAT rate",
        "% VAT", "Sadzba DPH %", "Sazba DPH %", "%",
    ),
    "net_amount": (
        "Spolu bez DPH", "Celkom bez DPH", "Cena bez DPH", "Základ", "Základ DPH",
        "Základ dane", "Celkem bez DPH", "Suma", "Suma bez DPH", "Cena celkom bez DPH",
        "Cena celkem bez DPH", "Hodnota bez DPH", "Hodnota", "Net", "Net amount", "Amount",
        "Celková cena bez DPH", "Spolu bez DPH po zľave", "Cena spolu bez DPH", "Bez DPH",
        "Základ daně", "Hodnota netto", "Netto", "Netto hodnota", "Celkom", "Spolu", "Celkem",
        "Total", "Cena celkom", "Cena celkem", "Cena spolu", "Excl. VAT", "Total excl. VAT",
    ),
    "vat_amount": (
        "DPH", "Výška DPH", "Suma DPH", "Hodnota DPH", "VAT", "VAT amount", "Daň", "Výše DPH",
        "DPH celkom", "DPH celkem", "DPH spolu", "Částka DPH", "Čiastka DPH", "Tax",
    ),
    "gross_amount": (
        "Spolu s DPH", "Celkom s DPH", "Celkem s DPH", "Cena s DPH", "Suma s DPH",
        "Cena celkom s DPH", "Cena celkem s DPH", "Hodnota s DPH", "Celková cena s DPH",
        "Cena spolu s DPH", "Spolu vrátane DPH", "Celkom vrátane DPH", "Celkem včetně DPH",
        "Vrátane DPH", "Včetně DPH", "S DPH", "Total incl. VAT", "Gross", "Gross amount",
        "Amount incl. VAT", "Price incl. VAT", "Spolu s DPH celkom", "Celkem vč. DPH",
        "Celkom vr. DPH", "Cena vč. DPH", "Cena vr. DPH",
    ),
}  # fmt: skip
"""Header synonyms per field. A bare total ("Celkom", "Spolu") is read as the net amount
when the table also has a column with VAT included, and as the gross amount otherwise;
see ``AMBIGUOUS_TOTALS``."""

LOOSE_WORDS = 2
"""Words a header cell may carry after its label when the label ends on the next line
("Cena za MJ bez" over "DPH")."""

AMBIGUOUS_TOTALS = frozenset({"celkom", "spolu", "celkem", "total", "cena celkom", "cena celkem"})
"""Labels meaning "line total" without saying whether VAT is in it."""

_QUALIFIERS = re.compile(r"\b(?:v\s+)?(?:eur|czk|kc|usd|€|\$)\b|€")
_PUNCTUATION = re.compile(r"[.,:;/()\[\]\\_*'\"-]+")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _PUNCTUATION.sub(" ", plain.replace("%", " % ").replace("#", " # "))
    return " ".join(plain.split())


@lru_cache(maxsize=8192)
def fold_label(text: str) -> str:
    """A header text reduced to what identifies its column (currency qualifiers dropped)."""
    return " ".join(_QUALIFIERS.sub(" ", fold(text)).split())


class LabelTable:
    """Header label → field, built once from the built-in synonyms plus a template's own."""

    def __init__(self, extra: Mapping[str, Sequence[str]] | None = None) -> None:
        self._labels: dict[str, str] = {}
        for field, labels in COLUMN_LABELS.items():
            for label in labels:
                self._labels.setdefault(fold_label(label), field)
        for field, labels in (extra or {}).items():
            if field not in FIELDS:
                raise TemplateError(f"unknown column field {field!r}; known: {', '.join(FIELDS)}")
            for label in labels:
                self._labels[fold_label(label)] = field
        self.longest = max(len(key.split()) for key in self._labels)
        self._prefixes: dict[str, set[str]] = {}
        for key, field in self._labels.items():
            words = key.split()
            for end in range(1, len(words) + 1):
                self._prefixes.setdefault(" ".join(words[:end]), set()).add(field)

    def cell_field(self, texts: Sequence[str]) -> tuple[str | None, int]:
        """The field header words set as one cell name, and how many of them are loose.

        The cell is a whole label, possibly bilingual: "Množstvo / Qty", "Cena s DPH / Price"
        (the other language cut off by the line end), or a label and one or two words
        continued on the next label line ("Bez DPH / Excl." over "VAT"). Another language
        naming a different column ("Cena s DPH / Sadzba") makes it two cells, not one.
        """
        key = fold_label(" ".join(texts))
        if key in self._labels:
            return self._labels[key], 0
        if "/" in texts:
            slash = texts.index("/")
            left = fold_label(" ".join(texts[:slash]))
            found = self._labels.get(left)
            if found is None:
                return None, 0
            right = fold_label(" ".join(texts[slash + 1 :]))
            if not right or found in self._prefixes.get(right, ()):
                return found, 0
            loose = len(texts) - slash - 1
            if loose > LOOSE_WORDS or right in self._labels:
                return None, 0
            return found, loose
        for loose in range(1, min(LOOSE_WORDS, len(texts) - 1) + 1):
            found = self._labels.get(fold_label(" ".join(texts[: len(texts) - loose])))
            if found is not None:
                return found, loose
        return None, 0

    def field_of(self, text: str) -> str | None:
        """The field a whole header cell names, or ``None``."""
        key = self._key(text)
        return None if key is None else self._labels[key]

    def _key(self, text: str) -> str | None:
        """The known label a header cell is: the whole text, or one side of a bilingual
        "Množstvo / Qty" (either language may be the one the table knows)."""
        key = fold_label(text)
        if not key:
            return None
        if key in self._labels:
            return key
        if " / " in text:
            for part in text.split(" / "):
                key = fold_label(part)
                if key in self._labels:
                    return key
        return None

    def is_label(self, folded: str) -> bool:
        return folded in self._labels

    def is_qualifier(self, text: str) -> bool:
        """A currency tag that only qualifies the label it follows."""
        return bool(fold(text)) and not fold_label(text)

    def is_ambiguous_total(self, text: str) -> bool:
        return self._key(text) in AMBIGUOUS_TOTALS


DEFAULT_LABELS = LabelTable()
"""The built-in table, shared by every document read without a template's columns."""
