#!/usr/bin/env bash
# The one test command (README, CI): install, make sure PostgreSQL and Redis are up, run every test.
# Tests create their own databases (cloned from a migrated template) and Redis key prefixes, so nothing
# else needs creating. TEST_DATABASE_URL / REDIS_URL point them elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh "${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" "${REDIS_URL:-redis://127.0.0.1:6379}"
# The browser tests (test/e2e) drive the built agent app in Debian's Chromium.
# With an emoji font, customers' emoji show in the screenshots rather than as empty boxes.
if ! command -v chromium >/dev/null || ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; then
  apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-color-emoji
fi
npm run build:web
results=$(mktemp)
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
# A closing line in the plain form any reader understands.
node -e "const r=JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); console.log('tests: ' + r.numPassedTests + ' passed, ' + r.numFailedTests + ' failed' + (r.numPendingTests ? ', ' + r.numPendingTests + ' skipped' : ''))" "$results" || true
rm -f "$results"
exit $status
