"""Supplier recognition and line matching over an in-memory catalogue."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, process

from nex_automat.catalog.matching import (
    ALTERNATIVES,
    NAME_PREFILTER_CAP,
    CatalogIndex,
    CatalogPartner,
    CatalogProduct,
    MatchMethod,
    SupplierMethod,
    match_line,
    name_key,
    recognise_supplier,
)
from nex_automat.domain.model import Line, Party

CEMENT, TILE, BRICK = 1, 2, 3

PRODUCTS = [
    CatalogProduct(1, "10001", "CEMENT PC 25 KG", "vrece", group_id=CEMENT),
    CatalogProduct(2, "10002", "CEMENT PC 50 KG", "vrece", group_id=CEMENT),
    CatalogProduct(3, "10003", "Vápno hasené 25 kg", "vrece", group_id=CEMENT),
    CatalogProduct(4, "20001", "Lepidlo na obklad flexibilné C2TE 25 kg", "vrece", group_id=TILE),
    CatalogProduct(5, "20002", "Škárovacia hmota šedá 5 kg", "ks", group_id=TILE),
    CatalogProduct(6, "30001", "Tehla plná pálená 290x140x65", "ks", group_id=BRICK),
    CatalogProduct(7, "30002", "Tvárnica Porotherm 30 Profi", "ks", group_id=BRICK),
    CatalogProduct(8, "30003", "Tvárnica Porotherm 44 Profi", "ks", group_id=BRICK),
    CatalogProduct(9, "30004", "Stará tvárnica 30", "ks", group_id=BRICK, discontinued=True),
]
BARCODES = [("8586000000018", 1), ("8586000000025", 1), ("04006381333931", 4)]
PARTNERS = [
    CatalogPartner(1, "Stavebniny Novák s.r.o.", "35757442", "SK2020297543", None),
    CatalogPartner(2, "BAUMIT, spol. s r.o.", "31378424", None, "SK3112000000198742637541"),
    CatalogPartner(3, "Wienerberger s.r.o.", None, "SK2020312349", None),
]
LEARNED = [(2, "BM-4711", 5)]


@pytest.fixture
def index() -> CatalogIndex:
    return CatalogIndex.build(PRODUCTS, BARCODES, PARTNERS, LEARNED)


def test_ean_on_the_line_names_its_product(index: CatalogIndex) -> None:
    match = match_line(index, Line(1, description="niečo úplne iné", ean="8586000000018"))
    assert (match.method, match.product_id, match.confidence) == (MatchMethod.EAN, 1, 1.0)


def test_secondary_barcode_matches_like_the_primary(index: CatalogIndex) -> None:
    assert match_line(index, Line(1, ean="8586 0000 0002 5")).product_id == 1


def test_ean13_matches_the_same_gtin14_with_a_leading_zero(index: CatalogIndex) -> None:
    assert match_line(index, Line(1, ean="4006381333931")).product_id == 4


def test_ean_with_a_wrong_check_digit_is_not_trusted(index: CatalogIndex) -> None:
    match = match_line(index, Line(1, ean="8586000000019", description="Tehla plná"))
    assert match.method is not MatchMethod.EAN


def test_learned_supplier_code_matches_for_that_supplier(index: CatalogIndex) -> None:
    match = match_line(index, Line(1, seller_code="bm-4711 "), partner_id=2)
    assert (match.method, match.product_id) == (MatchMethod.SUPPLIER_CODE, 5)


def test_learned_code_of_one_supplier_means_nothing_for_another(index: CatalogIndex) -> None:
    match = match_line(index, Line(1, seller_code="BM-4711"), partner_id=1)
    assert match.method is MatchMethod.NONE


def test_remembered_code_matches_at_once(index: CatalogIndex) -> None:
    index.remember(1, "NOV 123", 7)
    assert match_line(index, Line(1, seller_code="nov123"), partner_id=1).product_id == 7


def test_name_matches_despite_case_accents_and_pack_size_spacing(index: CatalogIndex) -> None:
    match = match_line(index, Line(1, description="Cement 25kg"))
    assert (match.method, match.product_id) == (MatchMethod.NAME, 1)
    assert match.confidence >= 0.9


def test_pack_size_decides_between_otherwise_equal_names(index: CatalogIndex) -> None:
    assert match_line(index, Line(1, description="cement PC 50kg")).product_id == 2


def test_grams_and_kilograms_are_the_same_pack_size() -> None:
    assert name_key("Škárovacia hmota 5000 g") == name_key("SKAROVACIA HMOTA 5 KG")


def test_name_without_accents_matches_accented_catalogue_name(index: CatalogIndex) -> None:
    match = match_line(index, Line(1, description="SKAROVACIA HMOTA SEDA 5KG"))
    assert match.product_id == 5


def test_name_match_lists_the_top_alternatives_best_first(index: CatalogIndex) -> None:
    match = match_line(index, Line(1, description="Tvarnica POROTHERM 44 P+D Profi"))
    assert match.product_id == 8
    assert len(match.alternatives) == ALTERNATIVES
    assert match.alternatives[0].product_id == 8
    confidences = [candidate.confidence for candidate in match.alternatives]
    assert confidences == sorted(confidences, reverse=True)


def test_discontinued_products_are_not_offered_by_name(index: CatalogIndex) -> None:
    match = match_line(index, Line(1, description="Stará tvárnica 30"))
    assert 9 not in {candidate.product_id for candidate in match.alternatives}


def test_unknown_line_is_proposed_as_a_new_product_in_the_likely_group(
    index: CatalogIndex,
) -> None:
    line = Line(1, description="Tvárnica Ytong 25 P2-440", seller_code="YT25", unit="ks")
    match = match_line(index, line)
    assert (match.method, match.product_id, match.confidence) == (MatchMethod.NONE, None, 0.0)
    assert match.proposal is not None
    assert (match.proposal.name, match.proposal.unit, match.proposal.seller_code) == (
        "Tvárnica Ytong 25 P2-440",
        "ks",
        "YT25",
    )
    assert match.proposal.group_id == BRICK


def test_supplier_is_recognised_by_ico_first(index: CatalogIndex) -> None:
    party = Party(name="Úplne iný názov", ico="35 757 442", vat_id="SK2020312349")
    match = recognise_supplier(index, party)
    assert (match.method, match.partner_id, match.confidence) == (SupplierMethod.ICO, 1, 1.0)


def test_supplier_is_recognised_by_vat_id_without_ico(index: CatalogIndex) -> None:
    match = recognise_supplier(index, Party(name="X", vat_id="sk 2020312349"))
    assert (match.method, match.partner_id) == (SupplierMethod.VAT_ID, 3)


def test_supplier_is_recognised_by_iban(index: CatalogIndex) -> None:
    match = recognise_supplier(index, Party(iban="SK31 1200 0000 1987 4263 7541"))
    assert (match.method, match.partner_id) == (SupplierMethod.IBAN, 2)


def test_supplier_is_recognised_by_a_similar_name(index: CatalogIndex) -> None:
    match = recognise_supplier(index, Party(name="STAVEBNINY NOVÁK, s. r. o."))
    assert (match.method, match.partner_id) == (SupplierMethod.NAME, 1)
    assert match.confidence >= 0.88


def test_unknown_supplier_is_proposed_as_a_new_partner(index: CatalogIndex) -> None:
    party = Party(name="Drevoprodukt a.s.", ico="36 000 001")
    match = recognise_supplier(index, party)
    assert (match.method, match.partner_id, match.proposal) == (SupplierMethod.NONE, None, party)


FILLER_FAMILIES = (
    "Cement PC Firma{} 25 kg",
    "Lepidlo na obklad Firma{} 25 kg",
    "Tvárnica Firma{} 44 Profi",
    "Vápno Firma{} 25 kg",
    "Hmota Firma{} šedá 5 kg",
    "Tehla Firma{} 290x140x65",
)
"""Names that share the common words of the cases below, crowding the pre-filter's cap."""

