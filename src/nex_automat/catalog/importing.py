"""Catalogue imports from the ERP's CSV and XLSX exports.

A file is read whole, every row is checked before anything is written, and the rows are
then upserted in batches by their natural key (product and group code, barcode, partner
IČO or VAT id), so importing the same export twice changes nothing. A file with bad rows
writes nothing unless the caller asks to skip them: a catalogue half-imported is worse
than one not imported, because nobody notices what is missing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from nex_automat.catalog.text import fold
from nex_automat.catalog.xlsx import XlsxError, sheet_rows
from nex_automat.domain import identifiers
from nex_automat.errors import NexError
from nex_automat.extract.numbers import parse_number
from nex_automat.store.models import Barcode, Partner, Product, ProductGroup
from nex_automat.store.sqltypes import utcnow
from nex_automat.store.tenancy import require_tenant

BATCH_SIZE = 5_000
PREVIEW_ROWS = 20
FIRST_DATA_ROW = 2
"""Row numbers are the spreadsheet's: the header is row 1."""

_CSV_ENCODINGS = ("utf-8-sig", "cp1250")
_CSV_DELIMITERS = ";,\t|"
_TRUE = frozenset({"1", "true", "yes", "ano", "a", "x", "y", "pravda"})
_FALSE = frozenset({"0", "false", "no", "nie", "ne", "n", ""})


class ImportKind(StrEnum):
    PRODUCTS = "products"
    BARCODES = "barcodes"
    GROUPS = "groups"
    PARTNERS = "partners"


class ImportFileError(NexError):
    """The file cannot be read as a table."""

    code = "import_file"


class ImportMappingError(NexError):
    """The column mapping does not fit the file's header."""

    code = "import_mapping"


MESSAGES: Mapping[str, str] = {
    "missing": "missing",
    "too_long": "longer than {limit} characters",
    "not_number": "not a number: '{value}'",
    "not_flag": "not yes or no: '{value}'",
    "not_identifier": "not a {what}: '{value}'",
    "check_digit": "{what} {value} has a wrong check digit",
    "not_country": "not a two-letter country code: '{value}'",
    "not_single_value": "not a single value: {value}",
    "not_record": "not a JSON object: {value}",
    "partner_key": "a partner needs an IČO or a VAT id",
    "duplicate": "{value} is also on row {row}",
    "same_partner": "same partner as on row {row}",
    "two_partners": "IČO and VAT id belong to two different partners",
    "no_group": "no product group '{value}'",
    "no_product": "no product '{value}'",
}
"""What each row error code says, in English (the CLI's); the UI translates the codes."""


class FieldError(ValueError):
    """A cell's value does not fit its field: a code of :data:`MESSAGES` and its values."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.values = {name: str(value) for name, value in values.items()}


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    field: str | None
    code: str
    """A key of :data:`MESSAGES`; ``values`` fill its placeholders."""
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.values)


def _row_error(number: int, name: str | None, code: str, **values: object) -> RowError:
    return RowError(number, name, code, {key: str(value) for key, value in values.items()})


Parser = Callable[[str], Any]
Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    parse: Parser
    required: bool = False
    headers: tuple[str, ...] = ()
    """Header names an export commonly uses for the field, folded, besides the field's own."""


