"""Tying an invoice's supplier to a partner and its lines to products of the catalogue.

Matching is pure: :func:`load_index` reads the tenant's catalogue once into a
:class:`CatalogIndex`, and every match after that is a lookup in memory, so an 80-line
invoice is matched without a query per line. The stages go from certain to likely: a
barcode names one product; a supplier's article code names the product people confirmed
for it before; a name is only similar. Each answer says which stage found it and how
sure it is, so the reviewer knows what to look at.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from nex_automat.catalog.text import strip_accents
from nex_automat.domain import identifiers
from nex_automat.domain.model import Line, Party
from nex_automat.store.models import Barcode, Partner, Product, SupplierCode
from nex_automat.store.sqltypes import utcnow

ALTERNATIVES = 5
NAME_CANDIDATES = 25
"""Names scored by rapidfuzz before the pack-size check reorders them."""
NAME_PREFILTER_CAP = 600
"""Most names scored per line: those sharing the rarest words and pack sizes with it."""
NAME_SCORE_FLOOR = 20.0
"""A name scoring below this shares next to nothing with the line, not even as a hint."""
PREFIX_LENGTH = 3
PREFIX_WEIGHT = 0.5
"""A shared word start counts less than a word, but survives typos and "Lep." for "Lepidlo"."""
NAME_THRESHOLD = 70.0
"""Below this score a name is not a match, only an alternative to look at."""
GROUP_HINT_THRESHOLD = 45.0
PACK_SIZE_MISMATCH_PENALTY = 30.0
SUPPLIER_NAME_THRESHOLD = 88.0
EAN_CONFIDENCE = 1.0
SUPPLIER_CODE_CONFIDENCE = 0.97
IDENTIFIER_CONFIDENCE = 1.0
IBAN_CONFIDENCE = 0.95

GTIN_LENGTH = 14

_UNITS: dict[str, tuple[str, Decimal]] = {
    "kg": ("kg", Decimal(1)),
    "g": ("kg", Decimal("0.001")),
    "t": ("kg", Decimal(1000)),
    "l": ("l", Decimal(1)),
    "ml": ("l", Decimal("0.001")),
    "m": ("m", Decimal(1)),
    "cm": ("m", Decimal("0.01")),
    "mm": ("m", Decimal("0.001")),
    "m2": ("m2", Decimal(1)),
    "m3": ("m3", Decimal(1)),
    "ks": ("ks", Decimal(1)),
    "kus": ("ks", Decimal(1)),
}
"""Pack-size units and their base unit: "500 g" and "0,5 kg" are the same bag."""

_LEGAL_FORMS = frozenset(
    {"s", "r", "o", "sro", "a", "as", "spol", "k", "ks", "v", "vos", "se", "ltd", "gmbh"}
)
_PACK_SIZE = re.compile(
    r"(?<![0-9a-z])(\d+(?:\.\d+)?)\s*(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b"
)
_DECIMAL_COMMA = re.compile(r"(\d),(\d)")
_LONE_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
Normaliser = Callable[[str], str | None]
_NOT_TOKEN = re.compile(r"[^0-9a-z.]+")
_SEPARATORS = re.compile(r"\s+")


class MatchMethod(StrEnum):
    EAN = "ean"
    SUPPLIER_CODE = "supplier_code"
    NAME = "name"
    NONE = "none"


class SupplierMethod(StrEnum):
    ICO = "ico"
    VAT_ID = "vat_id"
    IBAN = "iban"
    NAME = "name"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class CatalogProduct:
    id: int
    code: str
    name: str
    unit: str | None = None
    group_id: int | None = None
    discontinued: bool = False


@dataclass(frozen=True, slots=True)
class CatalogPartner:
    id: int
    name: str
    ico: str | None = None
    vat_id: str | None = None
    iban: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    product_id: int
    code: str
    name: str
    confidence: float


@dataclass(frozen=True, slots=True)
class NewProductProposal:
    """What to create when the catalogue has no such product."""

    name: str | None
    unit: str | None
    ean: str | None
    seller_code: str | None
    group_id: int | None


@dataclass(frozen=True, slots=True)
class LineMatch:
    method: MatchMethod
    product_id: int | None
    confidence: float
    alternatives: tuple[Candidate, ...] = ()
    proposal: NewProductProposal | None = None


@dataclass(frozen=True, slots=True)
class SupplierMatch:
    method: SupplierMethod
    partner_id: int | None
    confidence: float
    proposal: Party | None = None
    """The invoice's supplier as a partner to create, when none matched."""


