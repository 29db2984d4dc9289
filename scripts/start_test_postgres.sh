# shellcheck shell=bash
# Throwaway PostgreSQL cluster for the test suite. Source this file, then:
#
#   start_test_postgres   # exports DATABASE_URL; fails if it cannot start
#   stop_test_postgres    # stops the server and deletes the cluster
#
# The cluster lives in a temporary folder, listens on a free loopback port
# only, trusts local connections (it holds nothing but test data) and runs
# with durability switched off for speed. PostgreSQL refuses to run as root,
# so as root the server runs as the "postgres" system user (created by
# Debian's postgresql package) or PG_TEST_USER.
#
# Needs the server binaries: apt-get install postgresql (Debian 12 ships 15).

TEST_PG_DIR=""
TEST_PG_BIN=""
TEST_PG_RUN_AS=""

_pg_find_bin() {
    local dir
    if [ -n "${PG_BIN:-}" ]; then
        TEST_PG_BIN="$PG_BIN"
    else
        # Newest installed major version.
        dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
        TEST_PG_BIN="${dir:-}"
        if [ -z "$TEST_PG_BIN" ] && command -v pg_ctl >/dev/null 2>&1; then
            TEST_PG_BIN="$(dirname "$(command -v pg_ctl)")"
        fi
    fi
    [ -n "$TEST_PG_BIN" ] && [ -x "$TEST_PG_BIN/initdb" ] && [ -x "$TEST_PG_BIN/pg_ctl" ]
}

# Run a PostgreSQL binary as the unprivileged user when this shell is root.
_pg_run() {
    if [ -n "$TEST_PG_RUN_AS" ]; then
        runuser -u "$TEST_PG_RUN_AS" -- "$@"
    else
        "$@"
    fi
}

_pg_free_port() {
    python3 - <<'PY'
import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1])
PY
}

start_test_postgres() {
    local port user db="portal"
    if ! _pg_find_bin; then
        echo "ERROR: PostgreSQL server binaries not found (apt-get install postgresql)." >&2
        return 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        TEST_PG_RUN_AS="${PG_TEST_USER:-postgres}"
        if ! id "$TEST_PG_RUN_AS" >/dev/null 2>&1; then
            echo "ERROR: running as root and user '$TEST_PG_RUN_AS' does not exist; PostgreSQL cannot run as root." >&2
            return 1
        fi
    fi
    # Not $TMPDIR: it may sit under /root, which the postgres user cannot
    # enter.
    TEST_PG_DIR="$(mktemp -d "${PG_TEST_TMPDIR:-/tmp}/portal-test-pg.XXXXXX")"
    chmod 755 "$TEST_PG_DIR"
    [ -n "$TEST_PG_RUN_AS" ] && chown "$TEST_PG_RUN_AS" "$TEST_PG_DIR"
    user="${TEST_PG_RUN_AS:-$(id -un)}"
    port="$(_pg_free_port)"

    echo "Starting PostgreSQL ($TEST_PG_BIN) in $TEST_PG_DIR on 127.0.0.1:$port"
    if ! _pg_run "$TEST_PG_BIN/initdb" -D "$TEST_PG_DIR/data" -U "$user" \
        --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$TEST_PG_DIR/initdb.log" 2>&1; then
        echo "ERROR: initdb failed:" >&2
        cat "$TEST_PG_DIR/initdb.log" >&2
        return 1
    fi
    if ! _pg_run "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$TEST_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
        start >/dev/null; then
        echo "ERROR: PostgreSQL did not start:" >&2
        cat "$TEST_PG_DIR/server.log" >&2
        return 1
    fi
    if ! _pg_run "$TEST_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$db"; then
        echo "ERROR: createdb failed" >&2
        return 1
    fi
    export DATABASE_URL="postgres://$user@127.0.0.1:$port/$db"
    echo "PostgreSQL is up: DATABASE_URL=$DATABASE_URL"
}

stop_test_postgres() {
    if [ -n "$TEST_PG_DIR" ] && [ -d "$TEST_PG_DIR/data" ]; then
        _pg_run "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || _pg_run "$TEST_PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m immediate stop >/dev/null 2>&1 \
            || true
    fi
    if [ -n "$TEST_PG_DIR" ]; then
        rm -rf "$TEST_PG_DIR"
        TEST_PG_DIR=""
    fi
}
