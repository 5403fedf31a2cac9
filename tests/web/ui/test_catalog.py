"""The catalogue import page: upload, columns, preview with bad rows, import, saved sources."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from nex_automat.catalog.importing import ImportKind
from nex_automat.catalog.sources import get_source, save_source
from nex_automat.catalog.sync import KindRun, RunState, record_run
from nex_automat.ops.catalog_sync_settings import CatalogSyncSettings
from nex_automat.store.models import AuditEntry, Product, ProductGroup, Role
from nex_automat.store.sqltypes import utcnow
from nex_automat.web.limits import ENVELOPE_BYTES
from tests.web.conftest import UPLOAD_LIMIT
from tests.web.ui.conftest import Browser, Workspace

GROUPS = "Kód;Názov;Marža\nCEM;Cementy a vápna;25,5\nTEH;Tehly;30\n"
CSV = "text/csv"
_TOKEN = re.compile(r'action="/admin/catalog/uploads/([A-Za-z0-9_-]+)"')


@pytest.fixture
def admin(signed_in) -> Browser:  # type: ignore[no-untyped-def]
    return signed_in("ada", Role.ADMIN)  # type: ignore[no-any-return]


def upload(
    browser: Browser,
    content: str | bytes,
    *,
    kind: str = "groups",
    source: str = "",
    filename: str = "skupiny.csv",
):  # type: ignore[no-untyped-def]
    data = content.encode("utf-8") if isinstance(content, str) else content
    return browser.post(
        "/admin/catalog/upload",
        {"csrf_token": browser.csrf(), "kind": kind, "source": source},
        files={"file": (filename, data, CSV)},
    )


def token_of(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, html
    return found.group(1)


def step(browser: Browser, token: str, action: str, kind: str, **fields: str):  # type: ignore[no-untyped-def]
    form = {"kind": kind, "filename": "skupiny.csv", "action": action}
    form.update({key.replace("map_", "map."): value for key, value in fields.items()})
    return browser.post_form(f"/admin/catalog/uploads/{token}", form)


def selected(html: str, field: str) -> str:
    """The column chosen for ``field`` in the columns form."""
    select_html = re.search(rf'name="map\.{field}"[^>]*>(.*?)</select>', html, re.S)
    assert select_html, field
    chosen = re.search(r'<option value="([^"]*)" selected>', select_html.group(1))
    return chosen.group(1) if chosen else ""


def uploads(workspace: Workspace, tenant: str = "acme") -> list[Path]:
    folder = workspace.services.settings.data_dir / "catalog-uploads" / tenant
    return sorted(folder.iterdir()) if folder.is_dir() else []


def audit(workspace: Workspace) -> list[tuple[str, str, str, str | None, str | None]]:
    with workspace.services.db.tenant_session("acme") as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.entity, e.entity_id, e.action, e.field, e.new_value) for e in entries]


def test_only_admins_may_import(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    approver = signed_in("petra", Role.APPROVER)
    assert approver.get("/admin/catalog").status_code == 403
    refused = upload(approver, GROUPS)
    assert refused.status_code == 403
    assert uploads(workspace) == []


def test_the_admin_page_leads_to_the_catalogue_import(admin: Browser) -> None:
    assert 'href="/admin/catalog"' in admin.get("/admin").text
    assert admin.get("/admin/catalog").status_code == 200


def test_an_upload_without_the_csrf_token_is_refused(workspace: Workspace, admin: Browser) -> None:
    refused = admin.post(
        "/admin/catalog/upload", {"kind": "groups"}, files={"file": ("g.csv", b"x", CSV)}
    )
    assert refused.status_code == 403
    assert uploads(workspace) == []


def test_the_upload_shows_columns_by_header_a_preview_and_every_bad_row(
    workspace: Workspace, admin: Browser
) -> None:
    shown = upload(admin, GROUPS + "DRE;Drevo;veľa\nKOV;;10\n")
    assert shown.status_code == 200
    page = shown.text
    assert [selected(page, f) for f in ("code", "name", "default_margin")] == [
        "Kód",
        "Názov",
        "Marža",
    ]
    assert "Prvých 4 z 4 riadkov súboru skupiny.csv." in page
    assert "Cementy a vápna" in page
    assert re.findall(r'<tr data-row="(\d+)">', page) == ["4", "5"]
    assert "„veľa“ nie je číslo" in page
    assert "chýba" in page
    assert len(uploads(workspace)) == 1
    with workspace.services.db.tenant_session("acme") as session:
        assert session.scalars(select(ProductGroup)).all() == []


def test_importing_writes_the_rows_saves_the_source_and_is_audited(
    workspace: Workspace, admin: Browser
) -> None:
    token = token_of(upload(admin, GROUPS, source="pohoda-skupiny").text)
    done = step(
        admin, token, "import", "groups", source="pohoda-skupiny",
        map_code="Kód", map_name="Názov", map_default_margin="Marža",
    )  # fmt: skip
    assert done.status_code == 200, done.text
    assert "Importované: 2 z 2 riadkov (Skupiny produktov)" in done.text
    assert "Mapovanie je uložené ako zdroj „pohoda-skupiny“." in done.text
    with workspace.services.db.tenant_session("acme") as session:
        rows = session.execute(select(ProductGroup.code, ProductGroup.default_margin)).all()
        assert sorted(rows) == [("CEM", Decimal("25.5")), ("TEH", Decimal("30"))]
        source = get_source(session, "pohoda-skupiny")
        assert source is not None
        assert (source.kind, source.mapping, source.updated_by) == (
            "groups",
            {"code": "Kód", "name": "Názov", "default_margin": "Marža"},
            "ada",
        )
        source_id = str(source.id)
    assert audit(workspace) == [
        ("catalog_source", source_id, "saved", "mapping",
         "code=Kód, name=Názov, default_margin=Marža"),
        ("catalog_import", "groups", "imported", "pohoda-skupiny", "skupiny.csv: 2/2"),
    ]  # fmt: skip
    assert uploads(workspace) == []
    gone = step(admin, token, "import", "groups", map_code="Kód", map_name="Názov")
    assert gone.status_code == 404
    assert "Nahratý súbor už nie je k dispozícii" in gone.text


def test_a_saved_source_fills_the_columns_and_a_changed_column_is_saved(
    workspace: Workspace, admin: Browser
) -> None:
    with workspace.services.db.tenant_session("acme") as session:
        save_source(session, "erp", ImportKind.GROUPS, {"code": "Číslo", "name": "Popis"})
    export = "Číslo;Popis;Názov skupiny\nCEM;cem;Cementy\n"
    shown = upload(admin, export, kind="products", source="erp")
    assert "Mapovanie je zo zdroja „erp“." in shown.text
    assert [selected(shown.text, f) for f in ("code", "name", "default_margin")] == [
        "Číslo",
        "Popis",
        "",
    ]
    token = token_of(shown.text)
    done = step(
        admin, token, "import", "groups", source="erp", map_code="Číslo", map_name="Názov skupiny"
    )
    assert done.status_code == 200, done.text
    with workspace.services.db.tenant_session("acme") as session:
        assert session.scalars(select(ProductGroup.name)).all() == ["Cementy"]
        source = get_source(session, "erp")
        assert source is not None
        assert source.mapping == {"code": "Číslo", "name": "Názov skupiny"}
    [saved] = [entry for entry in audit(workspace) if entry[0] == "catalog_source"]
    assert saved[4] == "code=Číslo, name=Názov skupiny"


def test_a_column_missing_from_the_saved_mapping_is_shown_and_blocks_the_import(
    workspace: Workspace, admin: Browser
) -> None:
    with workspace.services.db.tenant_session("acme") as session:
        save_source(session, "erp", ImportKind.GROUPS, {"code": "Číslo", "name": "Popis"})
    shown = upload(admin, "Kód;Popis\nCEM;Cementy\n", source="erp")
    assert 'data-problem="no_column"' in shown.text
    assert "Stĺpec „Číslo“ v súbore nie je." in shown.text
    fixed = step(admin, token_of(shown.text), "preview", "groups", map_code="Kód", map_name="Popis")
    assert 'data-problem="' not in fixed.text
    assert selected(fixed.text, "code") == "Kód"


def test_a_refused_import_writes_nothing_and_lists_the_rows_to_fix(
    workspace: Workspace, admin: Browser
) -> None:
    products = "PLU;Názov;Skupina;Nákupná cena\n10001;Cement;NIE;4,20\n10002;Vápno;;3\n"
    shown = upload(admin, products, kind="products", filename="produkty.csv")
    token = token_of(shown.text)
    refused = step(
        admin, token, "import", "products",
        map_code="PLU", map_name="Názov", map_group="Skupina", map_purchase_price="Nákupná cena",
    )  # fmt: skip
    assert refused.status_code == 400
    assert "Nič sa neimportovalo" in refused.text
    assert re.findall(r'<tr data-row="(\d+)">', refused.text) == ["2"]
    assert "skupina „NIE“ neexistuje" in refused.text
    with workspace.services.db.tenant_session("acme") as session:
        assert session.scalars(select(Product)).all() == []
    assert audit(workspace) == []
    assert len(uploads(workspace)) == 1
    without_group = step(
        admin, token, "import", "products", map_code="PLU", map_name="Názov",
        map_purchase_price="Nákupná cena",
    )  # fmt: skip
    assert without_group.status_code == 200, without_group.text
    with workspace.services.db.tenant_session("acme") as session:
        assert sorted(session.scalars(select(Product.code))) == ["10001", "10002"]


def test_an_xlsx_export_is_imported_too(workspace: Workspace, admin: Browser) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Kód", "Názov"])
    sheet.append(["CEM", "Cementy"])
    content = io.BytesIO()
    workbook.save(content)
    shown = upload(admin, content.getvalue(), filename="skupiny.xlsx")
    assert shown.status_code == 200, shown.text
    done = step(admin, token_of(shown.text), "import", "groups", map_code="Kód", map_name="Názov")
    assert done.status_code == 200
    with workspace.services.db.tenant_session("acme") as session:
        assert session.scalars(select(ProductGroup.code)).all() == ["CEM"]


def test_files_that_are_no_table_are_refused(workspace: Workspace, admin: Browser) -> None:
    pdf = upload(admin, b"%PDF-1.7", filename="cennik.pdf")
    assert pdf.status_code == 400
    assert "Súbor musí byť CSV alebo XLSX" in pdf.text
    empty = upload(admin, b"", filename="prazdny.csv")
    assert empty.status_code == 400
    assert "Súbor sa nedá prečítať ako tabuľka" in empty.text
    bad_name = upload(admin, GROUPS, source="Pohoda Skupiny")
    assert bad_name.status_code == 400
    assert "Názov zdroja má najviac 100 znakov" in bad_name.text
    assert uploads(workspace) == []


def test_an_upload_over_the_limit_is_refused(workspace: Workspace, admin: Browser) -> None:
    just_over = upload(admin, "Kód;Názov\n" + "X;" + "y" * UPLOAD_LIMIT + "\n")
    assert just_over.status_code == 413
    assert "Súbor je väčší, ako sa dá nahrať." in just_over.text
    far_over = upload(admin, "Kód;Názov\n" + "X;" + "y" * (UPLOAD_LIMIT + ENVELOPE_BYTES) + "\n")
    assert far_over.status_code == 413
    assert uploads(workspace) == []


def test_a_field_too_long_for_a_csv_reader_is_a_table_that_cannot_be_read(
    workspace: Workspace, admin: Browser
) -> None:
    refused = upload(admin, "Kód;Názov\n" + "X;" + "y" * 200_000 + "\n")
    assert refused.status_code == 400
    assert "Súbor sa nedá prečítať ako tabuľka" in refused.text


def test_discarding_removes_the_upload(workspace: Workspace, admin: Browser) -> None:
    token = token_of(upload(admin, GROUPS).text)
    discarded = step(admin, token, "discard", "groups")
    assert discarded.status_code == 303
    assert discarded.headers["location"] == "/admin/catalog?done=discarded"
    assert "Nahratý súbor bol zahodený." in admin.get(discarded.headers["location"]).text
    assert uploads(workspace) == []


def test_another_tenants_upload_is_not_found(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    token = token_of(upload(signed_in("ada", Role.ADMIN), GROUPS).text)
    globex = signed_in("gustav", Role.ADMIN, tenant="globex")
    answer = step(globex, token, "import", "groups", map_code="Kód", map_name="Názov")
    assert answer.status_code == 404
    with workspace.services.db.tenant_session("globex") as session:
        assert session.scalars(select(ProductGroup)).all() == []
    assert len(uploads(workspace)) == 1


def test_the_page_speaks_the_admins_language(workspace: Workspace, signed_in) -> None:  # type: ignore[no-untyped-def]
    english = signed_in("ann", Role.ADMIN, language="en")
    shown = upload(english, GROUPS + "DRE;Drevo;lots\n")
    assert "Catalogue: import and sync" in shown.text
    assert "“lots” is not a number" in shown.text
    assert "The first 3 of 3 rows of skupiny.csv." in shown.text


def test_the_state_of_each_configured_sync_is_shown(workspace: Workspace, admin: Browser) -> None:
    sync = CatalogSyncSettings.model_validate(
        {
            "name": "pohoda",
            "tenant": "acme",
            "api_key": "k",
            "daily_at": "03:30",
            "kinds": {
                "products": {"url": "https://erp.example.sk/products"},
                "partners": {"url": "https://erp.example.sk/partners"},
            },
        }
    )
    services = workspace.services
    services.settings = services.settings.model_copy(update={"catalog_sync": [sync]})
    failed = KindRun(ImportKind.PRODUCTS, RunState.FAILED, utcnow(), failure="HTTP 500 na strane 2")
    record_run(services.db, sync, failed)
    page = admin.get("/admin/catalog").text
    assert "pohoda" in page and "denne o 03:30" in page
    products = page.split('data-sync="pohoda/products"')[1].split("</tr>")[0]
    assert "zlyhala" in products and "HTTP 500 na strane 2" in products
    partners = page.split('data-sync="pohoda/partners"')[1].split("</tr>")[0]
    assert "ešte nebežala" in partners
