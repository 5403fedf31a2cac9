#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
    fonts-dejavu-core fonts-liberation2 dovecot-imapd
    tesseract-ocr tesseract-ocr-slk tesseract-ocr-ces tesseract-ocr-eng
    chromium
    systemd  # systemd-analyze checks the service unit nex-automat writes
)
missing=()
for pkg in "${apt_packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# The storage tests run against a real PostgreSQL on 127.0.0.1:5432 (trust auth).
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    for version in /etc/postgresql/*; do
        pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start || true
    done
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[dev]'

.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
# One worker per core; a worker steals queued tests from a busier one near the end, and each
# keeps whole runs of a module together, so module fixtures are rarely set up twice.
.venv/bin/pytest --numprocesses auto --dist worksteal "$@"
