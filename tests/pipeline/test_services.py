"""Building a running installation from its settings."""

from __future__ import annotations

from pathlib import Path

from nex_automat.ops.config import Settings, load_settings
from nex_automat.pipeline.process import ISDOC_SUFFIX
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import build_services
from nex_automat.store.db import Database
from nex_automat.store.files import sha256_hex
from nex_automat.store.models import DocumentState
from nex_automat.store.tenant_folders import has_shared_files
from nex_automat.store.tenants import get_tenant
from tests.store.shared_layout import share_tenant_files

from .documents import arrival, documents, invoice_pdf


def settings_for(database: Database, data_dir: Path) -> Settings:
    url = database.engine.url.render_as_string(hide_password=False)
    return load_settings(data_dir, database_url=url, default_tenant="stavmat", workers=3)


def test_build_services_migrates_creates_the_default_tenant_and_wires_the_pipeline(
    database: Database, tmp_path: Path
) -> None:
    services = build_services(settings_for(database, tmp_path / "data"))
    try:
        assert services.db.current_revision() == services.db.head_revision()
        with services.db.session() as session:
            assert get_tenant(session, "stavmat") is not None
        assert services.files.root == tmp_path / "data" / "documents"
        assert services.runner.workers == 3

        pdf = invoice_pdf(1)
        receipt = services.intake.receive("stavmat", pdf, arrival())
        assert run_pending(services.queue, services.processor) == 1
        assert services.files.tenant("stavmat").get(sha256_hex(pdf)) == pdf
        assert [(d.id, d.state) for d in documents(database)] == [
            (receipt.document_id, DocumentState.PROCESSED)
        ]
    finally:
        services.close()


def test_building_twice_keeps_the_existing_tenant(database: Database, tmp_path: Path) -> None:
    settings = settings_for(database, tmp_path / "data")
    build_services(settings).close()
    build_services(settings).close()
    with database.session() as session:
        assert get_tenant(session, "stavmat") is not None


def test_the_default_database_is_sqlite_in_the_data_directory(tmp_path: Path) -> None:
    services = build_services(load_settings(tmp_path / "data"))
    try:
        assert services.db.dialect == "sqlite"
        assert (tmp_path / "data" / "nex-automat.db").is_file()
        with services.db.session() as session:
            assert get_tenant(session, "default") is not None
    finally:
        services.close()


def test_starting_moves_files_of_the_shared_layout_into_their_tenants_folders(
    database: Database, tmp_path: Path
) -> None:
    settings = settings_for(database, tmp_path / "data")
    services = build_services(settings)
    pdf = invoice_pdf(2)
    try:
        services.intake.receive("stavmat", pdf, arrival())
        run_pending(services.queue, services.processor)
    finally:
        services.close()
    share_tenant_files(settings.documents_dir)
    assert has_shared_files(settings.documents_dir)

    services = build_services(settings)
    try:
        assert not has_shared_files(settings.documents_dir)
        assert services.files.tenant("stavmat").get(sha256_hex(pdf)) == pdf
        assert services.files.tenant("stavmat").get_derived(sha256_hex(pdf), ISDOC_SUFFIX)
    finally:
        services.close()
