# shellcheck shell=bash
# Shared helpers for scripts/run.sh, scripts/test.sh and scripts/lint.sh.
# Source it; it does not run anything by itself.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Project root: the folder that holds manage.py.
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_DIR="${VENV_DIR:-$PROJECT_ROOT/.venv}"
VENV_PY="$VENV_DIR/bin/python"
REQUIRED_PYTHON="3.11"

log() {
    printf '\n==> %s\n' "$*"
}

warn() {
    printf 'WARNING: %s\n' "$*" >&2
}

die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Print the path of a Python 3.11 interpreter, or fail with a clear message.
find_python311() {
    local candidate version
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        version="$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
        if [ "$version" = "$REQUIRED_PYTHON" ]; then
            command -v "$candidate"
            return 0
        fi
    done
    die "Python $REQUIRED_PYTHON is required (Django 5.2 is pinned for it). Install python3.11, or set PYTHON=/path/to/python3.11."
}

# Hash of the requirements files, used to decide whether pip must run.
requirements_hash() {
    cat "$PROJECT_ROOT"/requirements*.txt | sha256sum | cut -d' ' -f1
}

# Create .venv with Python 3.11 if it is missing, and install
# requirements-dev.txt when the requirements files changed since the last
# successful install (a stamp file inside .venv records their hash).
ensure_venv() {
    local stamp="$VENV_DIR/.requirements.sha256" want have=""
    if [ -x "$VENV_PY" ]; then
        local venv_version
        venv_version="$("$VENV_PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
        if [ "$venv_version" != "$REQUIRED_PYTHON" ]; then
            die "$VENV_DIR uses Python ${venv_version:-unknown}, not $REQUIRED_PYTHON. Remove it and run again."
        fi
    else
        local python
        python="$(find_python311)"
        log "Creating $VENV_DIR with $python"
        "$python" -m venv "$VENV_DIR"
    fi
    want="$(requirements_hash)"
    [ -f "$stamp" ] && have="$(cat "$stamp")"
    if [ "$want" != "$have" ]; then
        local pip_log="$VENV_DIR/pip-install.log"
        log "Installing requirements-dev.txt (log: $pip_log)"
        # pip's output goes to a log, shown only when the install fails.
        if ! { "$VENV_PY" -m pip install --disable-pip-version-check --upgrade pip \
            && "$VENV_PY" -m pip install --disable-pip-version-check \
                -r "$PROJECT_ROOT/requirements-dev.txt"; } >"$pip_log" 2>&1; then
            tail -n 40 "$pip_log" >&2
            die "pip install failed; full log in $pip_log"
        fi
        printf '%s\n' "$want" >"$stamp"
    fi
    export PATH="$VENV_DIR/bin:$PATH"
}

# The evaluation environment that vendor solutions run in, inside the
# sandbox: a virtualenv built from the system Python (readable by the
# sandbox's unprivileged user, unlike a Python under root's home) with the
# pinned packages of requirements-eval.txt. Bound read-only at /venv.
EVAL_ENV_DIR="${PORTAL_SANDBOX_EVAL_VENV:-$PROJECT_ROOT/var/eval-env}"

ensure_eval_env() {
    local stamp="$EVAL_ENV_DIR/.requirements.sha256" want have=""
    local system_python="${PORTAL_SANDBOX_PYTHON:-/usr/bin/python3}"
    if [ ! -x "$system_python" ]; then
        warn "$system_python is missing: solutions cannot be evaluated (apt-get install python3 python3-venv)."
        return 0
    fi
    want="$(sha256sum "$PROJECT_ROOT/requirements-eval.txt" | cut -d' ' -f1)"
    [ -f "$stamp" ] && have="$(cat "$stamp")"
    if [ "$want" = "$have" ] && [ -x "$EVAL_ENV_DIR/bin/python3" ]; then
        return 0
    fi
    log "Building the evaluation environment in $EVAL_ENV_DIR (log: $EVAL_ENV_DIR.log)"
    rm -rf "$EVAL_ENV_DIR"
    mkdir -p "$(dirname "$EVAL_ENV_DIR")"
    chmod 0755 "$(dirname "$EVAL_ENV_DIR")"
    if ! { "$system_python" -m venv "$EVAL_ENV_DIR" \
        && "$EVAL_ENV_DIR/bin/python3" -m pip install --disable-pip-version-check \
            -r "$PROJECT_ROOT/requirements-eval.txt"; } >"$EVAL_ENV_DIR.log" 2>&1; then
        tail -n 40 "$EVAL_ENV_DIR.log" >&2
        die "building the evaluation environment failed; full log in $EVAL_ENV_DIR.log"
    fi
    chmod -R a+rX "$EVAL_ENV_DIR"
    printf '%s\n' "$want" >"$stamp"
}

