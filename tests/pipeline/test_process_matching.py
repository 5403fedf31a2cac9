"""Processing matches each new invoice against the tenant's catalogue, kept in the service."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nex_automat.catalog.cache import CatalogueCache
from nex_automat.extract.document import ExtractOptions
from nex_automat.pipeline.intake import Intake
from nex_automat.pipeline.process import DocumentProcessor
from nex_automat.store.db import Database
from nex_automat.store.files import DocumentFiles
from nex_automat.store.invoices import get_invoice
from nex_automat.store.models import Barcode, InvoiceRecord, Partner, Product, ProductGroup
from tests.invoicegen import generate

from .conftest import OTHER_TENANT
from .documents import arrival, invoices

SAMPLE = ("wholesale_sk", 10)
"""Hydroizol Trenčín: nails with a barcode, a drain pipe, plasterboard, a floor screed."""


@pytest.fixture
def cache(database: Database) -> CatalogueCache:
    return CatalogueCache(database)


@pytest.fixture
def matching(database: Database, files: DocumentFiles, cache: CatalogueCache) -> DocumentProcessor:
    return DocumentProcessor(
        database, files, templates=None, options=ExtractOptions(), catalogue=cache
    )


def _catalogue(database: Database, tenant: str) -> dict[str, int]:
    with database.tenant_session(tenant) as session:
        group = ProductGroup(code="SUCHE", name="Suché stavby", default_margin=Decimal("30"))
        session.add(group)
        session.flush()
        nails = Product(code="100", name="Klinec stavebný 100mm", group_id=group.id)
        board = Product(code="200", name="SADROKARTON RB 12,5MM 1250X2000", group_id=group.id)
        session.add_all([nails, board])
        session.flush()
        session.add(Barcode(product_id=nails.id, code="8584214211657", primary=True))
        partner = Partner(name="Hydroizol Trenčín spol. s r.o.", ico="40838072")
        session.add(partner)
        session.flush()
        return {"nails": nails.id, "board": board.id, "partner": partner.id}


def _processed(intake: Intake, processor: DocumentProcessor, tenant: str, seed: int) -> None:
    family, _ = SAMPLE
    document_id = intake.receive(tenant, generate(seed, family).pdf, arrival()).document_id
    processor.process(document_id)


def _stored(database: Database, record: InvoiceRecord) -> InvoiceRecord:
    with database.tenant_session(record.tenant_id) as session:
        loaded = get_invoice(session, record.id)
        assert loaded is not None
        session.expunge_all()
        return loaded


def test_a_processed_invoice_has_its_supplier_and_lines_matched(
    database: Database, intake: Intake, matching: DocumentProcessor, tenant: str
) -> None:
    ids = _catalogue(database, tenant)
    _processed(intake, matching, tenant, SAMPLE[1])
    [record] = invoices(database)
    stored = _stored(database, record)
    assert (stored.partner_id, stored.supplier_match_method) == (ids["partner"], "ico")
    found = [(ln.product_id, ln.match_method, ln.match_state) for ln in stored.lines]
    assert found[0] == (ids["nails"], "ean", "proposed")
    assert found[2] == (ids["board"], "name", "proposed")
    assert stored.lines[1].match_state is None and stored.lines[1].new_product is not None


def test_the_catalogue_index_is_built_once_for_many_invoices(
    database: Database,
    intake: Intake,
    matching: DocumentProcessor,
    cache: CatalogueCache,
    tenant: str,
) -> None:
    _catalogue(database, tenant)
    _processed(intake, matching, tenant, SAMPLE[1])
    index = cache.index(tenant)
    _processed(intake, matching, tenant, 7)
    assert cache.index(tenant) is index
    assert all(record.partner_id is None for record in invoices(database)[1:])


def test_a_tenant_without_a_catalogue_is_not_matched(
    database: Database, intake: Intake, matching: DocumentProcessor, tenant: str
) -> None:
    _catalogue(database, OTHER_TENANT)
    _processed(intake, matching, tenant, SAMPLE[1])
    [record] = invoices(database)
    stored = _stored(database, record)
    assert stored.partner_id is None
    assert {(ln.match_state, ln.new_product is None) for ln in stored.lines} == {(None, True)}
