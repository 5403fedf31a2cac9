"""EN 16931 code lists, mapped to the domain's words, for every EN 16931 syntax (UBL, CII).

Tables rather than branches, so a missing code is one new row. Each table maps the
domain's value to the code written; readers use the inverse, where several codes may
come back to one domain value (``C62`` and ``H87`` are both a piece).
"""

from __future__ import annotations

from decimal import Decimal

from nex_automat.domain.model import DocumentType

# UNTDID 1001 document type codes Peppol BIS 3 allows, by what the domain calls them.
TYPE_CODE_WRITTEN: dict[DocumentType, str] = {
    DocumentType.INVOICE: "380",
    DocumentType.CREDIT_NOTE: "381",
    DocumentType.DEBIT_NOTE: "383",
    DocumentType.ADVANCE_INVOICE: "386",
    DocumentType.PROFORMA: "325",
}
TYPE_CODE_READ: dict[str, DocumentType] = {
    **{code: kind for kind, code in TYPE_CODE_WRITTEN.items()},
    "81": DocumentType.CREDIT_NOTE,
    "83": DocumentType.CREDIT_NOTE,
    "261": DocumentType.CREDIT_NOTE,
    "262": DocumentType.CREDIT_NOTE,
    "396": DocumentType.CREDIT_NOTE,
    "532": DocumentType.CREDIT_NOTE,
    "384": DocumentType.INVOICE,
    "389": DocumentType.INVOICE,
    "393": DocumentType.INVOICE,
    "395": DocumentType.INVOICE,
    "575": DocumentType.INVOICE,
    "623": DocumentType.INVOICE,
    "780": DocumentType.INVOICE,
}

# UN/ECE Recommendation 20 (and 21, X-prefixed) unit codes for the units Slovak and
# Czech invoices print. The first spelling of each code is the one reading gives back.
UNIT_CODE_WRITTEN: dict[str, str] = {
    "ks": "H87",
    "kus": "H87",
    "kg": "KGM",
    "g": "GRM",
    "t": "TNE",
    "m": "MTR",
    "bm": "LM",
    "km": "KMT",
    "cm": "CMT",
    "mm": "MMT",
    "m2": "MTK",
    "m²": "MTK",
    "m3": "MTQ",
    "m³": "MTQ",
    "l": "LTR",
    "hod": "HUR",
    "h": "HUR",
    "deň": "DAY",
    "den": "DAY",
    "mes": "MON",
    "pár": "PR",
    "sada": "SET",
    "bal": "XPK",
    "rol": "XRO",
    "vedro": "XBJ",
    "pal": "XPX",
    "kwh": "KWH",
}
UNIT_NAME_READ: dict[str, str] = {
    "C62": "ks",
    **{code: name for name, code in reversed(UNIT_CODE_WRITTEN.items())},
}

# Peppol EAS codes for an endpoint. Slovakia registers participants by DIČ (0245); VAT
# ids use the Peppol 99xx scheme of their country.
EAS_SK_DIC = "0245"
EAS_VAT_BY_COUNTRY: dict[str, str] = {
    "AT": "9914",
    "BE": "9925",
    "BG": "9926",
    "CY": "9928",
    "CZ": "9929",
    "DE": "9930",
    "EE": "9931",
    "EL": "9933",
    "ES": "9920",
    "FR": "9957",
    "HR": "9934",
    "HU": "9910",
    "IE": "9935",
    "IT": "9906",
    "LT": "9937",
    "LU": "9938",
    "LV": "9939",
    "MT": "9943",
    "NL": "9944",
    "PL": "9945",
    "PT": "9946",
    "RO": "9947",
    "SI": "9949",
    "SK": "9950",
    "SE": "9955",
}
EAS_VAT_SCHEMES = frozenset(EAS_VAT_BY_COUNTRY.values())

# ISO 6523 ICD schemes of the Slovak and Czech company registers (IČO).
ICO_SCHEMES = frozenset({"0154", "0158"})
ICO_COUNTRIES = frozenset({"SK", "CZ"})

GTIN_SCHEME = "0160"

# The domestic currency VAT is accounted in, for the exchange rate of a foreign one.
TAX_CURRENCY_BY_COUNTRY: dict[str, str] = {"SK": "EUR", "CZ": "CZK"}

PAYMENT_CREDIT_TRANSFER = "30"
PAYMENT_NOT_DEFINED = "1"


def unit_code(unit: str) -> str:
    """The UN/ECE code for a printed unit; an unknown unit is written as printed."""
    return UNIT_CODE_WRITTEN.get(unit.strip().lower(), unit)


def unit_name(code: str) -> str:
    """The printed unit for a UN/ECE code; an unknown code is kept as it is."""
    return UNIT_NAME_READ.get(code.strip(), code.strip())


def vat_category_for(rate: Decimal) -> str:
    """EN 16931 category when a document gives only a rate: standard, or zero rated."""
    return "S" if rate else "Z"
