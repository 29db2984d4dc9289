#!/usr/bin/env bash
# Run the portal locally with demo data: `make run`.
#
# 1. creates .venv (Python 3.11) and installs requirements-dev.txt when the
#    requirements changed;
# 2. compiles translations, migrates the SQLite database under var/ and
#    loads the demo data (idempotent);
# 3. starts Django's development server, prints the address and the demo
#    logins, then starts a Celery worker with beat embedded (the filesystem
#    broker under var/ needs no server);
# 4. stops both processes on Ctrl-C or when either of them exits.
#
# Environment: HOST (default 127.0.0.1), PORT (default 8000),
# CELERY_CONCURRENCY (default 2), NO_WORKER=1 to start no worker.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PROJECT_ROOT"

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

export DJANGO_SETTINGS_MODULE=portal.settings
export DJANGO_DEBUG=true
export PORTAL_DEMO_MODE=true
# Links in e-mails (printed to the console) point at this server.
export PORTAL_SITE_URL="${PORTAL_SITE_URL:-http://$HOST:$PORT}"
export PYTHONUNBUFFERED=1
mkdir -p "${PORTAL_VAR_DIR:-$PROJECT_ROOT/var}"

ensure_venv
ensure_eval_env
export PORTAL_SANDBOX_EVAL_VENV="$EVAL_ENV_DIR"
compile_translations
log "Migrating the database"
"$VENV_PY" manage.py migrate --noinput
log "Loading demo data"
"$VENV_PY" manage.py load_demo
"$VENV_PY" manage.py load_demo_suites
"$VENV_PY" manage.py load_demo_reviews
"$VENV_PY" manage.py load_demo_lifecycle --run-pending
"$VENV_PY" manage.py summarise_suite_bundles
# DEBUG is on, so runserver serves static files itself: no collectstatic.

declare -a CHILDREN=()

stop_children() {
    local pid
    trap - INT TERM EXIT
    if [ "${#CHILDREN[@]}" -eq 0 ]; then
        return
    fi
    echo
    echo "Stopping (pids ${CHILDREN[*]})..."
    for pid in "${CHILDREN[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    # Celery finishes running tasks on TERM (warm shutdown); give it time,
    # then make sure nothing lingers.
    for _ in $(seq 1 20); do
        local alive=0
        for pid in "${CHILDREN[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ "$alive" -eq 0 ] && break
        sleep 0.5
    done
    for pid in "${CHILDREN[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap stop_children EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "Starting the web server on http://$HOST:$PORT/"
"$VENV_PY" manage.py runserver "$HOST:$PORT" --noreload &
CHILDREN+=("$!")

# Wait until the server answers, so the banner comes after its start-up
# lines.
for _ in $(seq 1 60); do
    if "$VENV_PY" - "$HOST" "$PORT" <<'PY' 2>/dev/null; then
import socket
import sys

socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1).close()
PY
        break
    fi
    sleep 0.5
done

echo
echo "============================================================"
echo "  Energy AI Proving Ground is running at http://$HOST:$PORT/"
echo "  Admin: http://$HOST:$PORT/admin/"
echo "============================================================"
"$VENV_PY" manage.py load_demo --print-logins || warn "could not print the demo logins"

# The worker starts after the banner: the tasks it picks up at once (e-mails
# printed to the console) would otherwise bury the logins.
if [ "${NO_WORKER:-0}" != "1" ]; then
    log "Starting the Celery worker (beat embedded)"
    # One worker consumes both queues here; production runs separate
    # workers for "evaluation" (sandboxed runs) and "default".
    "$VENV_DIR/bin/celery" -A portal worker -B -l info -Q default,evaluation \
        --concurrency "${CELERY_CONCURRENCY:-2}" &
    CHILDREN+=("$!")
fi
echo
echo "Press Ctrl-C to stop."

# Return as soon as either process exits (or on Ctrl-C); the EXIT trap
# stops the other one.
status=0
wait -n "${CHILDREN[@]}" || status=$?
echo "Shutting down (exit status $status)."
exit "$status"