def gtin_key(text: str) -> str | None:
    """A valid EAN-8/UPC-A/EAN-13/GTIN-14 as 14 digits: the same article however printed."""
    normal = identifiers.normalise_ean(text)
    if normal is None or not identifiers.is_valid_ean(normal):
        return None
    return normal.zfill(GTIN_LENGTH)


def seller_code_key(text: str) -> str:
    """Suppliers print their codes with varying case and spacing."""
    return _SEPARATORS.sub("", text).upper()


def _size_token(match: re.Match[str]) -> str:
    base, factor = _UNITS[match.group(2)]
    amount = (Decimal(match.group(1)) * factor).normalize()
    return f" {amount:f}{base} "


def name_key(text: str) -> str:
    """A name folded for fuzzy comparison, pack sizes as one token in their base unit."""
    folded = strip_accents(text).lower()
    folded = _DECIMAL_COMMA.sub(r"\1.\2", folded)
    folded = _PACK_SIZE.sub(_size_token, folded)
    folded = _LONE_DOT.sub(" ", folded)
    return _NOT_TOKEN.sub(" ", folded).strip()


def pack_sizes(key: str) -> frozenset[str]:
    return frozenset(
        token
        for token in key.split()
        if token[:1].isdigit() and any(token.endswith(base) for base, _f in _UNITS.values())
    )


def _features(key: str) -> set[str]:
    """A folded name's words and pack sizes, and its word starts marked with "^"."""
    features: set[str] = set()
    for token in key.split():
        if len(token) < 2 and not token.isdigit():
            continue
        features.add(token)
        if len(token) > PREFIX_LENGTH and token[:1].isalpha():
            features.add("^" + token[:PREFIX_LENGTH])
    return features


def _company_key(name: str) -> str:
    tokens = name_key(name).replace(".", " ").split()
    return " ".join(token for token in tokens if token not in _LEGAL_FORMS)


@dataclass(slots=True)
class CatalogIndex:
    """One tenant's catalogue, shaped for lookups."""

    products: dict[int, CatalogProduct]
    by_gtin: dict[str, int]
    supplier_codes: dict[tuple[int, str], int]
    partners: dict[int, CatalogPartner]
    _name_keys: list[str] = field(default_factory=list)
    _name_ids: list[int] = field(default_factory=list)
    _name_sizes: list[frozenset[str]] = field(default_factory=list)
    _postings: dict[str, np.ndarray] = field(default_factory=dict)
    _weights: dict[str, float] = field(default_factory=dict)
    _partner_by: dict[SupplierMethod, dict[str, int]] = field(default_factory=dict)
    _partner_names: list[str] = field(default_factory=list)
    _partner_name_ids: list[int] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        products: Iterable[CatalogProduct],
        barcodes: Iterable[tuple[str, int]] = (),
        partners: Iterable[CatalogPartner] = (),
        supplier_codes: Iterable[tuple[int, str, int]] = (),
    ) -> CatalogIndex:
        """From products, (barcode, product id), partners, (partner id, code, product id)."""
        by_id = {product.id: product for product in products}
        by_gtin = {
            key: product_id
            for code, product_id in barcodes
            if (key := gtin_key(code)) is not None and product_id in by_id
        }
        index = cls(
            products=by_id,
            by_gtin=by_gtin,
            supplier_codes={},
            partners={},
        )
        index.replace_supplier_codes(supplier_codes)
        for product in by_id.values():
            if not product.discontinued:
                index._name_keys.append(name_key(product.name))
                index._name_ids.append(product.id)
                index._name_sizes.append(pack_sizes(index._name_keys[-1]))
        index._index_names()
        index.replace_partners(partners)
        return index

    def replace_partners(self, partners: Iterable[CatalogPartner]) -> None:
        """New partners, keeping the products: partners change without the catalogue."""
        self.partners = {partner.id: partner for partner in partners}
        self._partner_by = {
            SupplierMethod.ICO: _partner_lookup(self.partners, "ico", identifiers.normalise_ico),
            SupplierMethod.VAT_ID: _partner_lookup(
                self.partners, "vat_id", identifiers.normalise_vat_id
            ),
            SupplierMethod.IBAN: _partner_lookup(self.partners, "iban", identifiers.normalise_iban),
        }
        self._partner_names = [_company_key(partner.name) for partner in self.partners.values()]
        self._partner_name_ids = list(self.partners)

    def replace_supplier_codes(self, supplier_codes: Iterable[tuple[int, str, int]]) -> None:
        """New learned codes (partner id, code, product id), keeping everything else."""
        self.supplier_codes = {
            (partner_id, seller_code_key(code)): product_id
            for partner_id, code, product_id in supplier_codes
        }

    def named_products(self) -> Iterator[tuple[int, str]]:
        """(product id, folded name) of every product offered by name (not discontinued)."""
        return zip(self._name_ids, self._name_keys, strict=True)

    def _index_names(self) -> None:
        """Which names carry each word, so a line is scored only against names sharing one."""
        postings: dict[str, list[int]] = defaultdict(list)
        for position, key in enumerate(self._name_keys):
            for feature in _features(key):
                postings[feature].append(position)
        count = len(self._name_keys)
        self._postings = {
            feature: np.asarray(positions, dtype=np.int32)
            for feature, positions in postings.items()
        }
        self._weights = {
            feature: math.log(1 + count / len(positions))
            * (PREFIX_WEIGHT if feature.startswith("^") else 1.0)
            for feature, positions in postings.items()
        }

    def _name_choices(self, query: str) -> tuple[list[str], Sequence[int]]:
        """Names worth scoring for ``query`` with their positions in the name lists.

        A small catalogue is scored whole. A large one only where the names share the
        most informative words, word starts and pack sizes with the query, rarer ones
        counting more, so a line costs the same with 1 000 or 100 000 products.
        """
        if len(self._name_keys) <= NAME_PREFILTER_CAP:
            return self._name_keys, range(len(self._name_keys))
        overlap = np.zeros(len(self._name_keys), dtype=np.float32)
        for feature in _features(query):
            positions = self._postings.get(feature)
            if positions is not None:
                overlap[positions] += self._weights[feature]
        shared = np.flatnonzero(overlap > 0)
        if len(shared) > NAME_PREFILTER_CAP:
            best = np.argpartition(overlap[shared], -NAME_PREFILTER_CAP)[-NAME_PREFILTER_CAP:]
            shared = np.sort(shared[best])
        positions = shared.tolist()
        return [self._name_keys[i] for i in positions], positions

    def remember(self, partner_id: int, seller_code: str, product_id: int) -> None:
        self.supplier_codes[(partner_id, seller_code_key(seller_code))] = product_id


