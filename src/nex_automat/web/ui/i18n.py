"""The workspace's languages: Slovak (default), Czech and English; strings and formats.

Every string a page shows comes from :data:`CATALOGUES` by key, so a page cannot show an
untranslated string without a test noticing (every language must have the same keys).
Placeholders are ``str.format`` fields: ``t("inbox.showing", count=3)``.

Numbers and dates follow each language's custom: Slovak and Czech ``1 234,56`` and
``16. 9. 2025``, English ``1,234.56`` and ``16 Sep 2025``. Slovak and Czech group thousands
with a no-break space (U+00A0) and their dates use no-break spaces too, so neither is split
across lines in a narrow table cell. Amounts keep every decimal place they have and get at
least two. Timestamps are shown in the office's time zone, :data:`DISPLAY_ZONE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from nex_automat.store.users import LANGUAGES
from nex_automat.web.ui.catalogues import admin as admin_strings
from nex_automat.web.ui.catalogues import catalog as catalog_strings
from nex_automat.web.ui.catalogues import deliveries as delivery_strings
from nex_automat.web.ui.catalogues import export as export_strings
from nex_automat.web.ui.catalogues import invoice as invoice_strings
from nex_automat.web.ui.catalogues import matching as matching_strings
from nex_automat.web.ui.catalogues import notifications as mail_strings
from nex_automat.web.ui.catalogues import queue as queue_strings

DEFAULT_LANGUAGE = LANGUAGES[0]
DISPLAY_ZONE = ZoneInfo("Europe/Bratislava")
NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class NumberStyle:
    group: str
    decimal: str


_DECIMAL_COMMA = NumberStyle(group=NBSP, decimal=",")
NUMBER_STYLES: dict[str, NumberStyle] = {
    "sk": _DECIMAL_COMMA,
    "cs": _DECIMAL_COMMA,
    "en": NumberStyle(group=",", decimal="."),
}

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

SK: dict[str, str] = {
    "app.name": "NEX Automat",
    "app.skip": "Preskočiť na obsah",
    "nav.label": "Hlavná navigácia",
    "nav.inbox": "Doručené",
    "nav.admin": "Správa",
    "nav.signed_in_as": "Prihlásený: {username} ({role})",
    "nav.logout": "Odhlásiť",
    "nav.language": "Jazyk",
    "language.sk": "Slovensky",
    "language.cs": "Česky",
    "language.en": "English",
    "role.operator": "operátor",
    "role.approver": "schvaľovateľ",
    "role.admin": "správca",
    "login.title": "Prihlásenie",
    "login.username": "Používateľské meno",
    "login.password": "Heslo",
    "login.submit": "Prihlásiť sa",
    "login.failed": "Nesprávne meno alebo heslo.",
    "login.too_many": ("Príliš veľa neúspešných pokusov. Skúste to znova o {minutes} min."),
    "status.all": "Všetky",
    "status.needs_review": "Na kontrolu",
    "status.new": "Nové",
    "status.approved": "Schválené",
    "status.exported": "Exportované",
    "status.rejected": "Zamietnuté",
    "status.failed": "Chybné",
    "status.duplicate": "Duplicity",
    "inbox.title": "Doručené faktúry",
    "inbox.tabs": "Stav faktúr",
    "inbox.filters": "Filtre",
    "inbox.search": "Hľadať",
    "inbox.search_hint": "Číslo, dodávateľ alebo text položky (skratka /)",
    "inbox.supplier": "Dodávateľ",
    "inbox.issued_from": "Vystavené od",
    "inbox.issued_to": "Vystavené do",
    "inbox.amount_min": "Suma od",
    "inbox.amount_max": "Suma do",
    "inbox.warnings": "Upozornenia",
    "inbox.warnings_any": "Všetky",
    "inbox.warnings_yes": "S upozorneniami",
    "inbox.warnings_no": "Bez upozornení",
    "inbox.apply": "Filtrovať",
    "inbox.clear": "Zrušiť filtre",
    "inbox.invalid_amount": "Suma „{value}“ nie je číslo; filter sa nepoužil.",
    "inbox.invalid_date": "Dátum „{value}“ nie je platný; filter sa nepoužil.",
    "inbox.empty": "Žiadne faktúry nezodpovedajú filtru.",
    "inbox.next": "Ďalšia strana",
    "inbox.first": "Prvá strana",
    "inbox.keyboard": "Klávesy: ↑/↓ výber, Enter otvorí, / hľadanie.",
    "inbox.table": "Zoznam faktúr",
    "inbox.sorted_asc": "zoradené vzostupne",
    "inbox.sorted_desc": "zoradené zostupne",
    "inbox.reprocess_queued": "Dokument bol zaradený na nové spracovanie.",
    "column.received": "Prijaté",
    "column.number": "Číslo",
    "column.supplier": "Dodávateľ",
    "column.issue_date": "Vystavené",
    "column.due_date": "Splatné",
    "column.total": "Suma s DPH",
    "column.status": "Stav",
    "column.warnings": "Upozornenia",
    "failed.title": "Nespracované dokumenty",
    "failed.empty": "Žiadne nespracované dokumenty.",
    "failed.file": "Súbor",
    "failed.received": "Prijatý",
    "failed.error": "Chyba",
    "failed.reprocess": "Spracovať znova",
    "failed.more": "Ďalšie dokumenty",
    "invoice.title": "Faktúra {number}",
    "invoice.no_number": "bez čísla",
    "invoice.back": "Späť na zoznam",
    "invoice.header": "Hlavička",
    "invoice.supplier": "Dodávateľ",
    "invoice.customer": "Odberateľ",
    "invoice.lines": "Položky",
    "invoice.totals": "Súčty",
    "invoice.warnings": "Upozornenia",
    "invoice.no_lines": "Faktúra nemá položky.",
    "field.document_type": "Typ dokladu",
    "field.number": "Číslo faktúry",
    "field.issue_date": "Dátum vystavenia",
    "field.tax_point_date": "Dátum dodania",
    "field.due_date": "Dátum splatnosti",
    "field.currency": "Mena",
    "field.variable_symbol": "Variabilný symbol",
    "field.constant_symbol": "Konštantný symbol",
    "field.order_reference": "Objednávka",
    "field.status": "Stav",
    "field.name": "Názov",
    "field.ico": "IČO",
    "field.dic": "DIČ",
    "field.vat_id": "IČ DPH",
    "field.street": "Ulica",
    "field.city": "Mesto",
    "field.postal_code": "PSČ",
    "field.country": "Krajina",
    "field.iban": "IBAN",
    "field.total_net": "Základ",
    "field.total_vat": "DPH",
    "field.total_gross": "Spolu s DPH",
    "field.amount_due": "K úhrade",
    "line.position": "Č.",
    "line.description": "Popis",
    "line.quantity": "Množstvo",
    "line.unit": "MJ",
    "line.unit_price": "Jedn. cena",
    "line.discount_percent": "Zľava %",
    "line.vat_rate": "DPH %",
    "line.net_amount": "Základ",
    "line.gross_amount": "Spolu",
    "admin.title": "Správa",
    "admin.users": "Používatelia",
    "admin.username": "Meno",
    "admin.role": "Rola",
    "admin.language": "Jazyk",
    "admin.last_login": "Posledné prihlásenie",
    "admin.state": "Stav",
    "admin.active": "aktívny",
    "admin.disabled": "zablokovaný",
    "error.title": "Chyba",
    "error.not_found": "Stránka alebo záznam neexistuje.",
    "error.forbidden": "Na túto akciu nemáte oprávnenie.",
    "error.csrf": ("Formulár vypršal alebo neprišiel z tejto aplikácie. Načítajte stránku znova."),
    "error.back": "Späť na doručené",
    "value.none": "—",
}

CS: dict[str, str] = {
    "app.name": "NEX Automat",
    "app.skip": "Přeskočit na obsah",
    "nav.label": "Hlavní navigace",
    "nav.inbox": "Došlé faktury",
    "nav.admin": "Správa",
    "nav.signed_in_as": "Přihlášený uživatel: {username} ({role})",
    "nav.logout": "Odhlásit",
    "nav.language": "Jazyk",
    "language.sk": "Slovensky",
    "language.cs": "Česky",
    "language.en": "English",
    "role.operator": "operátor",
    "role.approver": "schvalovatel",
    "role.admin": "správce",
    "login.title": "Přihlášení",
    "login.username": "Uživatelské jméno",
    "login.password": "Heslo",
    "login.submit": "Přihlásit se",
    "login.failed": "Nesprávné jméno nebo heslo.",
    "login.too_many": "Příliš mnoho neúspěšných pokusů. Zkuste to znovu za {minutes} min.",
    "status.all": "Všechny",
    "status.needs_review": "Ke kontrole",
    "status.new": "Nové",
    "status.approved": "Schválené",
    "status.exported": "Exportované",
    "status.rejected": "Zamítnuté",
    "status.failed": "Chybné",
    "status.duplicate": "Duplicity",
    "inbox.title": "Došlé faktury",
    "inbox.tabs": "Stav faktur",
    "inbox.filters": "Filtry",
    "inbox.search": "Hledat",
    "inbox.search_hint": "Číslo, dodavatel nebo text položky (zkratka /)",
    "inbox.supplier": "Dodavatel",
    "inbox.issued_from": "Vystaveno od",
    "inbox.issued_to": "Vystaveno do",
    "inbox.amount_min": "Částka od",
    "inbox.amount_max": "Částka do",
    "inbox.warnings": "Upozornění",
    "inbox.warnings_any": "Všechny",
    "inbox.warnings_yes": "S upozorněními",
    "inbox.warnings_no": "Bez upozornění",
    "inbox.apply": "Filtrovat",
    "inbox.clear": "Zrušit filtry",
    "inbox.invalid_amount": "Částka „{value}“ není číslo; filtr nebyl použit.",
    "inbox.invalid_date": "Datum „{value}“ není platné; filtr nebyl použit.",
    "inbox.empty": "Filtru neodpovídají žádné faktury.",
    "inbox.next": "Další stránka",
    "inbox.first": "První stránka",
    "inbox.keyboard": "Klávesy: ↑/↓ výběr, Enter otevře, / hledání.",
    "inbox.table": "Seznam faktur",
    "inbox.sorted_asc": "seřazeno vzestupně",
    "inbox.sorted_desc": "seřazeno sestupně",
    "inbox.reprocess_queued": "Dokument byl znovu zařazen ke zpracování.",
    "column.received": "Přijato",
    "column.number": "Číslo",
    "column.supplier": "Dodavatel",
    "column.issue_date": "Vystaveno",
    "column.due_date": "Splatnost",
    "column.total": "Částka s DPH",
    "column.status": "Stav",
    "column.warnings": "Upozornění",
    "failed.title": "Nezpracované dokumenty",
    "failed.empty": "Žádné nezpracované dokumenty.",
    "failed.file": "Soubor",
    "failed.received": "Přijat",
    "failed.error": "Chyba",
    "failed.reprocess": "Zpracovat znovu",
    "failed.more": "Další dokumenty",
    "invoice.title": "Faktura {number}",
    "invoice.no_number": "bez čísla",
    "invoice.back": "Zpět na seznam",
    "invoice.header": "Hlavička",
    "invoice.supplier": "Dodavatel",
    "invoice.customer": "Odběratel",
    "invoice.lines": "Položky",
    "invoice.totals": "Součty",
    "invoice.warnings": "Upozornění",
    "invoice.no_lines": "Faktura nemá žádné položky.",
    "field.document_type": "Typ dokladu",
    "field.number": "Číslo faktury",
    "field.issue_date": "Datum vystavení",
    "field.tax_point_date": "Datum zdanitelného plnění",
    "field.due_date": "Datum splatnosti",
    "field.currency": "Měna",
    "field.variable_symbol": "Variabilní symbol",
    "field.constant_symbol": "Konstantní symbol",
    "field.order_reference": "Objednávka",
    "field.status": "Stav",
    "field.name": "Název",
    "field.ico": "IČO",
    "field.dic": "DIČ (SK)",
    "field.vat_id": "DIČ",
    "field.street": "Ulice",
    "field.city": "Město",
    "field.postal_code": "PSČ",
    "field.country": "Země",
    "field.iban": "IBAN",
    "field.total_net": "Základ",
    "field.total_vat": "DPH",
    "field.total_gross": "Celkem s DPH",
    "field.amount_due": "K úhradě",
    "line.position": "Č.",
    "line.description": "Popis",
    "line.quantity": "Množství",
    "line.unit": "MJ",
    "line.unit_price": "Jedn. cena",
    "line.discount_percent": "Sleva %",
    "line.vat_rate": "DPH %",
    "line.net_amount": "Základ",
    "line.gross_amount": "Celkem",
    "admin.title": "Správa",
    "admin.users": "Uživatelé",
    "admin.username": "Jméno",
    "admin.role": "Role",
    "admin.language": "Jazyk",
    "admin.last_login": "Poslední přihlášení",
    "admin.state": "Stav",
    "admin.active": "aktivní",
    "admin.disabled": "zablokovaný",
    "error.title": "Chyba",
    "error.not_found": "Stránka nebo záznam neexistuje.",
    "error.forbidden": "K této akci nemáte oprávnění.",
    "error.csrf": (
        "Platnost formuláře vypršela nebo formulář nepochází z této aplikace. "
        "Načtěte stránku znovu."
    ),
    "error.back": "Zpět na došlé faktury",
    "value.none": "—",
}

EN: dict[str, str] = {
    "app.name": "NEX Automat",
    "app.skip": "Skip to content",
    "nav.label": "Main navigation",
    "nav.inbox": "Inbox",
    "nav.admin": "Admin",
    "nav.signed_in_as": "Signed in: {username} ({role})",
    "nav.logout": "Sign out",
    "nav.language": "Language",
    "language.sk": "Slovensky",
    "language.cs": "Česky",
    "language.en": "English",
    "role.operator": "operator",
    "role.approver": "approver",
    "role.admin": "admin",
    "login.title": "Sign in",
    "login.username": "Username",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.failed": "Wrong username or password.",
    "login.too_many": "Too many failed attempts. Try again in {minutes} min.",
    "status.all": "All",
    "status.needs_review": "Needs review",
    "status.new": "New",
    "status.approved": "Approved",
    "status.exported": "Exported",
    "status.rejected": "Rejected",
    "status.failed": "Failed",
    "status.duplicate": "Duplicates",
    "inbox.title": "Invoice inbox",
    "inbox.tabs": "Invoice status",
    "inbox.filters": "Filters",
    "inbox.search": "Search",
    "inbox.search_hint": "Number, supplier or line text (shortcut /)",
    "inbox.supplier": "Supplier",
    "inbox.issued_from": "Issued from",
    "inbox.issued_to": "Issued to",
    "inbox.amount_min": "Amount from",
    "inbox.amount_max": "Amount to",
    "inbox.warnings": "Warnings",
    "inbox.warnings_any": "Any",
    "inbox.warnings_yes": "With warnings",
    "inbox.warnings_no": "Without warnings",
    "inbox.apply": "Filter",
    "inbox.clear": "Clear filters",
    "inbox.invalid_amount": "Amount “{value}” is not a number; the filter was not applied.",
    "inbox.invalid_date": "Date “{value}” is not valid; the filter was not applied.",
    "inbox.empty": "No invoices match the filter.",
    "inbox.next": "Next page",
    "inbox.first": "First page",
    "inbox.keyboard": "Keys: ↑/↓ select, Enter opens, / searches.",
    "inbox.table": "Invoice list",
    "inbox.sorted_asc": "sorted ascending",
    "inbox.sorted_desc": "sorted descending",
    "inbox.reprocess_queued": "The document was queued for processing again.",
    "column.received": "Received",
    "column.number": "Number",
    "column.supplier": "Supplier",
    "column.issue_date": "Issued",
    "column.due_date": "Due",
    "column.total": "Total incl. VAT",
    "column.status": "Status",
    "column.warnings": "Warnings",
    "failed.title": "Documents that could not be processed",
    "failed.empty": "No failed documents.",
    "failed.file": "File",
    "failed.received": "Received",
    "failed.error": "Error",
    "failed.reprocess": "Reprocess",
    "failed.more": "More documents",
    "invoice.title": "Invoice {number}",
    "invoice.no_number": "without number",
    "invoice.back": "Back to the list",
    "invoice.header": "Header",
    "invoice.supplier": "Supplier",
    "invoice.customer": "Customer",
    "invoice.lines": "Lines",
    "invoice.totals": "Totals",
    "invoice.warnings": "Warnings",
    "invoice.no_lines": "The invoice has no lines.",
    "field.document_type": "Document type",
    "field.number": "Invoice number",
    "field.issue_date": "Issue date",
    "field.tax_point_date": "Tax point date",
    "field.due_date": "Due date",
    "field.currency": "Currency",
    "field.variable_symbol": "Variable symbol",
    "field.constant_symbol": "Constant symbol",
    "field.order_reference": "Order",
    "field.status": "Status",
    "field.name": "Name",
    "field.ico": "Company ID (IČO)",
    "field.dic": "Tax ID (DIČ)",
    "field.vat_id": "VAT ID",
    "field.street": "Street",
    "field.city": "City",
    "field.postal_code": "Postal code",
    "field.country": "Country",
    "field.iban": "IBAN",
    "field.total_net": "Net",
    "field.total_vat": "VAT",
    "field.total_gross": "Total incl. VAT",
    "field.amount_due": "Amount due",
    "line.position": "No.",
    "line.description": "Description",
    "line.quantity": "Quantity",
    "line.unit": "Unit",
    "line.unit_price": "Unit price",
    "line.discount_percent": "Discount %",
    "line.vat_rate": "VAT %",
    "line.net_amount": "Net",
    "line.gross_amount": "Total",
    "admin.title": "Admin",
    "admin.users": "Users",
    "admin.username": "Username",
    "admin.role": "Role",
    "admin.language": "Language",
    "admin.last_login": "Last sign-in",
    "admin.state": "State",
    "admin.active": "active",
    "admin.disabled": "disabled",
    "error.title": "Error",
    "error.not_found": "The page or record does not exist.",
    "error.forbidden": "You are not allowed to do this.",
    "error.csrf": "The form expired or did not come from this application. Reload the page.",
    "error.back": "Back to the inbox",
    "value.none": "—",
}

AREAS: tuple[ModuleType, ...] = (
    invoice_strings,
    admin_strings,
    catalog_strings,
    export_strings,
    mail_strings,
    matching_strings,
    delivery_strings,
    queue_strings,
)
"""The modules of ``catalogues/``; each holds its area's ``SK``, ``CS`` and ``EN`` strings."""


