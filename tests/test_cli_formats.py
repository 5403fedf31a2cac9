"""The command with e-invoices: structured data is read exactly, written and validated."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from facturx import generate_from_binary

from nex_automat.formats.cii import write_cii
from tests.formats.containers import pdf_with_attachments
from tests.invoicegen import FAMILIES, generate
from tests.test_cli import json_lines, run

SAMPLES_READ = {
    "isdoc/sample.isdoc": "isdoc",
    "isdoc/multi-partytax.isdoc": "isdoc",
    "isdoc/sample-namespaced-references.isdoc": "isdoc",
    "isdoc/sample-no-reference.isdoc": "isdoc",
    "isdoc/no-vat-applicable.isdoc": "isdoc",
    "ubl/base-example.xml": "ubl",
    "ubl/base-creditnote-correction.xml": "ubl",
    "ubl/Allowance-example.xml": "ubl",
}


@pytest.mark.parametrize(("sample", "method"), sorted(SAMPLES_READ.items()))
def test_extract_reads_e_invoices_from_their_xml(
    shared_dir: Path, sample: str, method: str, contract_schema: dict[str, Any]
) -> None:
    completed = run("extract", shared_dir / "samples" / sample, "--json")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    (obj,) = json_lines(completed.stdout)
    jsonschema.validate(obj, contract_schema)
    assert obj["source"]["method"] == method
    assert obj["source"]["pages"] is None
    assert obj["invoice"]["number"]
    assert obj["invoice"]["lines"]


def test_a_common_document_is_refused_as_unsupported(shared_dir: Path) -> None:
    completed = run("extract", shared_dir / "samples/isdoc/sample-commondocument.isdoc", "--json")
    assert completed.returncode == 1
    (obj,) = json_lines(completed.stdout)
    assert obj["error"]["code"] == "unsupported_format"
    assert "CommonDocument" in obj["error"]["message"]


def test_a_factur_x_pdf_is_read_from_its_xml_not_its_page(tmp_path: Path) -> None:
    generated = generate(3, FAMILIES[0])
    path = tmp_path / "facturx.pdf"
    path.write_bytes(generate_from_binary(generated.pdf, write_cii(generated.invoice)))
    completed = run("extract", path, "--json")
    assert completed.returncode == 0, completed.stderr
    (obj,) = json_lines(completed.stdout)
    assert obj["source"]["method"] == "cii"
    assert obj["source"]["pages"] == 1
    assert obj["invoice"]["number"] == generated.invoice.number
    assert obj["invoice"]["amount_due"] == f"{generated.invoice.amount_due:.2f}"


def test_an_isdoc_pdf_is_read_from_its_attachment(shared_dir: Path, tmp_path: Path) -> None:
    isdoc = (shared_dir / "samples/isdoc/sample.isdoc").read_bytes()
    path = tmp_path / "isdoc.pdf"
    path.write_bytes(pdf_with_attachments({"faktura.isdoc": isdoc}))
    completed = run("extract", path, "--json")
    (obj,) = json_lines(completed.stdout)
    assert obj["source"]["method"] == "isdoc"


def test_xml_declaring_entities_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        "<Invoice>&c;</Invoice>"
    )
    started = time.perf_counter()
    completed = run("extract", path, "--json")
    assert time.perf_counter() - started < 20
    (obj,) = json_lines(completed.stdout)
    assert obj["error"]["code"] == "xml_entities_refused"


@pytest.mark.parametrize("target", ["isdoc", "ubl", "cii"])
def test_a_printed_invoice_converts_to_a_valid_e_invoice(
    tmp_path: Path, shared_dir: Path, target: str
) -> None:
    pdf = tmp_path / "faktura.pdf"
    pdf.write_bytes(generate(5, FAMILIES[1]).pdf)
    out = tmp_path / f"faktura.{target}.xml"
    converted = run("convert", pdf, "--to", target, "-o", out)
    assert converted.returncode == 0, converted.stderr
    xsd = shared_dir / "standards/isdoc/isdoc-invoice-6.0.2.xsd"
    validated = run("validate", out, "--isdoc-xsd", xsd)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert f"{target}, valid" in validated.stderr


def test_convert_without_output_writes_the_xml_to_stdout(tmp_path: Path) -> None:
    pdf = tmp_path / "faktura.pdf"
    pdf.write_bytes(generate(2, FAMILIES[2]).pdf)
    completed = run("convert", pdf, "--to", "ubl")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("<?xml")
    assert "urn:fdc:peppol.eu:2017:poacc:billing:3.0" in completed.stdout


def test_validate_lists_each_violation_with_rule_and_location(shared_dir: Path) -> None:
    xsd = shared_dir / "standards/isdoc/isdoc-invoice-6.0.2.xsd"
    completed = run(
        "validate", shared_dir / "samples/isdoc/no-vat-applicable.isdoc", "--isdoc-xsd", xsd
    )
    assert completed.returncode == 1
    rule, location, message = completed.stdout.splitlines()[0].split("\t")
    assert rule == "ISDOC-XSD"
    assert location.startswith("/")
    assert "not expected" in message


def test_validate_refuses_what_is_not_an_e_invoice(tmp_path: Path) -> None:
    path = tmp_path / "note.xml"
    path.write_text("<note>hello</note>")
    completed = run("validate", path)
    assert completed.returncode == 1
    assert "unsupported_format" in completed.stderr
