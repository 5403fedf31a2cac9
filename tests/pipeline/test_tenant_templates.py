"""A tenant's own supplier templates apply to its documents only, over the shared ones."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nex_automat.ops.config import load_settings
from nex_automat.pipeline.runner import run_pending
from nex_automat.pipeline.services import build_services
from nex_automat.pipeline.tenant_templates import TenantTemplates
from nex_automat.store.db import Database
from nex_automat.store.documents import Arrival
from nex_automat.store.models import DocumentSource, InvoiceRecord
from nex_automat.store.tenants import create_tenant
from tests.invoicegen import generate


def template(name: str, keyword: str) -> str:
    return f"name: {name}\nmatch:\n  keywords: [{keyword}]\nfields:\n  currency:\n    value: EUR\n"


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def sources(templates: TenantTemplates, tenant: str) -> dict[str, str]:
    """Template name → the folder it was read from."""
    return {t.name: t.source.parent.name for t in templates.for_tenant(tenant).templates}


def test_a_tenants_templates_are_its_own_and_override_the_shared_ones(tmp_path: Path) -> None:
    write(tmp_path, "stavmat", template("stavmat", "STAVMAT"))
    write(tmp_path / "acme", "stavmat", template("stavmat", "STAVMAT-ACME"))
    write(tmp_path / "acme", "pila", template("pila", "PILA"))
    templates = TenantTemplates(tmp_path)

    assert sources(templates, "acme") == {"stavmat": "acme", "pila": "acme"}
    assert sources(templates, "globex") == {"stavmat": tmp_path.name}


def test_without_a_templates_folder_every_tenant_gets_the_shipped_ones(tmp_path: Path) -> None:
    templates = TenantTemplates(None)
    assert templates.for_tenant("acme") is templates.shared


def test_a_document_is_read_with_its_own_tenants_templates(
    database: Database, tmp_path: Path
) -> None:
    generated = generate(0, "pohoda_sk")
    write(
        tmp_path / "templates" / "acme",
        "acme-supplier",
        template("acme-supplier", generated.invoice.number),
    )
    url = database.engine.url.render_as_string(hide_password=False)
    settings = load_settings(
        tmp_path / "data", database_url=url, templates_dir=tmp_path / "templates", workers=1
    )
    services = build_services(settings)
    try:
        with services.db.session() as session:
            create_tenant(session, "acme", "Acme s.r.o.")
            create_tenant(session, "globex", "Globex a.s.")
        arrival = Arrival(source=DocumentSource.UPLOAD, filename="faktura.pdf")
        for tenant in ("acme", "globex"):
            services.intake.receive(tenant, generated.pdf, arrival)
        run_pending(
            services.queue, services.processor, worker_id="tests", handlers=services.runner.handlers
        )
        used = {}
        for tenant in ("acme", "globex"):
            with services.db.tenant_session(tenant) as session:
                used[tenant] = session.scalars(select(InvoiceRecord.template)).one()
    finally:
        services.close()
    assert used["acme"] == "acme-supplier"
    assert used["globex"] != "acme-supplier"
