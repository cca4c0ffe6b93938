#!/usr/bin/env bash
# Installs the npm dependencies exactly as locked, when they are missing or older than the lock file.
# puppeteer (pulled by whatsapp-web.js) must not download a browser: Debian's chromium is used instead,
# and package.json's allowScripts denies every install script (none is needed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund
fi
