"""Label synonyms real Slovak and Czech invoices use, per concept and language.

A family narrows these with its own table when its ERP always prints one wording.
"""

from __future__ import annotations

from nex_automat.domain.model import DocumentType

LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "number": {
        "sk": ("Číslo faktúry", "Faktúra č.", "Doklad číslo", "Číslo dokladu"),
        "cs": ("Faktura číslo", "Číslo faktury", "Číslo dokladu", "Doklad č."),
    },
    "issue_date": {
        "sk": ("Dátum vystavenia", "Dátum vyhotovenia", "Vystavené"),
        "cs": ("Datum vystavení", "Vystaveno", "Datum vyhotovení"),
    },
    "tax_point_date": {
        "sk": ("Dátum dodania", "Dátum zdaniteľného plnenia", "DUZP", "Dátum dodania tovaru"),
        "cs": ("DUZP", "Datum uskutečnění zdanitelného plnění", "Datum zdan. plnění", "Datum UZP"),
    },
    "due_date": {
        "sk": ("Dátum splatnosti", "Splatnosť", "Splatné dňa"),
        "cs": ("Datum splatnosti", "Splatnost", "Splatno dne"),
    },
    "variable_symbol": {
        "sk": ("Variabilný symbol", "VS", "Var. symbol"),
        "cs": ("Variabilní symbol", "VS", "Var. symbol"),
    },
    "constant_symbol": {
        "sk": ("Konštantný symbol", "KS", "Konšt. symbol"),
        "cs": ("Konstantní symbol", "KS", "Konst. symbol"),
    },
    "order_reference": {
        "sk": ("Objednávka", "Číslo objednávky", "Vaša objednávka", "Obj. č."),
        "cs": ("Objednávka", "Číslo objednávky", "Vaše objednávka", "Obj. číslo"),
    },
    "payment_method": {
        "sk": ("Forma úhrady", "Spôsob úhrady", "Platba"),
        "cs": ("Forma úhrady", "Způsob platby", "Platba"),
    },
    "ico": {"sk": ("IČO",), "cs": ("IČ", "IČO")},
    "dic": {"sk": ("DIČ",), "cs": ("DIČ",)},
    "vat_id": {"sk": ("IČ DPH",), "cs": ("DIČ",)},
    "supplier": {
        "sk": ("Dodávateľ", "DODÁVATEĽ", "Dodávateľ:"),
        "cs": ("Dodavatel", "DODAVATEL", "Dodavatel:"),
    },
    "customer": {
        "sk": ("Odberateľ", "ODBERATEĽ", "Odberateľ:", "Príjemca"),
        "cs": ("Odběratel", "ODBĚRATEL", "Odběratel:", "Příjemce"),
    },
    "bank": {"sk": ("Banka", "Peňažný ústav"), "cs": ("Banka", "Peněžní ústav")},
    "account": {"sk": ("Číslo účtu", "Účet"), "cs": ("Číslo účtu", "Bankovní účet", "Účet")},
    "iban": {"sk": ("IBAN",), "cs": ("IBAN",)},
    "bic": {"sk": ("SWIFT", "BIC", "SWIFT/BIC", "SWIFT kód"), "cs": ("SWIFT", "BIC", "SWIFT/BIC")},
    "total_net": {
        "sk": ("Spolu bez DPH", "Základ dane spolu", "Celkom bez DPH"),
        "cs": ("Celkem bez DPH", "Základ celkem", "Součet bez DPH"),
    },
    "total_vat": {
        "sk": ("DPH spolu", "DPH", "Celkom DPH"),
        "cs": ("DPH celkem", "DPH", "Celkem DPH"),
    },
    "total_gross": {
        "sk": ("Spolu s DPH", "Celkom s DPH", "Celková suma"),
        "cs": ("Celkem s DPH", "Celkem", "Celková částka"),
    },
    "rounding": {
        "sk": ("Zaokrúhlenie",),
        "cs": ("Haléřové vyrovnání", "Zaokrouhlení"),
    },
    "amount_due": {
        "sk": ("Spolu k úhrade", "Celkom k úhrade", "K úhrade", "Suma k úhrade"),
        "cs": ("Celkem k úhradě", "K úhradě", "Částka k úhradě"),
    },
    "carry_in": {
        "sk": ("Prenos z predchádzajúcej strany", "Prenos"),
        "cs": ("Převod z předchozí strany", "Převod"),
    },
    "carry_out": {
        "sk": ("Prenos na ďalšiu stranu", "Prenos"),
        "cs": ("Převod na další stranu", "Převod"),
    },
    "subtotal": {"sk": ("Medzisúčet",), "cs": ("Mezisoučet",)},
    "page": {
        "sk": ("Strana {p} z {n}", "Strana {p}/{n}"),
        "cs": ("Strana {p} z {n}", "Strana {p}/{n}"),
    },
    "vat_recap_title": {
        "sk": ("Rekapitulácia DPH", "Rekapitulácia DPH v {currency}", "Sumarizácia DPH"),
        "cs": ("Rekapitulace DPH", "Rekapitulace DPH v {currency}", "Přehled DPH"),
    },
    "recap_rate": {"sk": ("Sadzba DPH", "Sadzba"), "cs": ("Sazba", "Sazba DPH")},
    "recap_base": {"sk": ("Základ dane", "Základ"), "cs": ("Základ", "Základ daně")},
    "recap_vat": {"sk": ("DPH", "Výška DPH"), "cs": ("DPH", "Výše DPH")},
    "recap_total": {"sk": ("Spolu", "Celkom"), "cs": ("Celkem",)},
    "col_pos": {"sk": ("P.č.", "Č.", "#", "Por."), "cs": ("P.č.", "Č.", "#", "Poř.")},
    "col_code": {"sk": ("Kód", "Katalóg", "Číslo tovaru"), "cs": ("Kód", "Katalog", "Číslo zboží")},
    "col_ean": {"sk": ("EAN",), "cs": ("EAN",)},
    "col_desc": {
        "sk": ("Názov položky", "Označenie dodávky", "Popis", "Tovar / služba"),
        "cs": ("Název položky", "Označení dodávky", "Popis", "Zboží / služba"),
    },
    "col_qty": {"sk": ("Množstvo", "Počet", "Mn."), "cs": ("Množství", "Počet", "Mn.")},
    "col_unit": {"sk": ("MJ", "m.j.", "J."), "cs": ("MJ", "m.j.", "Jedn.")},
    "col_price": {
        "sk": ("Cena/MJ", "J. cena", "Jedn. cena bez DPH", "Cena za MJ"),
        "cs": ("Cena/MJ", "J. cena", "Cena za MJ bez DPH", "Jedn. cena"),
    },
    "col_disc": {"sk": ("Zľava %", "Zľ. %", "Zľava"), "cs": ("Sleva %", "Sl. %", "Sleva")},
    "col_rate": {"sk": ("DPH %", "Sadzba", "% DPH"), "cs": ("DPH %", "Sazba", "% DPH")},
    "col_net": {
        "sk": ("Spolu bez DPH", "Cena bez DPH", "Základ", "Celkom bez DPH"),
        "cs": ("Celkem bez DPH", "Cena bez DPH", "Základ", "Bez DPH"),
    },
    "col_vat": {"sk": ("DPH", "Suma DPH"), "cs": ("DPH", "Částka DPH")},
    "col_gross": {
        "sk": ("Spolu s DPH", "Celkom", "S DPH"),
        "cs": ("Celkem s DPH", "Celkem", "S DPH"),
    },
    "code_prefix": {"sk": ("Kód:", "Kat. č.:", "Číslo:"), "cs": ("Kód:", "Kat. č.:", "Číslo:")},
    "issued_by": {"sk": ("Vystavil", "Vyhotovil"), "cs": ("Vystavil", "Vyhotovil")},
}

