#!/usr/bin/env bash
# ruff check, ruff format --check and mypy on the strict modules.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv
status=0
run_ruff || status=1
run_mypy || status=1
if [ "$status" -ne 0 ]; then
    echo "lint: FAILED"
else
    echo "lint: OK"
fi
exit "$status"
