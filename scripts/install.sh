#!/usr/bin/env bash
# Installs the npm dependencies exactly as package-lock.json records them (`npm ci`), when they are missing or
# older than the lock file; otherwise does nothing, so starting again is quick.
# - The lock file lists every platform's optional packages, so `npm ci` accepts it on any machine.
# - No install script runs (--ignore-scripts, what package.json's allowScripts asks of npm versions that do
#   not enforce it yet): none is needed. Should allowScripts ever approve one, drop the flag here and in the
#   Dockerfile. puppeteer (pulled by whatsapp-web.js) must not download a browser either way: Debian's
#   chromium is used instead.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if [ -L node_modules ]; then
    # `npm ci` empties node_modules first: through a link, that would be another checkout's.
    echo "node_modules links to $(readlink node_modules) and is older than package-lock.json: run npm ci there" >&2
  else
    PUPPETEER_SKIP_DOWNLOAD=true npm ci --ignore-scripts --no-audit --no-fund
  fi
fi