def _text(limit: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > limit:
            raise FieldError("too_long", limit=limit)
        return value

    return parse


def _decimal(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = parse_number(value)
    if number is None or not number.is_finite():
        raise FieldError("not_number", value=value)
    return number


def _flag(value: str) -> bool:
    folded = fold(value)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise FieldError("not_flag", value=value)


def _identifier(
    normalise: Callable[[str], str | None], is_valid: Callable[[str], bool], what: str
) -> Parser:
    def parse(value: str) -> str:
        normal = normalise(value)
        if normal is None:
            raise FieldError("not_identifier", what=what, value=value)
        if not is_valid(normal):
            raise FieldError("check_digit", what=what, value=normal)
        return normal

    return parse


def _dic(value: str) -> str:
    normal = identifiers.normalise_dic(value)
    if normal is None:
        raise FieldError("not_identifier", what="DIČ", value=value)
    return normal


def _country(value: str) -> str:
    if len(value) != 2 or not value.isalpha():
        raise FieldError("not_country", value=value)
    return value.upper()


_ean = _identifier(identifiers.normalise_ean, identifiers.is_valid_ean, "EAN/GTIN")

FIELDS: Mapping[ImportKind, tuple[FieldSpec, ...]] = {
    ImportKind.GROUPS: (
        FieldSpec("code", _text(50), required=True, headers=("kod", "skupina", "cislo")),
        FieldSpec("name", _text(200), required=True, headers=("nazov", "nazev", "popis")),
        FieldSpec("default_margin", _decimal, headers=("marza", "margin", "prirazka")),
    ),
    ImportKind.PRODUCTS: (
        FieldSpec("code", _text(50), required=True, headers=("kod", "plu", "cislo")),
        FieldSpec("name", _text(500), required=True, headers=("nazov", "nazev", "popis")),
        FieldSpec("unit", _text(20), headers=("mj", "jednotka", "merna jednotka")),
        FieldSpec("vat_rate", _decimal, headers=("dph", "sadzba dph", "vat")),
        FieldSpec("group", _text(50), headers=("skupina", "kod skupiny", "group code")),
        FieldSpec("purchase_price", _decimal, headers=("nakupna cena", "nc", "nakupni cena")),
        FieldSpec("sale_price", _decimal, headers=("predajna cena", "pc", "prodejni cena")),
        FieldSpec("discontinued", _flag, headers=("vyradeny", "neaktivny", "vyrazeno")),
    ),
    ImportKind.BARCODES: (
        FieldSpec("product", _text(50), required=True, headers=("kod", "plu", "product code")),
        FieldSpec("code", _ean, required=True, headers=("ean", "gtin", "barcode", "ciarovy kod")),
        FieldSpec("primary", _flag, headers=("hlavny", "primarny", "hlavni")),
    ),
    ImportKind.PARTNERS: (
        FieldSpec("name", _text(500), required=True, headers=("nazov", "nazev", "firma")),
        FieldSpec(
            "ico",
            _identifier(identifiers.normalise_ico, identifiers.is_valid_ico, "IČO"),
            headers=("ic",),
        ),
        FieldSpec("dic", _dic),
        FieldSpec(
            "vat_id",
            _identifier(identifiers.normalise_vat_id, identifiers.is_valid_vat_id, "VAT id"),
            headers=("ic dph", "icdph", "vat"),
        ),
        FieldSpec(
            "iban",
            _identifier(identifiers.normalise_iban, identifiers.is_valid_iban, "IBAN"),
            headers=("ucet", "bankovy ucet"),
        ),
        FieldSpec("street", _text(500), headers=("ulica", "ulice", "adresa")),
        FieldSpec("city", _text(200), headers=("mesto", "obec")),
        FieldSpec("postal_code", _text(20), headers=("psc",)),
        FieldSpec("country", _country, headers=("krajina", "zeme", "stat")),
    ),
}


@dataclass(frozen=True, slots=True)
class SourceTable:
    """A file's header and its data rows, each with its spreadsheet row number."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True, slots=True)
class MappingProblem:
    """Why a mapping does not fit: ``unknown_field``, ``no_column`` or ``required``."""

    code: str
    field: str
    header: str | None = None


@dataclass(slots=True)
class Preview:
    headers: list[str]
    mapping: dict[str, str]
    """Field → header it is read from, as far as the mapping fits the file."""
    rows: list[dict[str, Any]]
    errors: list[RowError]
    total_rows: int
    problems: list[MappingProblem] = field(default_factory=list)
    """Where the mapping does not fit the file; an import with it would be refused."""


@dataclass(slots=True)
class ImportReport:
    kind: ImportKind
    rows_read: int
    rows_written: int
    errors: list[RowError] = field(default_factory=list)
    seconds: float = 0.0
    mapping: dict[str, str] = field(default_factory=dict)
    """Field → column header the file was read with (a file import only)."""

    @property
    def imported(self) -> bool:
        return self.rows_written > 0 or not self.errors


Progress = Callable[[int, int], None]
"""Called with (rows written so far, rows to write)."""


def load_mapping(path: Path) -> dict[str, str]:
    """A YAML file of ``field: column header`` pairs."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ImportMappingError(f"cannot read the mapping {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ImportMappingError(f"{path} must map field names to column headers")
    return data


def read_table(path: Path) -> SourceTable:
    """CSV (UTF-8 or Windows-1250, delimiter sniffed) or XLSX (first sheet)."""
    if not path.is_file():
        raise ImportFileError(f"no file {path}")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    return _read_csv(path)


def _read_csv(path: Path) -> SourceTable:
    raw = path.read_bytes()
    for encoding in _CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1250 decodes nearly every byte
        raise ImportFileError(f"{path} is neither UTF-8 nor Windows-1250 text")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=_CSV_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return _table(path, (row for row in reader))
    except csv.Error as exc:
        raise ImportFileError(f"{path} is not a readable CSV table: {exc}") from exc


def _read_xlsx(path: Path) -> SourceTable:
    try:
        return _table(path, sheet_rows(path))
    except XlsxError as exc:
        raise ImportFileError(f"{path} is not a readable XLSX workbook: {exc}") from exc


def _table(path: Path, rows: Iterable[Sequence[str]]) -> SourceTable:
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None or not any(cell.strip() for cell in header):
        raise ImportFileError(f"{path} has no header row")
    headers = [cell.strip() for cell in header]
    body = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(iterator, start=FIRST_DATA_ROW)
        if any(cell.strip() for cell in row)
    ]
    return SourceTable(headers=headers, rows=body)


def propose_mapping(
    kind: ImportKind, headers: Sequence[str], mapping: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[MappingProblem]]:
    """Field → header as far as it fits, and what does not.

    With a mapping (typed now, or saved for the source), exactly its fields are read,
    headers compared exactly, else folded; without one, every field whose own name or a
    usual synonym is a header. The admin page shows the problems beside the columns to
    fix; :func:`resolve_mapping` refuses them.
    """
    specs = {spec.name: spec for spec in FIELDS[kind]}
    by_folded = {fold(header): header for header in headers if header}
    resolved: dict[str, str] = {}
    problems: list[MappingProblem] = []
    if mapping is not None:
        for name, header in mapping.items():
            if name not in specs:
                problems.append(MappingProblem("unknown_field", name, header))
                continue
            found = header if header in headers else by_folded.get(fold(header))
            if found is None:
                problems.append(MappingProblem("no_column", name, header))
                continue
            resolved[name] = found
    else:
        for spec in specs.values():
            for candidate in (spec.name, spec.name.replace("_", " "), *spec.headers):
                if (header := by_folded.get(fold(candidate))) is not None:
                    resolved[spec.name] = header
                    break
    spoken = {problem.field for problem in problems}
    problems.extend(
        MappingProblem("required", spec.name)
        for spec in specs.values()
        if spec.required and spec.name not in resolved and spec.name not in spoken
    )
    return resolved, problems


def resolve_mapping(
    kind: ImportKind, headers: Sequence[str], mapping: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Field → header (see :func:`propose_mapping`); a mapping that does not fit is refused."""
    resolved, problems = propose_mapping(kind, headers, mapping)
    if problems:
        raise ImportMappingError("; ".join(_mapping_message(kind, p) for p in problems))
    return resolved


def _mapping_message(kind: ImportKind, problem: MappingProblem) -> str:
    if problem.code == "unknown_field":
        fields = ", ".join(spec.name for spec in FIELDS[kind])
        return f"{kind} have no field {problem.field!r}; fields: {fields}"
    if problem.code == "no_column":
        return f"the file has no column {problem.header!r} for {problem.field}"
    return f"no column for the required field {problem.field} of {kind}"


RawRow = tuple[int, Mapping[str, str]]
"""A row as read, before any checking: its number and each mapped field's text."""


def table_rows(table: SourceTable, mapping: Mapping[str, str]) -> Iterator[RawRow]:
    """The table's rows as field → cell text, through a resolved mapping."""
    columns = {name: table.headers.index(header) for name, header in mapping.items()}
    for number, cells in table.rows:
        yield (
            number,
            {name: cells[index] if index < len(cells) else "" for name, index in columns.items()},
        )


def _parse_rows(
    kind: ImportKind, rows: Iterable[RawRow], fields: Collection[str]
) -> Iterator[tuple[int, dict[str, Any], list[RowError]]]:
    specs = [spec for spec in FIELDS[kind] if spec.name in fields]
    for number, cells in rows:
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for spec in specs:
            raw = cells.get(spec.name, "")
            if not raw:
                if spec.required:
                    errors.append(_row_error(number, spec.name, "missing"))
                values[spec.name] = False if spec.parse is _flag else None
                continue
            try:
                values[spec.name] = spec.parse(raw)
            except FieldError as exc:
                errors.append(RowError(number, spec.name, exc.code, exc.values))
        if (
            kind is ImportKind.PARTNERS
            and not errors
            and not (values.get("ico") or values.get("vat_id"))
        ):
            errors.append(_row_error(number, "ico", "partner_key"))
        yield number, values, errors


def preview(
    path: Path,
    kind: ImportKind,
    mapping: Mapping[str, str] | None = None,
    *,
    limit: int = PREVIEW_ROWS,
) -> Preview:
    """The first rows as they would be imported, and the errors of every row of the file.

    Every row is checked, not only those shown, so the person deciding to import sees
    each bad row before anything is written; what only the catalogue can tell (a code
    twice in the file, a product group it lacks) is reported by the import itself. A
    mapping that does not fit is not refused here but listed in ``problems``, with the
    rows read through the part that fits, so it can be corrected beside the data.
    """
    table = read_table(path)
    resolved, problems = propose_mapping(kind, table.headers, mapping)
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for _number, values, row_errors in _parse_rows(kind, table_rows(table, resolved), resolved):
        if len(rows) < limit:
            rows.append(values)
        errors.extend(row_errors)
    return Preview(table.headers, resolved, rows, errors, len(table.rows), problems)


def import_file(
    session: Session,
    path: Path,
    kind: ImportKind,
    mapping: Mapping[str, str] | None = None,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Upsert the file's rows into the session's tenant; nothing is written if a row is bad,
    unless ``skip_invalid``, when the good rows are written and the bad ones reported."""
    started = utcnow()
    table = read_table(path)
    resolved = resolve_mapping(kind, table.headers, mapping)
    report = import_rows(
        session,
        kind,
        table_rows(table, resolved),
        resolved,
        skip_invalid=skip_invalid,
        progress=progress,
        batch_size=batch_size,
    )
    report.seconds = (utcnow() - started).total_seconds()
    report.mapping = resolved
    return report


def import_rows(
    session: Session,
    kind: ImportKind,
    rows: Iterable[RawRow],
    fields: Collection[str],
    *,
    errors: Iterable[RowError] = (),
    skip_invalid: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Check and upsert rows from any source (a file, an ERP's JSON) into the session's tenant.

    ``fields`` are the fields the source carries: only they are updated on existing
    rows, so a price list leaves names alone. ``errors`` are problems the caller found
    while reading (a row it could not turn into text); they count like any bad row.
    Nothing is written while there is an error, unless ``skip_invalid``.
    """
    started = utcnow()
    tenant_id = require_tenant(session)
    good: list[tuple[int, Record]] = []
    found: list[RowError] = list(errors)
    read = len({error.row for error in found})
    for number, values, row_errors in _parse_rows(kind, rows, fields):
        read += 1
        if row_errors:
            found.extend(row_errors)
        else:
            good.append((number, values))
    writer = _WRITERS[kind]
    records = writer.prepare(session, good, found)
    report = ImportReport(kind, rows_read=read, rows_written=0, errors=found)
    report.errors.sort(key=lambda e: e.row)
    if found and not skip_invalid:
        return report
    now = utcnow()
    for record in records:
        record["tenant_id"] = tenant_id
        if writer.stamped:
            record["updated_at"] = now
    columns = set(fields) - writer.not_columns
    written = 0
    for start in range(0, len(records), batch_size):
        chunk = records[start : start + batch_size]
        writer.write(session, chunk, columns)
        written += len(chunk)
        if progress is not None:
            progress(written, len(records))
    report.rows_written = written
    report.seconds = (utcnow() - started).total_seconds()
    return report


def _upsert(
    session: Session, table: Table, key: Sequence[str], update: Iterable[str], rows: list[Record]
) -> None:
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    statement = insert(table)
    set_ = {name: statement.excluded[name] for name in update}
    statement = (
        statement.on_conflict_do_update(index_elements=list(key), set_=set_)
        if set_
        else statement.on_conflict_do_nothing(index_elements=list(key))
    )
    session.execute(statement, rows)


def _duplicates(
    rows: list[tuple[int, Record]], key: str, errors: list[RowError]
) -> list[tuple[int, Record]]:
    """Rows whose key an earlier row of the file already has are errors: which one is meant?"""
    first: dict[Any, int] = {}
    kept: list[tuple[int, Record]] = []
    for number, values in rows:
        value = values[key]
        if value in first:
            errors.append(_row_error(number, key, "duplicate", value=value, row=first[value]))
            continue
        first[value] = number
        kept.append((number, values))
    return kept


@dataclass(frozen=True, slots=True)
class _Writer:
    prepare: Callable[[Session, list[tuple[int, Record]], list[RowError]], list[Record]]
    write: Callable[[Session, list[Record], set[str]], None]
    stamped: bool = True
    not_columns: frozenset[str] = frozenset()


def _prepare_groups(
    session: Session, rows: list[tuple[int, Record]], errors: list[RowError]
) -> list[Record]:
    return [values for _n, values in _duplicates(rows, "code", errors)]


def _write_groups(session: Session, rows: list[Record], fields: set[str]) -> None:
    table = ProductGroup.__table__
    _upsert(session, table, ("tenant_id", "code"), (fields - {"code"}) | {"updated_at"}, rows)


def _prepare_products(
    session: Session, rows: list[tuple[int, Record]], errors: list[RowError]
) -> list[Record]:
    groups = dict(session.execute(select(ProductGroup.code, ProductGroup.id)).all())
    records: list[Record] = []
    for number, values in _duplicates(rows, "code", errors):
        record = dict(values)
        record.setdefault("discontinued", False)
        if "group" in record:
            code = record.pop("group")
            if code is not None and code not in groups:
                errors.append(_row_error(number, "group", "no_group", value=code))
                continue
            record["group_id"] = groups.get(code) if code is not None else None
        records.append(record)
    return records


def _write_products(session: Session, rows: list[Record], fields: set[str]) -> None:
    update = {"group_id" if name == "group" else name for name in fields - {"code"}}
    _upsert(session, Product.__table__, ("tenant_id", "code"), update | {"updated_at"}, rows)


def _prepare_barcodes(
    session: Session, rows: list[tuple[int, Record]], errors: list[RowError]
) -> list[Record]:
    products = dict(session.execute(select(Product.code, Product.id)).all())
    records: list[Record] = []
    for number, values in _duplicates(rows, "code", errors):
        product_id = products.get(values["product"])
        if product_id is None:
            errors.append(_row_error(number, "product", "no_product", value=values["product"]))
            continue
        records.append(
            {
                "product_id": product_id,
                "code": values["code"],
                "primary": values.get("primary", False),
            }
        )
    return records


def _write_barcodes(session: Session, rows: list[Record], fields: set[str]) -> None:
    update = {"product_id"} | ({"primary"} & fields)
    _upsert(session, Barcode.__table__, ("tenant_id", "code"), update, rows)


_PARTNER_FIELDS = tuple(spec.name for spec in FIELDS[ImportKind.PARTNERS])


def _prepare_partners(
    session: Session, rows: list[tuple[int, Record]], errors: list[RowError]
) -> list[Record]:
    """Each row finds its partner by IČO, else by VAT id; ``id`` is set when one exists."""
    existing = session.execute(select(Partner.id, Partner.ico, Partner.vat_id)).all()
    known: dict[str, dict[str, int]] = {
        "ico": {ico: pid for pid, ico, _vat in existing if ico},
        "vat_id": {vat: pid for pid, _ico, vat in existing if vat},
    }
    claimed: dict[tuple[str, str], int] = {}
    records: list[Record] = []
    for number, values in rows:
        keys = [(name, values[name]) for name in ("ico", "vat_id") if values.get(name)]
        earlier = next((claimed[key] for key in keys if key in claimed), None)
        if earlier is not None:
            errors.append(_row_error(number, keys[0][0], "same_partner", row=earlier))
            continue
        ids = {known[name].get(value) for name, value in keys} - {None}
        if len(ids) > 1:
            errors.append(_row_error(number, "vat_id", "two_partners"))
            continue
        claimed.update(dict.fromkeys(keys, number))
        records.append(values | {"id": ids.pop() if ids else None})
    return records


def _write_partners(session: Session, rows: list[Record], fields: set[str]) -> None:
    table = Partner.__table__
    updates = [row for row in rows if row["id"] is not None]
    inserts = [{k: v for k, v in row.items() if k != "id"} for row in rows if row["id"] is None]
    if inserts:
        session.execute(table.insert(), inserts)
    if updates:
        columns = [name for name in _PARTNER_FIELDS if name in fields] + ["updated_at"]
        statement = (
            table.update()
            .where(table.c.id == bindparam("partner_id"), table.c.tenant_id == bindparam("owner"))
            .values({name: bindparam(f"new_{name}") for name in columns})
        )
        session.execute(
            statement,
            [
                {"partner_id": row["id"], "owner": row["tenant_id"]}
                | {f"new_{name}": row[name] for name in columns}
                for row in updates
            ],
        )


_WRITERS: Mapping[ImportKind, _Writer] = {
    ImportKind.GROUPS: _Writer(_prepare_groups, _write_groups),
    ImportKind.PRODUCTS: _Writer(_prepare_products, _write_products),
    ImportKind.BARCODES: _Writer(
        _prepare_barcodes, _write_barcodes, stamped=False, not_columns=frozenset({"product"})
    ),
    ImportKind.PARTNERS: _Writer(_prepare_partners, _write_partners),
}
