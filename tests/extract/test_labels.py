"""Label synonyms are matched regardless of case, diacritics, punctuation and number marks."""

from __future__ import annotations

import pytest

from nex_automat.domain.model import DocumentType
from nex_automat.extract.labels import (
    country_code,
    document_type_of,
    fold,
    has_legal_form,
    is_legal_form,
    label_table,
)


def fields(text: str) -> list[str]:
    return [match.field for match in label_table().find(text)]


def value_after_label(text: str) -> str:
    match = label_table().find(text)[0]
    return text[match.end :].strip()


def test_fold_removes_diacritics_and_keeps_every_offset() -> None:
    text = "Dátum splatnosti: Ťarchopis Kč"
    assert fold(text) == "datum splatnosti: tarchopis kc"
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("printed", "field"),
    [
        ("Číslo faktúry:", "number"),
        ("CISLO FAKTURY", "number"),
        ("Faktura číslo", "number"),
        ("Číslo dokladu", "number"),
        ("Invoice No.", "number"),
        ("Dátum vystavenia:", "issue_date"),
        ("Datum vystavení", "issue_date"),
        ("Date of issue", "issue_date"),
        ("DUZP:", "tax_point_date"),
        ("Dátum zdaniteľného plnenia", "tax_point_date"),
        ("Datum uskutečnění zdanitelného plnění", "tax_point_date"),
        ("Splatnosť:", "due_date"),
        ("Datum splatnosti", "due_date"),
        ("Due date", "due_date"),
        ("VS:", "variable_symbol"),
        ("Variabilní symbol", "variable_symbol"),
        ("Var. symbol", "variable_symbol"),
        ("KS", "constant_symbol"),
        ("Konšt. symbol:", "constant_symbol"),
        ("Vaše objednávka", "order_reference"),
        ("Měna:", "currency"),
        ("Odběratel", "customer"),
        ("Bill to", "customer"),
        ("Prodávající", "supplier"),
        ("IČ:", "ico"),
        ("IČ DPH:", "vat_id"),
        ("SWIFT/BIC:", "bic"),
        ("Celkem bez DPH", "total_net"),
        ("DPH celkem", "total_vat"),
        ("Celkom", "total_gross"),
        ("Haléřové vyrovnání", "rounding"),
        ("Celkem k úhradě:", "amount_due"),
        ("K zaplacení", "amount_due"),
        ("DZP:", "tax_point_date"),
        ("DATUM USKUT. ZDANIT. PLNĚNÍ", "tax_point_date"),
        ("Datum zdan. plnění", "tax_point_date"),
        ("Dát. dodania:", "tax_point_date"),
        ("Suma na úhradu:", "amount_due"),
        ("Celkem vč. DPH", "total_gross"),
        ("Spolu vrátane DPH:", "total_gross"),
        ("Sídlo spoločnosti:", "supplier"),
        ("Sídlo firmy", "supplier"),
        ("Zákazník:", "customer"),
        ("PŘÍJEMCE FAKTURY", "customer"),
        ("Prevádzka / predajňa:", "branch"),
        ("Provozovna", "branch"),
    ],
)
def test_synonyms_name_their_field(printed: str, field: str) -> None:
    assert fields(printed) == [field]


@pytest.mark.parametrize(
    ("printed", "field"),
    [
        ("Spolu bez DPH", "total_net"),
        ("Spolu s DPH", "total_gross"),
        ("Spolu k úhrade", "amount_due"),
        ("Číslo účtu", "other"),
        ("Číslo objednávky", "order_reference"),
        ("Dátum objednávky", "other"),
    ],
)
def test_longest_label_wins(printed: str, field: str) -> None:
    assert fields(printed) == [field]


@pytest.mark.parametrize(
    "printed",
    ["Faktúra č. 2025001", "Faktúra č.: 2025001", "Faktura c. 2025001", "Faktúra číslo 2025001"],
)
def test_number_mark_after_label_belongs_to_the_label(printed: str) -> None:
    assert value_after_label(printed) == "2025001"


@pytest.mark.parametrize(
    "printed",
    ["Predajca: Ján Novák", "Vystavil: Lucie Černá", "Pokladník: Eva Malá", "Vyřizuje: P. Dvořák"],
)
def test_a_salesperson_or_clerk_is_no_party_heading(printed: str) -> None:
    assert fields(printed) == ["other"]


