"""Declarative supplier templates: what to add to the generic extractor for a known supplier.

A template is a YAML file, so a user can teach NEX Automat a supplier's layout without a
release. It never replaces the generic extractor; it adds label and column synonyms to it
and fixes single fields with a regular expression or a constant. The format is documented
in ``docs/templates.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from nex_automat.domain import identifiers
from nex_automat.domain.model import PARTY_FIELDS, DocumentType, Invoice, InvoiceWarning
from nex_automat.errors import TemplateError
from nex_automat.extract.columns import FIELDS as COLUMN_FIELDS
from nex_automat.extract.dates import parse_date
from nex_automat.extract.layout import TextDocument
from nex_automat.extract.numbers import parse_amount
from nex_automat.extract.result import Extraction, SourceBox

SHIPPED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_TOP_LEVEL_KEYS = frozenset({"name", "description", "match", "labels", "columns", "fields"})
_MATCH_KEYS = frozenset({"ids", "keywords"})
_RULE_KEYS = frozenset({"regex", "value"})

_COLUMN_FIELDS = frozenset(COLUMN_FIELDS)


def _text(raw: str) -> str | None:
    return " ".join(raw.split()) or None


def _money(raw: str) -> Decimal | None:
    return parse_amount(raw)


def _date(raw: str) -> date | None:
    return parse_date(raw)


def _document_type(raw: str) -> DocumentType | None:
    try:
        return DocumentType(raw.strip())
    except ValueError:
        return None


_PARTY_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "ico": identifiers.normalise_ico,
    "dic": identifiers.normalise_dic,
    "vat_id": identifiers.normalise_vat_id,
    "iban": identifiers.normalise_iban,
    "bic": identifiers.normalise_bic,
    "country": lambda raw: raw.strip().upper() or None,
}

CONVERTERS: dict[str, Callable[[str], Any]] = {
    "document_type": _document_type,
    "number": _text,
    "issue_date": _date,
    "tax_point_date": _date,
    "due_date": _date,
    "currency": lambda raw: raw.strip().upper() or None,
    "variable_symbol": _text,
    "constant_symbol": _text,
    "order_reference": _text,
    "total_net": _money,
    "total_vat": _money,
    "total_gross": _money,
    "rounding": _money,
    "amount_due": _money,
    **{
        f"{party}.{name}": _PARTY_CONVERTERS.get(name, _text)
        for party in ("supplier", "customer")
        for name in PARTY_FIELDS
    },
}
"""Every field a template may set, with how its printed text becomes a value."""


@dataclass(frozen=True, slots=True)
class FieldRule:
    field: str
    regex: re.Pattern[str] | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class SupplierTemplate:
    name: str
    source: Path
    description: str = ""
    ids: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rules: tuple[FieldRule, ...] = ()

    def score(self, compact_text: str, folded_text: str) -> int:
        """How specifically this template fits a document; 0 when it does not.

        Every configured criterion must hold: one of the ids (IČO, VAT id, IBAN) printed
        and every keyword present. Ids weigh more than keywords because they identify the
        supplier, while keywords only narrow down its layouts.
        """
        if self.ids and not any(i in compact_text for i in self.ids):
            return 0
        if not all(k in folded_text for k in self.keywords):
            return 0
        return 10 * bool(self.ids) + len(self.keywords)


@dataclass(frozen=True, slots=True)
class TemplateLibrary:
    templates: tuple[SupplierTemplate, ...] = ()

    def choose(self, doc: TextDocument) -> SupplierTemplate | None:
        if not self.templates:
            return None
        text = document_text(doc)
        compact = re.sub(r"\s+", "", text).upper()
        folded = text.casefold()
        scored = [(t.score(compact, folded), t.name, t) for t in self.templates]
        best = max(scored, key=lambda s: (s[0], s[1]), default=None)
        return best[2] if best and best[0] > 0 else None


def document_text(doc: TextDocument) -> str:
    return "\n".join(line.text for line in doc.lines)


def load_library(directories: Iterable[Path]) -> TemplateLibrary:
    """Templates from the given folders, later folders overriding earlier ones by name."""
    by_name: dict[str, SupplierTemplate] = {}
    for directory in directories:
        if not directory.is_dir():
            raise TemplateError(f"template folder {directory} does not exist")
        for path in sorted(directory.glob("*.y*ml")):
            template = load_template(path)
            by_name[template.name] = template
    return TemplateLibrary(tuple(by_name.values()))


def default_library(user_directory: Path | None = None) -> TemplateLibrary:
    folders = [SHIPPED_TEMPLATES] if SHIPPED_TEMPLATES.is_dir() else []
    if user_directory is not None:
        folders.append(user_directory)
    return load_library(folders)


def load_template(path: Path) -> SupplierTemplate:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: cannot read template: {exc}") from exc
    return parse_template(data, path)


def parse_template(data: object, path: Path) -> SupplierTemplate:
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: a template is a mapping with at least 'name' and 'match'")
    _reject_unknown(path, "", data, _TOP_LEVEL_KEYS)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise TemplateError(f"{path}: 'name' must be a non-empty string")
    match = data.get("match") or {}
    if not isinstance(match, dict):
        raise TemplateError(f"{path}: 'match' must be a mapping with 'ids' and/or 'keywords'")
    _reject_unknown(path, "match.", match, _MATCH_KEYS)
    ids = tuple(re.sub(r"\s+", "", i).upper() for i in _strings(path, "match.ids", match))
    keywords = tuple(k.casefold() for k in _strings(path, "match.keywords", match))
    if not ids and not keywords:
        raise TemplateError(f"{path}: 'match' needs 'ids' or 'keywords', or it would match all")
    labels = _synonyms(path, "labels", data.get("labels"), frozenset(CONVERTERS))
    columns = _synonyms(path, "columns", data.get("columns"), _COLUMN_FIELDS)
    rules = _rules(path, data.get("fields"))
    return SupplierTemplate(
        name=name.strip(),
        source=path,
        description=str(data.get("description") or ""),
        ids=ids,
        keywords=keywords,
        labels=labels,
        columns=columns,
        rules=rules,
    )


def _reject_unknown(
    path: Path, prefix: str, data: Mapping[str, Any], known: frozenset[str]
) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        allowed = ", ".join(sorted(known))
        raise TemplateError(f"{path}: unknown key '{prefix}{unknown[0]}' (allowed: {allowed})")


def _strings(path: Path, key: str, container: Mapping[str, Any]) -> list[str]:
    value = container.get(key.rsplit(".", 1)[-1])
    if value is None:
        return []
    if isinstance(value, str | int):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise TemplateError(f"{path}: '{key}' must be a string or a list of strings")
    return [str(v) for v in value]


def _synonyms(
    path: Path, key: str, data: object, allowed: frozenset[str]
) -> dict[str, tuple[str, ...]]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: '{key}' must map field names to lists of labels")
    _reject_unknown(path, f"{key}.", data, allowed)
    return {name: tuple(_strings(path, f"{key}.{name}", data)) for name in data}


def _rules(path: Path, data: object) -> tuple[FieldRule, ...]:
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: 'fields' must map field names to rules")
    _reject_unknown(path, "fields.", data, frozenset(CONVERTERS))
    rules = []
    for name, spec in data.items():
        if not isinstance(spec, dict) or len(spec) != 1:
            raise TemplateError(f"{path}: 'fields.{name}' needs exactly one of 'regex' or 'value'")
        _reject_unknown(path, f"fields.{name}.", spec, _RULE_KEYS)
        if "regex" in spec:
            rules.append(FieldRule(name, regex=_compile(path, name, spec["regex"])))
        else:
            rules.append(FieldRule(name, value=str(spec["value"])))
    return tuple(rules)


def _compile(path: Path, name: str, pattern: object) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise TemplateError(f"{path}: 'fields.{name}.regex' must be a string")
    try:
        compiled = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    except re.error as exc:
        raise TemplateError(f"{path}: 'fields.{name}.regex' is not a valid pattern: {exc}") from exc
    if compiled.groups > 1 and "value" not in compiled.groupindex:
        raise TemplateError(
            f"{path}: 'fields.{name}.regex' has several groups; name the one to take (?P<value>…)"
        )
    return compiled


def apply_rules(template: SupplierTemplate, doc: TextDocument, extraction: Extraction) -> None:
    """Set the fields the template fixes, overriding what the generic extractor found."""
    for rule in template.rules:
        raw, box = _rule_text(rule, doc)
        if raw is None:
            extraction.warnings.append(
                InvoiceWarning(
                    "template_field_not_found",
                    f"template '{template.name}' found no text for {rule.field}",
                    rule.field,
                )
            )
            continue
        value = CONVERTERS[rule.field](raw)
        if value is None:
            extraction.warnings.append(
                InvoiceWarning(
                    "template_field_unreadable",
                    f"template '{template.name}' read {raw!r} for {rule.field}, "
                    "which is not a valid value",
                    rule.field,
                )
            )
            continue
        _set_field(extraction.invoice, rule.field, value)
        if box is not None:
            extraction.provenance[rule.field] = box
        else:
            extraction.provenance.pop(rule.field, None)


def _rule_text(rule: FieldRule, doc: TextDocument) -> tuple[str | None, SourceBox | None]:
    if rule.value is not None:
        return rule.value, None
    assert rule.regex is not None
    for line in doc.lines:
        found = rule.regex.search(line.text)
        if found is None:
            continue
        raw = _matched_value(found)
        box = SourceBox(line.page, line.x0, line.top, line.x1, line.bottom)
        return raw, box
    return None, None


def _matched_value(found: re.Match[str]) -> str:
    if "value" in found.re.groupindex:
        return found.group("value")
    return found.group(1) if found.re.groups else found.group(0)


def _set_field(invoice: Invoice, path: str, value: object) -> None:
    target: object = invoice
    *parents, attribute = path.split(".")
    for parent in parents:
        target = getattr(target, parent)
    setattr(target, attribute, value)


def merged_synonyms(
    *sources: Mapping[str, Sequence[str]] | None,
) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for source in sources:
        for name, labels in (source or {}).items():
            merged[name] = merged.get(name, ()) + tuple(labels)
    return merged