def _catalogue(language: str, own: dict[str, str]) -> dict[str, str]:
    """``own`` strings and every area's in ``language``: one catalogue a page looks keys up in."""
    merged = dict(own)
    for area in AREAS:
        merged.update(getattr(area, language.upper()))
    return merged


CATALOGUES: dict[str, dict[str, str]] = {
    "sk": _catalogue("sk", SK),
    "cs": _catalogue("cs", CS),
    "en": _catalogue("en", EN),
}
"""Every page's strings; each area of the workspace keeps its own in ``catalogues/``."""


def language_or_default(language: str | None) -> str:
    return language if language in CATALOGUES else DEFAULT_LANGUAGE


def preferred_language(accept_language: str | None) -> str | None:
    """The UI language a browser's ``Accept-Language`` ranks highest, if it asks for one.

    Before anyone signs in this is all there is to go by: a Czech browser gets the Czech
    sign-in page. Ties keep the browser's order; ``q=0`` means "not this one".
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, parameters = part.strip().partition(";")
        language = tag.strip().split("-")[0].lower()
        weight = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if language in CATALOGUES and weight > 0:
            ranked.append((-weight, index, language))
    return min(ranked)[2] if ranked else None


def translate(language: str, key: str, **values: Any) -> str:
    """The string for ``key``; a missing key raises, so a page never shows a bare key."""
    text = CATALOGUES[language_or_default(language)][key]
    return text.format(**values) if values else text


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def format_number(value: Decimal | int, language: str, *, min_places: int = 0) -> str:
    """``value`` with its own decimal places (at least ``min_places``), grouped by thousands."""
    style = NUMBER_STYLES[language_or_default(language)]
    number = Decimal(value)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < min_places:
        number = number.quantize(Decimal(1).scaleb(-min_places))
    text = format(abs(number), "f")
    whole, _, fraction = text.partition(".")
    sign = "-" if number < 0 else ""
    grouped = _group(whole, style.group)
    return f"{sign}{grouped}{style.decimal}{fraction}" if fraction else f"{sign}{grouped}"


def format_amount(value: Decimal | None, language: str) -> str:
    return "" if value is None else format_number(value, language, min_places=2)


def format_date(value: date | None, language: str) -> str:
    if value is None:
        return ""
    if language_or_default(language) == "en":
        return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.day}.{NBSP}{value.month}.{NBSP}{value.year}"


def format_datetime(value: datetime | None, language: str) -> str:
    if value is None:
        return ""
    local = value.astimezone(DISPLAY_ZONE)
    separator = ", " if language_or_default(language) == "en" else NBSP
    return f"{format_date(local.date(), language)}{separator}{local:%H:%M}"


def parse_amount(text: str) -> Decimal | None:
    """An amount typed in either language's style (``1 234,56``, ``1,234.56``, ``12.5``).

    The last ``,`` or ``.`` is the decimal mark; the other one and spaces are grouping.
    ``None`` when it is not a number.
    """
    cleaned = "".join(text.split()).replace(NBSP, "")
    if not cleaned:
        return None
    mark = max(cleaned.rfind(","), cleaned.rfind("."))
    if mark >= 0:
        whole = cleaned[:mark].replace(",", "").replace(".", "")
        cleaned = f"{whole}.{cleaned[mark + 1 :]}"
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True, slots=True)
class Locale:
    """Translation and formatting bound to one language, as the templates use them."""

    language: str

    def t(self, key: str, **values: Any) -> str:
        return translate(self.language, key, **values)

    def number(self, value: Decimal | int | None) -> str:
        return "" if value is None else format_number(value, self.language)

    def amount(self, value: Decimal | None) -> str:
        return format_amount(value, self.language)

    def date(self, value: date | None) -> str:
        return format_date(value, self.language)

    def datetime(self, value: datetime | None) -> str:
        return format_datetime(value, self.language)

    def value(self, value: object) -> str:
        """Any field's value in this locale: amounts, dates, timestamps, or as text."""
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return format_amount(value, self.language)
        if isinstance(value, datetime):
            return format_datetime(value, self.language)
        if isinstance(value, date):
            return format_date(value, self.language)
        return str(value)
