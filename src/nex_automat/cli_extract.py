"""``extract``, ``convert`` and ``validate``: invoices read and written without an installation."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from nex_automat.console import print_json_line, progress_bar, render_failure, render_result
from nex_automat.domain.model import Invoice
from nex_automat.errors import DocumentTooLarge, FileNotFound, NexError, TemplateError
from nex_automat.extract.contract import failure_json, success_json
from nex_automat.extract.document import DEFAULT_MAX_PAGES, ExtractOptions, extract_document
from nex_automat.extract.templates import TemplateLibrary, default_library
from nex_automat.files import expand_documents, write_atomically
from nex_automat.formats.cii import write_cii
from nex_automat.formats.isdoc import write_isdoc
from nex_automat.formats.ubl import write_ubl
from nex_automat.formats.validation import validate_document


def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="PDF, ISDOC, ISDOCX, UBL or CII files, or folders: every such file in them."
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per file (JSON Lines) on stdout.")
    ] = False,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            envvar="NEX_TEMPLATES_DIR",
            help="Folder of supplier templates (*.yaml) added to the shipped ones.",
        ),
    ] = None,
    max_pages: Annotated[
        int, typer.Option(min=1, help="Refuse documents with more pages than this.")
    ] = DEFAULT_MAX_PAGES,
) -> None:
    """Read supplier invoices and print what they say, with warnings for what looks wrong."""
    err = Console(stderr=True)
    try:
        library = default_library(templates)
    except TemplateError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from exc
    files = list(expand_documents(paths))
    options = ExtractOptions(max_pages=max_pages)
    out = Console(highlight=False)
    failed = False
    with progress_bar(err, show=len(files) > 1 or any(p.is_dir() for p in paths)) as progress:
        task = progress.add_task("Reading invoices", total=len(files))
        for path in files:
            progress.update(task, description=f"Reading {path.name}")
            failed |= not _extract_one(path, library, options, as_json=as_json, out=out)
            progress.advance(task)
    raise typer.Exit(1 if failed else 0)


class Target(StrEnum):
    isdoc = "isdoc"
    ubl = "ubl"
    cii = "cii"


WRITERS: dict[Target, Callable[[Invoice], bytes]] = {
    Target.isdoc: write_isdoc,
    Target.ubl: write_ubl,
    Target.cii: write_cii,
}


def convert(
    path: Annotated[Path, typer.Argument(help="A PDF or e-invoice to convert.")],
    to: Annotated[Target, typer.Option("--to", help="The format to write.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", envvar="NEX_TEMPLATES_DIR", help="Supplier templates folder."),
    ] = None,
) -> None:
    """Read any invoice NEX Automat understands and write it as ISDOC, UBL or CII."""
    err = Console(stderr=True)
    options = ExtractOptions()
    try:
        result = extract_document(
            _read(path, options), templates=default_library(templates), options=options
        )
        xml = WRITERS[to](result.invoice)
    except NexError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(2 if isinstance(exc, TemplateError) else 1) from exc
    if output is None:
        sys.stdout.buffer.write(xml)
        sys.stdout.buffer.flush()
    else:
        write_atomically(output, xml)
        err.print(f"{path} → {output} ({to.value}, {result.method})")


def validate(
    path: Annotated[Path, typer.Argument(help="An ISDOC, UBL or CII XML file.")],
    isdoc_xsd: Annotated[
        Path | None,
        typer.Option(
            "--isdoc-xsd",
            envvar="NEX_ISDOC_XSD",
            help="The official ISDOC 6.0.2 XSD; without it ISDOC is checked by its rules only.",
        ),
    ] = None,
) -> None:
    """Check an e-invoice against its standard; exit 1 when it is not valid."""
    err = Console(stderr=True)
    try:
        report = validate_document(_read(path, ExtractOptions()), isdoc_xsd=isdoc_xsd)
    except NexError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(1) from exc
    for violation in report.violations:
        sys.stdout.write(f"{violation.rule_id}\t{violation.location or '-'}\t{violation.message}\n")
    verdict = "valid" if report.valid else f"{len(report.violations)} violation(s)"
    if report.format == "isdoc" and isdoc_xsd is None:
        verdict += " (ISDOC rules only: no --isdoc-xsd given)"
    err.print(f"{path}: {report.format}, {verdict}")
    raise typer.Exit(0 if report.valid else 1)


def _extract_one(
    path: Path, library: TemplateLibrary, options: ExtractOptions, *, as_json: bool, out: Console
) -> bool:
    name = str(path)
    try:
        result = extract_document(_read(path, options), templates=library, options=options)
    except NexError as exc:
        if as_json:
            print_json_line(failure_json(name, exc))
        else:
            out.print(render_failure(name, exc))
        return False
    if as_json:
        print_json_line(success_json(name, result))
    else:
        out.print(render_result(name, result))
    return True


def _read(path: Path, options: ExtractOptions) -> bytes:
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise DocumentTooLarge(
                f"the file has {size} bytes, more than the limit of {options.max_bytes}"
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise FileNotFound(f"{path} does not exist") from exc
    except IsADirectoryError as exc:
        raise FileNotFound(f"{path} is a folder, not a file") from exc
    except OSError as exc:
        raise FileNotFound(f"{path} cannot be read: {exc.strerror}") from exc
