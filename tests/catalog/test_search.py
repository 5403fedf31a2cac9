"""Finding a product as a person types: barcode, code, words of the name, typos."""

from __future__ import annotations

import random
import time

import pytest

from nex_automat.catalog.matching import CatalogIndex, CatalogProduct
from nex_automat.catalog.search import ProductSearch

PRODUCTS = [
    CatalogProduct(1, "10001", "CEMENT PC 25 KG", "vrece"),
    CatalogProduct(2, "10002", "CEMENT PC 50 KG", "vrece"),
    CatalogProduct(3, "10003", "Vápno hasené 25 kg", "vrece"),
    CatalogProduct(4, "20001", "Lepidlo na obklad flexibilné C2TE 25 kg", "vrece"),
    CatalogProduct(5, "100", "Klinec stavebný 100 mm", "kg"),
    CatalogProduct(6, "30004", "Stará tvárnica 30", "ks", discontinued=True),
]
BARCODES = [("8586000000018", 1), ("4006381333931", 4)]


@pytest.fixture
def search() -> ProductSearch:
    return ProductSearch(CatalogIndex.build(PRODUCTS, BARCODES))


def ids(found: list) -> list[int]:  # type: ignore[type-arg]
    return [hit.product.id for hit in found]


def test_a_barcode_names_its_product(search: ProductSearch) -> None:
    [hit] = search.search("8586000000018")
    assert (hit.product.id, hit.via) == (1, "barcode")


def test_an_ean13_finds_the_product_stored_as_gtin(search: ProductSearch) -> None:
    assert ids(search.search("4006381333931"))[:1] == [4]


def test_an_exact_code_comes_first_then_codes_starting_with_it(search: ProductSearch) -> None:
    found = search.search("100")
    assert ids(found)[:4] == [5, 1, 2, 3]
    assert {hit.via for hit in found[:4]} == {"code"}


def test_words_match_in_any_order_without_accents_or_case(search: ProductSearch) -> None:
    assert ids(search.search("25 vapno")) == [3]
    assert ids(search.search("cem 25")) == [1]


def test_pack_sizes_are_matched_however_written(search: ProductSearch) -> None:
    assert ids(search.search("cement 50kg")) == [2]


def test_a_typo_still_finds_the_most_similar_names(search: ProductSearch) -> None:
    assert ids(search.search("lepydlo obklad"))[:1] == [4]


def test_discontinued_products_are_found_by_code_but_not_by_name(search: ProductSearch) -> None:
    assert ids(search.search("30004")) == [6]
    assert 6 not in ids(search.search("tvarnica"))


def test_an_empty_query_finds_nothing(search: ProductSearch) -> None:
    assert search.search("   ") == []


def test_results_are_capped(search: ProductSearch) -> None:
    assert len(search.search("1", limit=2)) == 2


def test_searching_fifty_thousand_products_takes_milliseconds() -> None:
    """CPU time, so other work on the machine does not make it fail."""
    rng = random.Random(7)
    words = ["cement", "vapno", "lepidlo", "tehla", "tvarnica", "omietka", "profil", "doska"]
    words += [f"w{n}" for n in range(400)]
    products = [
        CatalogProduct(
            n, f"{n:06d}", " ".join(rng.sample(words, 4)) + f" {rng.choice([5, 10, 25])} kg"
        )
        for n in range(50_000)
    ]
    search = ProductSearch(CatalogIndex.build(products))
    started = time.process_time()
    for query in ("cement 25", "w17 vapno", "000123", "omietka w3 10kg"):
        assert search.search(query)
    per_query = (time.process_time() - started) / 4
    assert per_query < 0.05, f"{per_query * 1000:.0f} ms of CPU per search"
