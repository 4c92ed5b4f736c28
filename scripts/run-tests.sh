#!/usr/bin/env bash
# The test suite on every backend this machine offers: SQLite + in-process fakeredis always,
# MariaDB + Redis when reachable (required when CI=true). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PYTEST=("$PY" -m pytest -q -p no:cacheprovider -n 2)
ran=()

echo "== tests on SQLite + in-process fakeredis"
FENXIAO_TEST_BACKEND=sqlite "${PYTEST[@]}" "$@"
ran+=("sqlite+fakeredis")

if "$PY" -m tests.backends; then
  echo "== tests on MariaDB + Redis"
  FENXIAO_TEST_BACKEND=mariadb "${PYTEST[@]}" "$@"
  ran+=("mariadb+redis")
elif [ "${CI:-}" = "true" ]; then
  echo "CI: MariaDB and Redis must be reachable (TEST_DATABASE_URL / TEST_REDIS_URL)" >&2
  exit 1
else
  echo "== skipped MariaDB + Redis: not reachable"
fi
echo "backends ran: ${ran[*]}"

echo "== mini-program tests (jest: unit, WeChat compiler, end to end against a sandbox server)"
results=$(mktemp)
status=0
(cd miniprogram && npx jest --ci --json --outputFile="$results") || status=$?
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`miniprogram: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$results" || true
rm -f "$results"
exit "$status"
