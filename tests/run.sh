#!/usr/bin/env bash
# Runs every PaduHub test against a real PostgreSQL and ends with one plain line: "N passed, N failed, N skipped".
# The tests start their own embedded cluster from the machine's PostgreSQL (or use PADU_TEST_DATABASE_URL);
# on a bare Debian machine this installs PostgreSQL and Chromium first. Exits non-zero on a failure or when no test ran.
set -uo pipefail
cd "$(dirname "$0")/.."

has_postgres() {
  [ -n "${PADU_TEST_DATABASE_URL:-}" ] && return 0
  [ -n "${PADU_PG_BIN:-}" ] && [ -x "$PADU_PG_BIN/initdb" ] && return 0
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
  command -v initdb >/dev/null 2>&1
}
if ! has_postgres; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL not found: installing it (apt-get install -y postgresql)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL not found: install it (sudo apt-get install -y postgresql) or set PADU_TEST_DATABASE_URL" >&2
    exit 1
  fi
fi

# The steward workbench tests drive a real headless Chromium: Debian's, found or installed here.
has_chromium() {
  [ -n "${PADU_CHROMIUM:-}" ] && [ -x "$PADU_CHROMIUM" ] && return 0
  [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ]
}
if ! has_chromium; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium not found: installing it (apt-get install -y chromium)"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
      || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)) \
      || echo "could not install chromium: the workbench tests will fail under CI and be skipped otherwise" >&2
  else
    echo "Chromium not found: the workbench tests need it (sudo apt-get install -y chromium, or set PADU_CHROMIUM)" >&2
  fi
fi

# Formatting is part of the test: a change that does not follow .editorconfig fails here, before any test runs.
if ! dotnet format PaduHub.sln --verify-no-changes; then
  echo "dotnet format found code not formatted as .editorconfig says: run 'dotnet format PaduHub.sln'"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --blame-hang-timeout turns a hung test into a dump and a failure instead of eating the CI budget.
dotnet test PaduHub.sln -c Release --blame-hang-timeout 10m "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(awk '/^(Passed|Failed)! +- +Failed:/ { gsub(",", ""); f += $4; p += $6; s += $8; n++ }
  END { if (n == 0) print "none"; else printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log")
if [ "$summary" = "none" ]; then
  echo "no test results: no test ran (filter matched nothing), build error or test host crash"
  [ "$rc" -eq 0 ] && rc=1
else
  echo "$summary"
fi
exit "$rc"