def _partner_lookup(
    partners: dict[int, CatalogPartner], attribute: str, normalise: Normaliser
) -> dict[str, int]:
    lookup: dict[str, int] = {}
    for partner in partners.values():
        value = getattr(partner, attribute)
        normal = normalise(value) if value else None
        if normal:
            lookup.setdefault(normal, partner.id)
    return lookup


def load_index(session: Session) -> CatalogIndex:
    """The catalogue of the session's tenant (tenant scoping filters every query)."""
    products = [
        CatalogProduct(*row)
        for row in session.execute(
            select(
                Product.id,
                Product.code,
                Product.name,
                Product.unit,
                Product.group_id,
                Product.discontinued,
            )
        )
    ]
    barcodes = session.execute(select(Barcode.code, Barcode.product_id)).all()
    return CatalogIndex.build(products, barcodes, load_partners(session), load_codes(session))


def load_partners(session: Session) -> list[CatalogPartner]:
    """The tenant's partners, as :meth:`CatalogIndex.replace_partners` takes them."""
    return [
        CatalogPartner(*row)
        for row in session.execute(
            select(Partner.id, Partner.name, Partner.ico, Partner.vat_id, Partner.iban)
        )
    ]


def load_codes(session: Session) -> list[tuple[int, str, int]]:
    """The tenant's learned codes, as :meth:`CatalogIndex.replace_supplier_codes` takes them."""
    rows = session.execute(
        select(SupplierCode.partner_id, SupplierCode.seller_code, SupplierCode.product_id)
    )
    return [(partner_id, code, product_id) for partner_id, code, product_id in rows]


_SUPPLIER_KEYS: tuple[tuple[SupplierMethod, str, Normaliser, float], ...] = (
    (SupplierMethod.ICO, "ico", identifiers.normalise_ico, IDENTIFIER_CONFIDENCE),
    (SupplierMethod.VAT_ID, "vat_id", identifiers.normalise_vat_id, IDENTIFIER_CONFIDENCE),
    (SupplierMethod.IBAN, "iban", identifiers.normalise_iban, IBAN_CONFIDENCE),
)


