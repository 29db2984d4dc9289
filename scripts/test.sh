#!/usr/bin/env bash
# Run every check the project has, in order, and print a summary:
#
#   1. ruff check and ruff format --check
#   2. mypy on the strict modules
#   3. pytest on SQLite: all tests, browser (e2e) tests included
#   4. pytest on PostgreSQL: everything but the browser tests, when a
#      server is available (TEST_DATABASE_URL), or started here (CI=true,
#      or TEST_POSTGRES=start)
#
# A failing step does not stop the later ones; the script exits non-zero if
# any step failed. Extra arguments go to both pytest runs, for example
#   scripts/test.sh -k login -x
#
# Environment:
#   CI=true               missing Chromium is an error; PostgreSQL is started
#   TEST_DATABASE_URL     run the PostgreSQL pass against this server
#   TEST_POSTGRES=start   start a throwaway PostgreSQL outside CI too
#   TEST_POSTGRES=skip    never run the PostgreSQL pass
#   PORTAL_CHROMIUM       browser for e2e tests (default /usr/bin/chromium)
#   PYTEST_WORKERS        pytest-xdist workers (default auto; 0 = no xdist)
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/start_test_postgres.sh
source "$PROJECT_ROOT/scripts/start_test_postgres.sh"

cd "$PROJECT_ROOT"

# The caller's DATABASE_URL (a development database, say) is never used:
# the SQLite pass uses the default, the PostgreSQL pass TEST_DATABASE_URL or
# a throwaway server.
unset DATABASE_URL

CI="${CI:-false}"
CHROMIUM="${PORTAL_CHROMIUM:-/usr/bin/chromium}"
export PORTAL_CHROMIUM="$CHROMIUM"
PYTEST_WORKERS="${PYTEST_WORKERS:-auto}"

declare -a RESULTS=()
FAILED=0

record() {  # record NAME STATUS
    RESULTS+=("$1: $2")
    if [ "$2" = "FAIL" ]; then
        FAILED=1
    fi
}

cleanup() {
    stop_test_postgres
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Run pytest; exit code 5 (nothing collected) counts as a failure, because
# a run that tests nothing must never look like a pass.
run_pytest() {  # run_pytest LABEL ARGS...
    local label="$1" code=0
    shift
    local -a xdist=()
    if [ "$PYTEST_WORKERS" != "0" ] && "$VENV_PY" -c 'import xdist' 2>/dev/null; then
        xdist=(-n "$PYTEST_WORKERS")
    fi
    log "pytest ($label)"
    "$VENV_PY" -m pytest "${xdist[@]}" "$@" || code=$?
    case "$code" in
        0) record "pytest $label" PASS ;;
        5)
            echo "pytest ($label) collected no tests: treated as a failure."
            record "pytest $label" FAIL
            ;;
        *) record "pytest $label" FAIL ;;
    esac
}

is_ci() {
    case "$CI" in
        true | 1 | yes) return 0 ;;
        *) return 1 ;;
    esac
}

# --- 0. Environment ---------------------------------------------------------
ensure_venv
# The engine's end-to-end tests run solutions in the real sandbox with the
# evaluation environment.
ensure_eval_env
if compile_translations; then
    record "translations" PASS
else
    record "translations" FAIL
fi

# --- 1-2. Static checks -----------------------------------------------------
if run_ruff; then record "ruff" PASS; else record "ruff" FAIL; fi
if run_mypy; then record "mypy" PASS; else record "mypy" FAIL; fi

# --- 3. pytest on SQLite ----------------------------------------------------
sqlite_marker=()
if [ -x "$CHROMIUM" ]; then
    echo "Browser tests use $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
elif is_ci; then
    echo "ERROR: $CHROMIUM is missing; CI must install Debian's chromium (see .ci/run)."
    record "chromium" FAIL
    sqlite_marker=(-m "not e2e")
else
    echo "NOTE: $CHROMIUM not found, so the browser (e2e) tests are skipped."
    echo "      Install it with: apt-get install chromium chromium-driver"
    sqlite_marker=(-m "not e2e")
fi
run_pytest sqlite "${sqlite_marker[@]}" "$@"

# --- 4. pytest on PostgreSQL ------------------------------------------------
pg_mode="skip"
if [ "${TEST_POSTGRES:-}" = "skip" ]; then
    pg_mode="skip"
elif [ -n "${TEST_DATABASE_URL:-}" ]; then
    pg_mode="given"
elif is_ci || [ "${TEST_POSTGRES:-}" = "start" ]; then
    pg_mode="start"
fi

case "$pg_mode" in
    given)
        export DATABASE_URL="$TEST_DATABASE_URL"
        run_pytest postgres -m "postgres or not e2e" "$@"
        ;;
    start)
        log "Starting a throwaway PostgreSQL"
        if start_test_postgres; then
            run_pytest postgres -m "postgres or not e2e" "$@"
        else
            record "pytest postgres" FAIL
        fi
        stop_test_postgres
        ;;
    *)
        echo
        echo "NOTE: PostgreSQL pass skipped (set TEST_DATABASE_URL, or TEST_POSTGRES=start)."
        record "pytest postgres" SKIPPED
        ;;
esac

# --- Summary ----------------------------------------------------------------
log "Summary"
for line in "${RESULTS[@]}"; do
    echo "  $line"
done
if [ "$FAILED" -ne 0 ]; then
    echo "test.sh: FAILED"
    exit 1
fi
echo "test.sh: all checks passed"