# Compile locale/*/LC_MESSAGES/django.po to .mo (the .mo files are not
# committed). Needs the compile_translations management command.
compile_translations() {
    log "Compiling translations"
    (cd "$PROJECT_ROOT" && tool_settings_env && "$VENV_PY" manage.py compile_translations)
}

# Strict-typed modules (house style section 10) that exist in the tree.
strict_mypy_targets() {
    local path
    for path in \
        portal/accounts/services.py \
        portal/accounts/selectors.py \
        portal/accounts/authentication.py \
        portal/ledger/hashing.py \
        portal/ledger/services.py \
        portal/ledger/selectors.py \
        scenarios/services.py \
        scenarios/dataset_services.py \
        portal/accounts/tasks.py \
        evaluations/services.py \
        evaluations/execution.py \
        evaluations/selectors.py \
        evaluations/tasks.py \
        evaluations/scoring.py \
        evaluations/leaderboard.py \
        evaluations/suites.py \
        evaluations/runners \
        evaluations/metrics \
        evaluations/baselines.py \
        evaluations/intake \
        evaluations/outputs.py \
        evaluations/probes.py \
        evaluations/public_inputs.py \
        evaluations/demo_suites \
        evaluations/suite_services.py \
        evaluations/suite_selectors.py \
        reviews/services.py \
        reviews/selectors.py \
        reviews/rubric.py \
        reviews/case_services.py \
        reviews/case_selectors.py \
        evaluations/suite_bundles.py \
        scenarios/selectors.py \
        scenarios/tasks.py \
        portal/lib \
        reviews/aggregation.py \
        reviews/evidence.py \
        reviews/economics.py \
        reviews/carbon.py \
        reviews/usability.py \
        reviews/scorecard.py \
        reviews/scorecard_selectors.py \
        reviews/reminder_services.py \
        reviews/decision_services.py \
        reviews/tasks.py \
        lifecycle/gates.py \
        lifecycle/services.py \
        lifecycle/selectors.py \
        lifecycle/rescore_services.py \
        lifecycle/tasks.py \
        lifecycle/case_services.py \
        lifecycle/case_selectors.py \
        lifecycle/dashboard_selectors.py \
        lifecycle/scale_data.py \
        lifecycle/evidence_pack.py \
        lifecycle/pack_verifier.py \
        portal/ledger/tasks.py \
        lifecycle/notification_services.py \
        lifecycle/pilot_services.py \
        lifecycle/pilot_selectors.py; do
        [ -e "$PROJECT_ROOT/$path" ] && printf '%s\n' "$path"
    done
    return 0
}

# Environment that lets portal.settings import for tools that load it
# (mypy's Django plugin, compile_translations) without touching var/. Call it
# in a subshell: it exports. An exported DJANGO_DEBUG or secret is kept.
tool_settings_env() {
    export DJANGO_SETTINGS_MODULE=portal.settings
    export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-lint-only-secret-key-not-for-any-deployment}"
    export DJANGO_DEBUG="${DJANGO_DEBUG:-false}"
    # Only a path: importing the settings writes nothing there.
    export PORTAL_VAR_DIR="${TMPDIR:-/tmp}/portal-tool-var"
}

# Both ruff steps always run, so one report shows every problem.
run_ruff() {
    local status=0
    log "ruff check"
    (cd "$PROJECT_ROOT" && "$VENV_DIR/bin/ruff" check --output-format=concise .) || status=1
    log "ruff format --check"
    (cd "$PROJECT_ROOT" && "$VENV_DIR/bin/ruff" format --check --output-format=concise .) || status=1
    return "$status"
}

run_mypy() {
    local targets
    mapfile -t targets < <(strict_mypy_targets)
    log "mypy (strict modules: ${targets[*]:-none})"
    if [ "${#targets[@]}" -eq 0 ]; then
        echo "No strict modules exist yet; nothing to type-check."
        return 0
    fi
    (cd "$PROJECT_ROOT" && tool_settings_env && "$VENV_DIR/bin/mypy" "${targets[@]}")
}