def recognise_supplier(index: CatalogIndex, supplier: Party) -> SupplierMatch:
    """By IČO, then VAT id, then IBAN, then a similar name; else a partner to create."""
    for method, attribute, normalise, confidence in _SUPPLIER_KEYS:
        value = getattr(supplier, attribute)
        normal = normalise(value) if value else None
        if normal and (partner_id := index._partner_by[method].get(normal)) is not None:
            return SupplierMatch(method, partner_id, confidence)
    if supplier.name and index._partner_names:
        best = process.extractOne(
            _company_key(supplier.name),
            index._partner_names,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            score_cutoff=SUPPLIER_NAME_THRESHOLD,
        )
        if best is not None:
            _name, score, position = best
            return SupplierMatch(
                SupplierMethod.NAME, index._partner_name_ids[position], round(score / 100, 3)
            )
    return SupplierMatch(SupplierMethod.NONE, None, 0.0, proposal=supplier)


def match_line(index: CatalogIndex, line: Line, partner_id: int | None = None) -> LineMatch:
    """Barcode, then the supplier's learned article code, then the name; else a new product."""
    if line.ean and (key := gtin_key(line.ean)) is not None:
        product_id = index.by_gtin.get(key)
        if product_id is not None:
            return LineMatch(MatchMethod.EAN, product_id, EAN_CONFIDENCE)
    if partner_id is not None and line.seller_code:
        product_id = index.supplier_codes.get((partner_id, seller_code_key(line.seller_code)))
        if product_id is not None and product_id in index.products:
            return LineMatch(MatchMethod.SUPPLIER_CODE, product_id, SUPPLIER_CODE_CONFIDENCE)
    scored = _name_candidates(index, line.description) if line.description else []
    alternatives = tuple(
        Candidate(pid, index.products[pid].code, index.products[pid].name, round(score / 100, 3))
        for pid, score in scored[:ALTERNATIVES]
    )
    if scored and scored[0][1] >= NAME_THRESHOLD:
        product_id, score = scored[0]
        return LineMatch(MatchMethod.NAME, product_id, round(score / 100, 3), alternatives)
    proposal = NewProductProposal(
        name=line.description,
        unit=line.unit,
        ean=identifiers.normalise_ean(line.ean) if line.ean else None,
        seller_code=line.seller_code,
        group_id=_suggested_group(index, scored),
    )
    return LineMatch(MatchMethod.NONE, None, 0.0, alternatives, proposal)


def _name_candidates(index: CatalogIndex, description: str) -> list[tuple[int, float]]:
    """Products by name score, a pack size that differs from the line's pulling them down."""
    query = name_key(description)
    if not query or not index._name_keys:
        return []
    wanted = pack_sizes(query)
    keys, positions = index._name_choices(query)
    found = process.extract(
        query,
        keys,
        scorer=fuzz.token_set_ratio,
        processor=None,
        limit=NAME_CANDIDATES,
        score_cutoff=NAME_SCORE_FLOOR,
    )
    scored: list[tuple[int, float]] = []
    for key, similarity, choice in found:
        position = positions[choice]
        sizes = index._name_sizes[position]
        differs = bool(wanted and sizes and not wanted & sizes)
        score = similarity - (PACK_SIZE_MISMATCH_PENALTY if differs else 0.0)
        tie_break = fuzz.ratio(query, key) / 1000
        scored.append((index._name_ids[position], max(score, 0.0) + tie_break))
    scored.sort(key=lambda item: item[1], reverse=True)
    return [(pid, min(score, 100.0)) for pid, score in scored]


def _suggested_group(index: CatalogIndex, scored: list[tuple[int, float]]) -> int | None:
    """The group of the most similar products, weighted by how similar they are."""
    weights: dict[int, float] = defaultdict(float)
    for product_id, score in scored[:ALTERNATIVES]:
        group_id = index.products[product_id].group_id
        if group_id is not None and score >= GROUP_HINT_THRESHOLD:
            weights[group_id] += score
    return max(weights, key=weights.__getitem__) if weights else None


def learn(
    session: Session,
    partner_id: int,
    seller_code: str,
    product_id: int,
    *,
    actor: str | None = None,
    index: CatalogIndex | None = None,
) -> SupplierCode:
    """Record that ``partner_id``'s article ``seller_code`` is ``product_id``.

    A confirmation of the same product counts up; a different product replaces the old
    one and starts counting again, because the latest person to look was right.
    """
    key = seller_code_key(seller_code)
    row = session.scalars(
        select(SupplierCode).where(
            SupplierCode.partner_id == partner_id, SupplierCode.seller_code == key
        )
    ).one_or_none()
    if row is None:
        row = SupplierCode(partner_id=partner_id, seller_code=key, product_id=product_id)
        session.add(row)
    else:
        row.times_confirmed = row.times_confirmed + 1 if row.product_id == product_id else 1
        row.product_id = product_id
    row.confirmed_by = actor
    row.confirmed_at = utcnow()
    session.flush()
    if index is not None:
        index.remember(partner_id, key, product_id)
    return row
