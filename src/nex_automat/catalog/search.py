"""Finding a product as a person types: by barcode, by code, by words of its name.

The review page asks on every keystroke, so the search works on the in-memory
:class:`~nex_automat.catalog.matching.CatalogIndex` (no query per keystroke) and answers
in milliseconds for 50 000 products. A scanned or typed barcode names its product; a code
is matched exactly, then by its start; words are matched in any order anywhere in the
name, accents and case ignored ("cem 25" finds "CEMENT PC 25 KG"). When nothing matches
so, the most similar names are offered instead, so a typo still finds something.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rapidfuzz import fuzz, process

from nex_automat.catalog.matching import (
    CatalogIndex,
    CatalogProduct,
    gtin_key,
    name_key,
    seller_code_key,
)

SEARCH_LIMIT = 20
WORD_HITS_CAP = 2_000
"""Names gathered for a word most names have ("kg") before the shortest are picked."""
FUZZY_MIN_LENGTH = 3
FUZZY_SCORE_CUTOFF = 60.0


@dataclass(frozen=True, slots=True)
class Found:
    product: CatalogProduct
    via: str
    """``barcode``, ``code`` or ``name``: what of the product the query matched."""


class ProductSearch:
    """Search structures over one index; build once per catalogue."""

    def __init__(self, index: CatalogIndex) -> None:
        self.index = index
        self._codes = sorted(
            (seller_code_key(product.code), product.id) for product in index.products.values()
        )
        self._code_keys = [code for code, _id in self._codes]
        named = list(index.named_products())
        self._name_ids = [product_id for product_id, _key in named]
        self._name_keys = [key for _product_id, key in named]
        self._names = "\n".join(self._name_keys)
        """Every name in one text, so the rarest word is found at C speed, not name by name."""
        self._starts = list(accumulate((len(key) + 1 for key in self._name_keys[:-1]), initial=0))

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[Found]:
        """Up to ``limit`` products for ``query``, the surest first, each product once."""
        text = query.strip()
        if not text:
            return []
        found: dict[int, Found] = {}

        def add(product_id: int, via: str) -> None:
            if len(found) < limit and product_id not in found:
                found[product_id] = Found(self.index.products[product_id], via)

        gtin = gtin_key(text)
        if gtin is not None and (product_id := self.index.by_gtin.get(gtin)) is not None:
            add(product_id, "barcode")
        for product_id in self._by_code(seller_code_key(text), limit):
            add(product_id, "code")
        query_key = name_key(text)
        for product_id in self._by_words(query_key, limit):
            add(product_id, "name")
        if not found:
            for product_id in self._similar(query_key, limit):
                add(product_id, "name")
        return list(found.values())

    def _by_code(self, code: str, limit: int) -> list[int]:
        """The product with exactly this code first, then codes starting with it."""
        start = bisect_left(self._code_keys, code)
        ids: list[int] = []
        for position in range(start, min(start + limit, len(self._codes))):
            key, product_id = self._codes[position]
            if not key.startswith(code):
                break
            ids.append(product_id)
        return ids

    def _by_words(self, query: str, limit: int) -> list[int]:
        """Names holding every word of ``query``, the shortest (closest) first.

        The longest word is looked for in all the names at once; only the names it occurs
        in are checked for the other words. A word nearly every name has stops the walk at
        :data:`WORD_HITS_CAP` names: typing on narrows it down anyway.
        """
        words = sorted(set(query.split()), key=len, reverse=True)
        if not words:
            return []
        first, rest = words[0], words[1:]
        hits: list[tuple[int, int]] = []
        found = self._names.find(first)
        while found >= 0:
            position = bisect_right(self._starts, found) - 1
            key = self._name_keys[position]
            if all(word in key for word in rest):
                hits.append((len(key), position))
            after = position + 1
            if after >= len(self._starts) or len(hits) >= WORD_HITS_CAP:
                break
            found = self._names.find(first, self._starts[after])
        hits.sort()
        return [self._name_ids[position] for _length, position in hits[:limit]]

    def _similar(self, query: str, limit: int) -> list[int]:
        """The most similar names, when no name has every word of the query."""
        if len(query) < FUZZY_MIN_LENGTH:
            return []
        similar = process.extract(
            query,
            self._name_keys,
            scorer=fuzz.WRatio,
            processor=None,
            limit=limit,
            score_cutoff=FUZZY_SCORE_CUTOFF,
        )
        return [self._name_ids[position] for _key, _score, position in similar]
