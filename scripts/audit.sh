#!/usr/bin/env bash
# Checks every installed dependency against the published advisories (pip-audit).
# It asks pypi.org's JSON API (or api.osv.dev with `--vulnerability-service osv`), so it needs
# that route; `--strict` makes a dependency that could not be checked a failure, not a pass.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install -q -e . pip-audit
.venv/bin/pip-audit --strict --skip-editable --progress-spinner off "$@"
