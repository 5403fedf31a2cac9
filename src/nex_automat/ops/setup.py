"""A new installation: its data folder, a commented config file, the database, a first key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nex_automat.files import write_atomically
from nex_automat.ops.config import Settings
from nex_automat.pipeline.services import ensure_tenant
from nex_automat.store.apikeys import create_api_key, list_api_keys
from nex_automat.store.db import open_database

CONFIG_TEMPLATE = """\
# NEX Automat configuration.
#
# Every key can also be set in the environment as NEX_<KEY> (nested keys with "__", e.g.
# NEX_MAILBOXES__0__PASSWORD); the environment wins over this file. Secrets (passwords)
# belong in the environment or in a file named by *_file, never here.

# Database. Empty means SQLite in this folder (nex-automat.db), which needs no server.
# PostgreSQL: postgresql+psycopg://user@host:5432/database
# database_url:

# Where the HTTP API listens.
# host: 127.0.0.1
# port: 8000

# Largest document accepted, in bytes, and the most pages read from one PDF.
# upload_max_bytes: 26214400
# max_pages: 300

# Documents processed at the same time.
# workers: 2

# Folder of your own supplier templates (*.yaml), added to the shipped ones.
# templates_dir: /srv/nex-automat/templates

# The tenant documents belong to when nothing else says.
# default_tenant: default

# Mailboxes polled for invoices (PDF, ISDOC, ISDOCX, XML attachments and ZIPs of them).
# mailboxes:
#   - name: faktury
#     host: imap.example.sk
#     port: 993
#     security: ssl          # ssl, starttls or plain
#     user: faktury@example.sk
#     password_file: /etc/nex-automat/imap-password   # or NEX_MAILBOXES__0__PASSWORD
#     folder: INBOX
#     allowed_senders: ["@dodavatel.sk", "fakturacia@stavmat.sk"]   # empty: everyone
#     processed_folder: Processed
#     rejected_folder: Rejected
#     poll_seconds: 60

# Folders watched for files; each file is ingested, then moved to processed/ or failed/.
# folders:
#   - path: /srv/nex-automat/inbox
#     poll_seconds: 5
"""


@dataclass(frozen=True, slots=True)
class InitReport:
    config_file: Path
    config_written: bool
    database_url: str
    api_key: str | None
    """The first API key, shown once; ``None`` when the tenant already had keys."""


def initialise(settings: Settings) -> InitReport:
    """Prepare the installation ``settings`` describe; running it again changes nothing."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.documents_dir.mkdir(parents=True, exist_ok=True)
    written = not settings.config_file.exists()
    if written:
        write_atomically(settings.config_file, CONFIG_TEMPLATE.encode(), mode=0o600)
    url = settings.effective_database_url()
    db = open_database(url)
    try:
        db.upgrade()
        ensure_tenant(db, settings.default_tenant)
        with db.session() as session:
            key = None
            if not list_api_keys(session, settings.default_tenant):
                key = create_api_key(session, settings.default_tenant, "first key").secret
    finally:
        db.dispose()
    return InitReport(settings.config_file, written, url, key)
