#!/usr/bin/env bash
# Starts Parley on this machine from nothing: dependencies, a .env with fresh secrets and a first admin
# (printed once), PostgreSQL and Redis, the database, the build, then the API and workers in one process
# (migrations run on start). Run it again to start again: an existing .env and database are kept.
# Arguments go to the server (a role: api, worker or all). The server replaces this script's process, so
# stopping it (Ctrl-C, or SIGTERM to the pid you started) stops Parley gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
node scripts/prepare-env.mjs

# As Parley reads them: the environment wins over .env.
setting() { node -e 'try { process.loadEnvFile() } catch {} console.log(process.env[process.argv[1]] || "")' "$1"; }
database_url=$(setting DATABASE_URL)
redis_url=$(setting REDIS_URL)
bash scripts/services.sh "$database_url" "$redis_url"

if [ -n "$database_url" ]; then
  db=$(node -e "console.log(new URL(process.argv[1]).pathname.slice(1))" "$database_url")
  admin_url=$(node -e "const u=new URL(process.argv[1]); u.pathname='/postgres'; console.log(u.toString())" "$database_url")
  if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    psql "$admin_url" -c "CREATE DATABASE \"$db\"" >/dev/null
    echo "Created database $db"
  fi
fi

npm run build --silent
exec node dist/src/main.js "$@"
