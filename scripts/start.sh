#!/usr/bin/env bash
# Starts Parley on this machine from nothing: dependencies, PostgreSQL and Redis, the database, a .env with
# fresh secrets and a first admin (printed once), then the API and workers in one process (migrations run on
# start). Run it again to start again: an existing .env and database are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh

if [ ! -f .env ]; then
  password=$(node -e "console.log(require('crypto').randomBytes(12).toString('base64url'))")
  key=$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")
  sed -e "s|^ENCRYPTION_KEY=.*|ENCRYPTION_KEY=$key|" -e "s|^ADMIN_PASSWORD=.*|ADMIN_PASSWORD=$password|" .env.example > .env
  chmod 600 .env
  echo "Created .env. First admin: $(grep '^ADMIN_EMAIL=' .env | cut -d= -f2) / $password (change it after logging in)"
fi
set -a; . ./.env; set +a

db=$(node -e "console.log(new URL(process.argv[1]).pathname.slice(1))" "$DATABASE_URL")
admin_url=$(node -e "const u=new URL(process.argv[1]); u.pathname='/postgres'; console.log(u.toString())" "$DATABASE_URL")
if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  psql "$admin_url" -c "CREATE DATABASE \"$db\"" >/dev/null
  echo "Created database $db"
fi

exec npm start -- "$@"
