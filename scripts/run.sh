#!/usr/bin/env bash
# Installs NEX Automat into .venv and reads the invoices given (files or folders).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q .
exec .venv/bin/nex-automat extract "${@:-inbox}"
