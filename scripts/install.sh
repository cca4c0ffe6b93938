#!/usr/bin/env bash
# Installs the npm dependencies at the versions package-lock.json records, when they are missing or older
# than the lock file.
# - `npm install`, not `npm ci`: the registry reachable here serves only the Linux builds of some optional
#   platform packages (msgpackr-extract's, jest's resolver bindings), so the lock file cannot list the others
#   and `npm ci` refuses it as out of sync. `npm install` keeps the locked versions and skips what is absent.
# - puppeteer (pulled by whatsapp-web.js) must not download a browser: Debian's chromium is used instead,
#   and package.json's allowScripts denies every install script (none is needed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PUPPETEER_SKIP_DOWNLOAD=true npm install --no-audit --no-fund --no-save
fi
