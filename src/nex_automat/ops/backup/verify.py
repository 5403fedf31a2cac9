"""Proving a set can be restored: every checksum, and the database read back.

Each part of the set is hashed and compared with the manifest, every blob the set needs
is hashed and compared with its name, the configuration copy is opened when a key is
configured, and the database is read back: SQLite's copy checked with ``PRAGMA
integrity_check``, a PostgreSQL dump restored into a scratch database. The rows per table
must be those the manifest recorded. Every finding names the part it is about.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import make_url

from nex_automat.ops.backup.blobs import BlobStore
from nex_automat.ops.backup.catalogue import load_set
from nex_automat.ops.backup.crypto import unseal
from nex_automat.ops.backup.databases import CopyCheck, check_copy
from nex_automat.ops.backup.errors import BackupDamaged, BackupError
from nex_automat.ops.backup.layout import MANIFEST, BackupFolder, Progress, no_progress
from nex_automat.ops.backup.manifest import Manifest, Part, file_sha256, read_documents_index
from nex_automat.ops.config import Settings

CHECKING_FILES = "Checking the set's files"
CHECKING_DOCUMENTS = "Checking documents"
CHECKING_DATABASE = "Reading the database back"


@dataclass(frozen=True, slots=True)
class Finding:
    part: str
    """The file of the set (or ``blob <sha256>``) the problem is in."""
    problem: str


@dataclass
class VerifyReport:
    backup_id: str | None
    manifest: Manifest | None = None
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was not checked, and why (e.g. the configuration without a key)."""
    documents_checked: int = 0
    tables: dict[str, int] | None = None
    """Rows per table as read back from the copy."""

    @property
    def ok(self) -> bool:
        return not self.findings


def verify_backup(
    settings: Settings, backup_id: str | None = None, *, on_progress: Progress = no_progress
) -> VerifyReport:
    """Check the set ``backup_id`` (the newest when ``None``); never changes the set."""
    root = settings.backup_dir
    try:
        manifest = load_set(root, backup_id)
    except BackupDamaged as error:
        return VerifyReport(backup_id, findings=[Finding(MANIFEST, error.message)])
    report = VerifyReport(manifest.id, manifest)
    folder = BackupFolder(root)
    directory = folder.set_dir(manifest.id)
    on_progress(CHECKING_FILES, 0, len(manifest.parts()))
    for done, part in enumerate(manifest.parts(), start=1):
        problem = part_problem(directory, part)
        if problem is not None:
            report.findings.append(Finding(part.file, problem))
        on_progress(CHECKING_FILES, done, len(manifest.parts()))
    damaged = {finding.part for finding in report.findings}
    if manifest.documents_index.file not in damaged:
        _check_documents(report, directory / manifest.documents_index.file, folder, on_progress)
    if manifest.config is not None and manifest.config.file not in damaged:
        _check_config(report, settings, directory / manifest.config.file)
    elif manifest.config is None:
        report.notes.append(f"configuration: {manifest.config_note}")
    if manifest.database.file in damaged:
        report.notes.append("database: not read back, its file does not match its checksum")
    else:
        _check_database(report, settings, manifest, directory, on_progress)
    return report


def part_problem(directory: Path, part: Part) -> str | None:
    """Why ``part`` is not the file the manifest describes, or ``None`` when it is."""
    try:
        sha256, size = file_sha256(directory / part.file)
    except FileNotFoundError:
        return "missing"
    if sha256 != part.sha256:
        return f"SHA-256 {sha256} does not match the manifest's {part.sha256} ({size} bytes)"
    return None


def _check_documents(
    report: VerifyReport, index: Path, folder: BackupFolder, on_progress: Progress
) -> None:
    try:
        entries = read_documents_index(index)
    except BackupDamaged as error:
        report.findings.append(Finding(index.name, error.message))
        return
    paths: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        paths[entry.sha256].append(entry.path)
    blobs = BlobStore(folder.blobs_dir)
    on_progress(CHECKING_DOCUMENTS, 0, len(paths))
    for done, (sha256, used_by) in enumerate(sorted(paths.items()), start=1):
        if not blobs.path(sha256).is_file():
            report.findings.append(Finding(f"blob {sha256}", f"missing (document {used_by[0]})"))
        elif not blobs.intact(sha256):
            report.findings.append(
                Finding(
                    f"blob {sha256}",
                    f"its content does not match its SHA-256 (document {used_by[0]})",
                )
            )
        on_progress(CHECKING_DOCUMENTS, done, len(paths))
    report.documents_checked = len(entries)


def _check_config(report: VerifyReport, settings: Settings, sealed: Path) -> None:
    key = settings.backup.encryption_key()
    if key is None:
        report.notes.append("configuration: not opened, no backup key is configured")
        return
    try:
        unseal(key, sealed.read_bytes())
    except BackupError as error:
        report.findings.append(Finding(sealed.name, error.message))


def _check_database(
    report: VerifyReport,
    settings: Settings,
    manifest: Manifest,
    directory: Path,
    on_progress: Progress,
) -> None:
    part = manifest.database.file
    url = settings.effective_database_url()
    if manifest.database_kind == "postgresql" and make_url(url).get_backend_name() != "postgresql":
        report.findings.append(
            Finding(part, "not read back: a PostgreSQL server is needed (set database_url)")
        )
        return
    on_progress(CHECKING_DATABASE, 0, None)
    try:
        check = check_copy(manifest, directory, url, tools=settings.backup.pg_tools_dir)
    except BackupError as error:
        report.findings.append(Finding(part, error.message))
        return
    on_progress(CHECKING_DATABASE, 1, 1)
    report.findings.extend(Finding(part, problem) for problem in check.problems)
    if not check.problems:
        report.tables = check.tables
        report.findings.extend(Finding(part, problem) for problem in differences(manifest, check))


def differences(manifest: Manifest, check: CopyCheck) -> list[str]:
    """How a database read back differs from what the manifest recorded."""
    found = []
    for table in sorted(set(manifest.tables) | set(check.tables)):
        expected, actual = manifest.tables.get(table), check.tables.get(table)
        if expected != actual:
            found.append(
                f"table {table}: {_rows(actual)} read back, the manifest says {_rows(expected)}"
            )
    if check.revision != manifest.schema_revision:
        found.append(
            f"schema revision {check.revision} read back, the manifest says "
            f"{manifest.schema_revision}"
        )
    return found


def _rows(count: int | None) -> str:
    return "no such table" if count is None else f"{count} rows"
