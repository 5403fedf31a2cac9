"""Supplier templates: how they are read, validated and chosen."""

from __future__ import annotations

from pathlib import Path

import pytest

from nex_automat.errors import TemplateError
from nex_automat.extract.templates import load_library, load_template, parse_template

VALID = """
name: stavmat
description: STAVMAT invoices
match:
  ids: ["35 763 469"]
  keywords: ["STAVMAT"]
labels:
  number: ["Doklad ev. č."]
columns:
  net_amount: ["Hodnota"]
fields:
  order_reference:
    regex: 'Stavba:\\s*(\\S+)'
  currency:
    value: EUR
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_template_is_read_with_normalised_match_criteria(tmp_path: Path) -> None:
    template = load_template(_write(tmp_path, "stavmat.yaml", VALID))
    assert template.name == "stavmat"
    assert template.ids == ("35763469",)
    assert template.keywords == ("stavmat",)
    assert template.labels == {"number": ("Doklad ev. č.",)}
    assert template.columns == {"net_amount": ("Hodnota",)}
    assert [rule.field for rule in template.rules] == ["order_reference", "currency"]


@pytest.mark.parametrize(
    ("text", "mentioned"),
    [
        ("- just a list", "mapping"),
        ("match: {ids: ['1']}", "'name'"),
        ("name: x", "'match' needs"),
        ("name: x\nmatch: {ids: ['1']}\nlabel: {}", "unknown key 'label'"),
        ("name: x\nmatch: {idz: ['1']}", "unknown key 'match.idz'"),
        ("name: x\nmatch: {ids: ['1']}\nlabels: {numbr: ['a']}", "unknown key 'labels.numbr'"),
        ("name: x\nmatch: {ids: ['1']}\ncolumns: {price: ['a']}", "unknown key 'columns.price'"),
        ("name: x\nmatch: {ids: ['1']}\nfields: {number: {regex: '('}}", "not a valid pattern"),
        ("name: x\nmatch: {ids: ['1']}\nfields: {number: {}}", "exactly one of"),
        ("name: x\nmatch: {ids: ['1']}\nfields: {number: {regex: '(a)(b)'}}", "several groups"),
        ("name: x\nmatch: {ids: {a: 1}}", "'match.ids' must be"),
        ("name: [unclosed", "cannot read template"),
    ],
)
def test_a_malformed_template_is_refused_naming_file_and_key(
    tmp_path: Path, text: str, mentioned: str
) -> None:
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(TemplateError) as raised:
        load_template(path)
    assert mentioned in raised.value.message
    assert str(path) in raised.value.message
    assert raised.value.code == "invalid_template"


def test_a_user_template_replaces_a_shipped_one_of_the_same_name(tmp_path: Path) -> None:
    shipped, user = tmp_path / "shipped", tmp_path / "user"
    shipped.mkdir()
    user.mkdir()
    _write(shipped, "a.yaml", VALID)
    _write(user, "b.yml", VALID.replace("STAVMAT invoices", "mine"))
    library = load_library([shipped, user])
    assert [t.description for t in library.templates] == ["mine"]


def test_a_missing_template_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not exist"):
        load_library([tmp_path / "nope"])


def test_scoring_needs_every_criterion_and_prefers_ids() -> None:
    by_id = parse_template({"name": "a", "match": {"ids": ["SK2020123456"]}}, Path("a"))
    by_words = parse_template(
        {"name": "b", "match": {"keywords": ["stavmat", "bratislava"]}}, Path("b")
    )
    compact = "IČDPH:SK2020123456STAVMATBRATISLAVA"
    folded = "ič dph: sk 2020 123 456 stavmat bratislava"
    assert by_id.score(compact, folded) > by_words.score(compact, folded) > 0
    assert by_words.score(compact, "stavmat kosice") == 0
    assert by_id.score("SK2020999999", folded) == 0
