"""Each tenant's catalogue index, kept in the running service and rebuilt only when it changed.

Building a :class:`~nex_automat.catalog.matching.CatalogIndex` costs about 2.4 s per
100 000 products, far more than matching an invoice against it, so the service keeps one
per tenant. Before handing it out, :class:`CatalogueCache` asks the database for a
*fingerprint* of the catalogue: one query of counts and latest stamps (products: count and
newest ``updated_at``; barcodes: count, highest id and the sum of their product ids, which
moves when an import gives a barcode to another product; partners; learned codes). Any
import, sync or edit changes it, whichever process made the change, so a worker never
matches against a stale catalogue.

The parts are refreshed separately: a new partner or a learned code reloads only those
small tables, not the products, so confirming a match in the review page does not
rebuild 100 000 names.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nex_automat.catalog.matching import CatalogIndex, load_codes, load_index, load_partners
from nex_automat.catalog.search import ProductSearch
from nex_automat.store.db import Database
from nex_automat.store.models import Barcode, Partner, Product, SupplierCode


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What changes whenever the catalogue does, part by part."""

    products: tuple[Any, ...]
    partners: tuple[Any, ...]
    codes: tuple[Any, ...]


def fingerprint(session: Session) -> Fingerprint:
    """The catalogue's fingerprint in one round trip (scoped to the session's tenant)."""

    def scalar(*columns: Any) -> Any:
        return select(*columns).scalar_subquery()

    row = session.execute(
        select(
            scalar(func.count(Product.id)),
            scalar(func.max(Product.updated_at)),
            scalar(func.count(Barcode.id)),
            scalar(func.max(Barcode.id)),
            scalar(func.sum(Barcode.product_id)),
            scalar(func.count(Partner.id)),
            scalar(func.max(Partner.updated_at)),
            scalar(func.count(SupplierCode.id)),
            scalar(func.max(SupplierCode.confirmed_at)),
        )
    ).one()
    values = tuple(row)
    return Fingerprint(products=values[0:5], partners=values[5:7], codes=values[7:9])


@dataclass(slots=True)
class Catalogue:
    """One tenant's catalogue as the service holds it."""

    index: CatalogIndex
    fingerprint: Fingerprint
    checked_at: float
    _search: ProductSearch | None = None

    @property
    def search(self) -> ProductSearch:
        """The product search, built the first time someone searches."""
        if self._search is None:
            self._search = ProductSearch(self.index)
        return self._search


@dataclass
class CatalogueCache:
    """Tenant id → :class:`Catalogue`, shared by the workers and the web requests."""

    db: Database
    _entries: dict[str, Catalogue] = field(default_factory=dict)
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def get(self, tenant_id: str, *, max_age: float = 0.0) -> Catalogue:
        """The tenant's current catalogue; checked against the database unless it was
        checked less than ``max_age`` seconds ago (a search as you type needn't ask)."""
        entry = self._entries.get(tenant_id)
        if entry is not None and time.monotonic() - entry.checked_at < max_age:
            return entry
        with self._lock(tenant_id):
            entry = self._entries.get(tenant_id)
            with self.db.tenant_session(tenant_id) as session:
                current = fingerprint(session)
                if entry is None or entry.fingerprint.products != current.products:
                    entry = Catalogue(load_index(session), current, time.monotonic())
                else:
                    _refresh_parts(session, entry, current)
            self._entries[tenant_id] = entry
            return entry

    def index(self, tenant_id: str) -> CatalogIndex:
        """The tenant's current index, for matching."""
        return self.get(tenant_id).index

    def forget(self, tenant_id: str) -> None:
        """Drop a tenant's catalogue; the next use builds it anew."""
        with self._lock(tenant_id):
            self._entries.pop(tenant_id, None)

    def _lock(self, tenant_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(tenant_id, threading.Lock())


def _refresh_parts(session: Session, entry: Catalogue, current: Fingerprint) -> None:
    """Reload the partners or learned codes that changed, keeping the products.

    The new parts go into a copy of the index, so a worker matching with the old one
    meanwhile never sees partners and their lookups half replaced.
    """
    if entry.fingerprint.partners != current.partners or entry.fingerprint.codes != current.codes:
        index = replace(entry.index)
        if entry.fingerprint.partners != current.partners:
            index.replace_partners(load_partners(session))
        if entry.fingerprint.codes != current.codes:
            index.replace_supplier_codes(load_codes(session))
        entry.index = index
    entry.fingerprint = current
    entry.checked_at = time.monotonic()
