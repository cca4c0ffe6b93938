#!/usr/bin/env bash
# The fault suite (bench/faults/run.ts): Parley's API and two workers, built from this checkout, against a
# PostgreSQL and a Redis of the suite's own (temporary, on free ports: the machine's own are never touched) and
# the fake Telegram and WhatsApp Cloud platforms, under steady traffic while faults are applied one after
# another. Prints a table per fault; exits 1 on any lost message, stuck job, pending reply or message listed out
# of order, and on any reply sent twice but by a kill -9 mid-send (bench/faults/report.ts: failures).
# Needs PostgreSQL's binaries (PG_BIN, default /usr/lib/postgresql/15/bin) and redis-server; no network.
#   bash scripts/faults.sh
#   FAULTS_SECONDS=30 FAULTS="worker kill -9,PostgreSQL restart" bash scripts/faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# The same build as npm run bench: bench/ and src/ together, so the suite starts the entry point it was built with.
node_modules/.bin/tsc -p tsconfig.json --outDir .bench-build
exec node .bench-build/bench/faults/run.js
