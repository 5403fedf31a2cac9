#!/usr/bin/env bash
# Installs NEX Automat into .venv and runs the service on http://127.0.0.1:8000 with its
# data (SQLite database, documents, config.yaml) in ./data. The first run prints the first
# API key once; later runs keep the installation as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q .
export NEX_DATA_DIR="${NEX_DATA_DIR:-$PWD/data}"
.venv/bin/nex-automat init
exec .venv/bin/nex-automat serve "$@"