PREFILTER_CASES = [
    ("Lepdilo na obklad flexibilne C2TE 25kg", 4),
    ("ŠKÁR. HMOTA šedá 5kg", 5),
    ("Porotherm tvarnica 44 Profi", 8),
    ("Tvarnica Porotehrm 30 Profi", 7),
    ("vapno hasene 25 kg", 3),
    ("Tehla plna palena 290x140x65", 6),
]


@pytest.fixture(scope="module")
def crowded() -> CatalogIndex:
    fillers = [
        CatalogProduct(1000 + i * len(FILLER_FAMILIES) + j, f"F{i}-{j}", family.format(i), "ks")
        for i in range(NAME_PREFILTER_CAP)
        for j, family in enumerate(FILLER_FAMILIES)
    ]
    return CatalogIndex.build(PRODUCTS + fillers)


def _best_by_full_scan(index: CatalogIndex, description: str) -> int:
    products = [product for product in index.products.values() if not product.discontinued]
    best = process.extractOne(
        name_key(description),
        [name_key(product.name) for product in products],
        scorer=fuzz.token_set_ratio,
        processor=None,
    )
    assert best is not None
    return products[best[2]].id


@pytest.mark.parametrize(("description", "product_id"), PREFILTER_CASES)
def test_prefilter_keeps_the_best_name_among_thousands_sharing_its_words(
    crowded: CatalogIndex, description: str, product_id: int
) -> None:
    sharing = [
        product
        for product in crowded.products.values()
        if set(name_key(product.name).split()) & set(name_key(description).split())
    ]
    assert len(sharing) > NAME_PREFILTER_CAP
    assert _best_by_full_scan(crowded, description) == product_id
    match = match_line(crowded, Line(1, description=description))
    assert (match.method, match.product_id) == (MatchMethod.NAME, product_id)