def test_customer_number_beside_the_customer_heading_is_no_heading() -> None:
    assert fields("Zákazník č.: 5195358") == ["other"]


def test_colon_is_part_of_the_label() -> None:
    match = label_table().find("IČO: 12345678")[0]
    assert match.followed_by_colon
    assert "IČO: 12345678"[match.end :] == " 12345678"


def test_every_label_of_a_line_is_found_left_to_right() -> None:
    assert fields("IČO: 12345678 DIČ: 2020123456 IČ DPH: SK2020123456") == ["ico", "dic", "vat_id"]


def test_label_word_glued_to_a_value_is_not_a_label() -> None:
    assert fields("OBJ-2025-0042") == []


def test_label_must_stand_as_whole_words() -> None:
    assert fields("Ksenia") == []


def test_template_synonyms_extend_the_field_of_a_party_path() -> None:
    table = label_table({"supplier.ico": ["Reg. kód"]})
    assert [m.field for m in table.find("Reg. kód: 12345678")] == ["ico"]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("FAKTÚRA 2025001234", DocumentType.INVOICE),
        ("Faktura - daňový doklad", DocumentType.INVOICE),
        ("Daňový doklad", DocumentType.INVOICE),
        ("Dobropis č. 2025005", DocumentType.CREDIT_NOTE),
        ("Opravný daňový doklad", DocumentType.CREDIT_NOTE),
        ("Credit note", DocumentType.CREDIT_NOTE),
        ("ŤARCHOPIS", DocumentType.DEBIT_NOTE),
        ("Vrubopis", DocumentType.DEBIT_NOTE),
        ("Zálohová faktúra", DocumentType.ADVANCE_INVOICE),
        ("Výzva na platbu zálohy", DocumentType.ADVANCE_INVOICE),
        ("Proforma faktura", DocumentType.PROFORMA),
        ("PRO FORMA INVOICE", DocumentType.PROFORMA),
    ],
)
def test_document_type_is_named_by_its_title(title: str, kind: DocumentType) -> None:
    assert document_type_of(title) is kind


def test_text_without_a_document_word_names_no_type() -> None:
    assert document_type_of("Dodací list") is None


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("Slovensko", "SK"),
        ("Slovenská republika", "SK"),
        ("SR", "SK"),
        ("Česká republika", "CZ"),
        ("ČR", "CZ"),
        ("Czech Republic", "CZ"),
        ("Deutschland", "DE"),
        ("Bratislava", None),
    ],
)
def test_country_names_become_iso_codes(printed: str, code: str | None) -> None:
    assert country_code(printed) == code


def test_two_labels_run_together_split_where_the_colon_closes_a_whole_label() -> None:
    assert fields("Spolu Základ dane spolu:") == ["total_gross", "total_net"]
    match = label_table().find("Spolu Základ dane spolu:")[1]
    assert match.start == len("Spolu ") and match.followed_by_colon


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Kamenivo Žďár s.r.o.", True),
        ("Murárik, s. r. o.", True),
        ("Stavmat Ústí spol. s r.o.", True),
        ("Betonárna Říčany v.o.s.", True),
        ("www.kamenivo.cz", False),
        ("Cement 25 kg", False),
        ("Zapísaná v OR, odd. Sro", False),
    ],
)
def test_legal_form_marks_a_company_name(printed: str, expected: bool) -> None:
    assert has_legal_form(printed) is expected


def test_a_legal_form_alone_is_recognised() -> None:
    assert is_legal_form(" s.r.o.")
    assert not is_legal_form("Alfa s.r.o.")


def near(text: str) -> tuple[str, str] | None:
    match = label_table().find_near(text)
    return None if match is None else (match.field, text[match.end :].strip())


def test_a_label_whose_space_ocr_lost_is_found_near_its_colon() -> None:
    assert near("Spolu kúhrade: 1 405,25") == ("amount_due", "1 405,25")


def test_a_long_label_with_one_misread_letter_and_a_currency_is_found() -> None:
    assert near("Suma na úradu EUR:") == ("amount_due", "")


def test_a_short_label_with_a_misread_letter_is_not_guessed() -> None:
    assert near("IČQ: 12345678") is None


def test_text_without_a_colon_is_never_taken_for_a_misread_label() -> None:
    assert near("Spolu kúhrade 1 405,25") is None


def test_words_two_letters_away_from_any_label_are_no_label() -> None:
    assert near("Suma na úrad EUR:") is None