TITLES: dict[DocumentType, dict[str, tuple[str, ...]]] = {
    DocumentType.INVOICE: {
        "sk": ("Faktúra", "Faktúra - daňový doklad", "FAKTÚRA", "Daňový doklad"),
        "cs": ("Faktura", "Faktura - daňový doklad", "FAKTURA", "Daňový doklad"),
    },
    DocumentType.CREDIT_NOTE: {
        "sk": ("Dobropis", "Opravný daňový doklad", "DOBROPIS", "Dobropis - opravný daňový doklad"),
        "cs": ("Dobropis", "Opravný daňový doklad", "DOBROPIS", "Opravný daňový doklad - dobropis"),
    },
    DocumentType.ADVANCE_INVOICE: {
        "sk": ("Zálohová faktúra", "ZÁLOHOVÁ FAKTÚRA", "Výzva na úhradu zálohy"),
        "cs": ("Zálohová faktura", "ZÁLOHOVÁ FAKTURA", "Výzva k platbě zálohy"),
    },
    DocumentType.PROFORMA: {
        "sk": ("Proforma faktúra", "PROFORMA FAKTÚRA", "Predfaktúra"),
        "cs": ("Proforma faktura", "PROFORMA FAKTURA", "Zálohový list - proforma"),
    },
}

PAYMENT_METHODS: dict[str, tuple[str, ...]] = {
    "sk": ("Prevodným príkazom", "Bankový prevod", "Prevodom"),
    "cs": ("Převodním příkazem", "Bankovní převod", "Převodem"),
}

REGISTRATION: dict[str, tuple[str, ...]] = {
    "sk": (
        "Zapísaná v OR Okresného súdu {court}, odd. Sro, vl. č. {no}/{letter}",
        "Spoločnosť je zapísaná v Obchodnom registri Mestského súdu {court}, "
        "oddiel: Sro, vložka č. {no}/{letter}",
        "Zapísaný v OR OS {court}, odd. Sa, vl. č. {no}/{letter}",
    ),
    "cs": (
        "Zapsáno v obchodním rejstříku vedeném {court}, oddíl C, vložka {no}",
        "Společnost je zapsána v OR u {court}, sp. zn. C {no}",
        "Zapsána v OR vedeném {court}, oddíl B, vložka {no}",
    ),
}

COURTS: dict[str, tuple[str, ...]] = {
    "sk": (
        "Bratislava I",
        "Žilina",
        "Trnava",
        "Nitra",
        "Banská Bystrica",
        "Košice I",
        "Prešov",
        "Trenčín",
    ),
    "cs": (
        "Městským soudem v Praze",
        "Krajským soudem v Brně",
        "Krajským soudem v Ostravě",
        "Krajským soudem v Plzni",
        "Krajským soudem v Hradci Králové",
    ),
}
