"""A new installation: its data folder, a commented config file, the database, a first key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nex_automat.files import write_atomically
from nex_automat.ops.config import Settings
from nex_automat.ops.upgrade import upgrade_database
from nex_automat.store.apikeys import create_api_key, list_api_keys
from nex_automat.store.db import open_database
from nex_automat.store.tenants import ensure_tenant

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

# Logs go to stderr (the journal under systemd); with file, also to a rotated file.
# logging:
#   level: INFO               # DEBUG, INFO, WARNING or ERROR
#   format: console           # console for people, json for a log collector
#   file: logs/nex-automat.log   # relative to this folder
#   rotate: daily             # daily (at midnight) or size (at max_megabytes)
#   max_megabytes: 50
#   keep: 14                  # rotated files kept

# Thresholds of /ready, `nex-automat doctor` and the alerts.
# health:
#   min_free_disk_mb: 1024        # less free space where the documents are: not ready
#   max_queue_wait_minutes: 30    # a document waiting longer: the queue is backlogged
#   mailbox_stale_minutes: 15     # no good poll for longer (or 3 poll intervals)
#   backup_stale_hours: 26        # the last good backup older than this: stale

# /metrics (Prometheus) needs no API key; list the networks allowed to scrape it.
# metrics:
#   allow_networks: [127.0.0.1/32, 10.0.0.0/8]   # empty: every client

# On stop, how long requests and jobs in hand get to finish (a job not done by then is
# queued again for the next start).
# shutdown_seconds: 20

# PostgreSQL only: leave processing to `nex-automat worker` processes on any number of
# machines sharing the database and the documents folder; `serve` then runs no workers.
# A worker silent for worker_stalled_seconds is taken for dead; its jobs are queued again.
# external_workers: false
# worker_stalled_seconds: 30

# E-mail: alerts to whoever runs this installation (processing failures, queue backlog,
# low disk, database or mailbox unreachable, backups failing or late), a daily summary
# per tenant, and a notice to reviewers when invoices wait too long. Without this
# section no mail is sent. Try it with `nex-automat notify test`.
# notifications:
#   base_url: https://faktury.example.sk   # where people open NEX Automat; links in mail
#   recipients: [spravca@integrator.sk]     # alerts and summaries, unless they name their own
#   language: sk                            # sk, cs or en
#   smtp:
#     host: smtp.example.sk
#     security: starttls      # starttls (port 587), tls (465) or plain (25, local relay only)
#     # port: 587             # default: the usual port of security
#     user: nex@example.sk    # leave out for a relay that needs no login
#     password_file: /etc/nex-automat/smtp-password   # or NEX_NOTIFICATIONS__SMTP__PASSWORD
#     sender: "NEX Automat <nex@example.sk>"
#     # ca_file: /etc/nex-automat/relay-ca.pem       # a relay's own CA, besides the system's
#     timeout_seconds: 30
#   alerts:
#     check_minutes: 5        # how often problems are looked for
#     cooldown_minutes: 60    # an alert still active is mailed again after this long
#     failure_window_minutes: 60   # failed documents this recent keep that alert active
#     backlog_jobs: 200       # more documents waiting than this is a backlog
#     # recipients: [...]     # default: notifications.recipients
#     # free disk, queue wait, mailbox and backup age: the thresholds under health:
#   summary:
#     at: "07:00"             # local time, in quotes; null sends no summary
#     # recipients: [...]     # default: notifications.recipients
#   review_notice:
#     after_hours: 24         # invoices waiting for review longer than this; null: no notice
#     repeat_hours: 24
#     roles: [operator, approver]   # their users named by an e-mail address get it,
#     # recipients: [...]           # unless reviewers are listed here

# Tenants (`nex-automat tenant list`): what a customer has of its own; a key left out is
# the installation's. In the environment: NEX_TENANTS__<ID>__LANGUAGE and so on.
# tenants:
#   stavmat:
#     language: cs                                # its mail and its new users' UI
#     summary_recipients: [uctaren@stavmat.sk]    # instead of the installation's
#     review_notice_recipients: [nakup@stavmat.sk]   # instead of review_notice's choice
#     alert_recipients: [it@stavmat.sk]    # its processing failures, besides the installation's
#     api_requests_per_minute: 600         # its API keys, instead of the installation's rate
#     api_burst: 100

# Backups: the database, the document files (only new ones each night) and this file,
# encrypted. The service takes one every night and keeps the newest of each of the last
# 7 days, 4 weeks and 12 months. Put them on another disk than the data.
# backup:
#   dir: /mnt/backup/nex-automat      # default: the "backups" folder in this folder
#   daily_at: "02:00"                 # local time, in quotes; null turns it off
#   verify: true                      # read each nightly backup back (a scratch restore)
#   key_file: /etc/nex-automat/backup-key   # or NEX_BACKUP__KEY; without a key this file
#                                           # is left out of backups (a warning says so)
#   keep:
#     daily: 7
#     weekly: 4
#     monthly: 12
#     pre_upgrade: 2                  # backups taken before a schema upgrade
#   pg_tools_dir: "C:/Program Files/PostgreSQL/16/bin"   # when pg_dump is not on the PATH

# Hand-over to the ERP: every approved invoice is delivered by each connector of its
# tenant, as a receipt (príjemka), new product cards and price changes. A failed try is
# repeated after backoff_seconds, doubling each time, up to attempts tries in all.
# exports:
#   - name: erp-import                # unique within the tenant
#     kind: folder                    # files appear whole (written, then renamed)
#     tenant: default
#     path: /srv/erp/import           # must exist
#     formats: [isdoc, csv]           # isdoc, ubl, csv, xlsx, json
#     language: sk                    # CSV/XLSX labels and separators: sk, cs or en
#   - name: erp-webhook
#     kind: webhook                   # POST of JSON, signed with HMAC-SHA256
#     url: https://erp.example.sk/nex/handover
#     secret_file: /etc/nex-automat/webhook-secret   # or NEX_EXPORTS__1__SECRET
#     timeout_seconds: 10
#     attempts: 5
#     backoff_seconds: 30
#     max_backoff_seconds: 3600

# Catalogue sync from an ERP's HTTP JSON interface: groups, products, barcodes and
# partners upserted as by `nex-automat catalog import`. Run now: `nex-automat catalog sync`.
# catalog_sync:
#   - name: erp                       # unique within the tenant
#     tenant: default
#     api_key_header: X-API-Key
#     api_key_file: /etc/nex-automat/erp-key   # or NEX_CATALOG_SYNC__0__API_KEY
#     interval_minutes: 60            # or daily_at: "03:30"
#     skip_invalid: true              # write the good records when some are bad
#     kinds:
#       products:
#         url: https://erp.example.sk/api/products
#         records: data.items         # where the list is in each answer; none: the answer
#         fields:                     # our field: JSON path; none: keys named like ours
#           code: plu
#           name: nazov
#           group: skupina.kod
#           purchase_price: ceny.nakupna
#         pagination: {style: page, param: page, size_param: per_page, size: 500}
#       partners:
#         url: https://erp.example.sk/api/partners
#         pagination: {style: next_link, next_field: links.next}
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
        upgrade_database(settings, db)
        ensure_tenant(db, settings.default_tenant)
        with db.session() as session:
            key = None
            if not list_api_keys(session, settings.default_tenant):
                key = create_api_key(session, settings.default_tenant, "first key").secret
    finally:
        db.dispose()
    return InitReport(settings.config_file, written, url, key)
