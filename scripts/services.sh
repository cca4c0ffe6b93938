#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis that Parley (or the tests) will use are up:
#   bash scripts/services.sh [DATABASE_URL] [REDIS_URL]    (default: this machine's, as in .env.example)
# A server on another host is yours to run: nothing is installed or started for it. On this machine, a
# server that is not running is started, and on Debian one that is missing is installed first (apt-get, as
# root; otherwise the command to run is printed and the script fails).
set -euo pipefail
database_url=${1:-postgres://postgres@127.0.0.1:5432/parley}
redis_url=${2:-redis://127.0.0.1:6379}

is_local() {
  case "$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$1")" in
    127.0.0.1 | localhost | '[::1]' | '') return 0 ;; # '' for a Unix socket (?host=/var/run/postgresql)
    *) return 1 ;;
  esac
}
postgres_up() { command -v pg_isready >/dev/null && pg_isready -q -d "$database_url"; }
redis_up() { command -v redis-cli >/dev/null && redis-cli -u "$redis_url" ping >/dev/null 2>&1; }
postgres_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

use_postgres=false; use_redis=false
is_local "$database_url" && ! postgres_up && use_postgres=true
is_local "$redis_url" && ! redis_up && use_redis=true

# Install what is missing.
packages=()
$use_postgres && { command -v pg_ctlcluster >/dev/null && [ -n "$(postgres_version)" ] || packages+=(postgresql); }
$use_redis && { command -v redis-server >/dev/null || packages+=(redis-server); }
installed_postgres=false
if [ ${#packages[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "${packages[*]} not found: install them with your system's packages, or set DATABASE_URL / REDIS_URL to running servers" >&2
    exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "${packages[*]} not found. Install with: sudo sh -c 'apt-get update && apt-get install -y ${packages[*]}'" >&2
    exit 1
  fi
  echo "installing ${packages[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
  [[ " ${packages[*]} " == *" postgresql "* ]] && installed_postgres=true
fi

if $use_postgres && ! postgres_up; then
  version=$(postgres_version)
  if $installed_postgres; then
    # A cluster made just now: let the postgres role in from this machine without a password, as
    # DATABASE_URL's default (and the tests') expects. For production, give the role a password instead.
    hba=/etc/postgresql/$version/main/pg_hba.conf
    printf '%s\n' '# Added by Parley (scripts/services.sh): the postgres role, from this machine, without a password.' \
      'host all postgres 127.0.0.1/32 trust' 'host all postgres ::1/128 trust' | cat - "$hba" > "$hba.new"
    chown --reference="$hba" "$hba.new"; chmod --reference="$hba" "$hba.new"; mv "$hba.new" "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
  fi
  if ! postgres_up; then
    command="pg_ctlcluster --skip-systemctl-redirect $version main start"
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is not running. Start it with: sudo $command" >&2
      exit 1
    fi
    echo "starting PostgreSQL"
    $command
  fi
  for _ in $(seq 1 30); do postgres_up && break; sleep 1; done
  postgres_up || { echo "PostgreSQL did not come up at $database_url" >&2; exit 1; }
fi

if $use_redis && ! redis_up; then
  echo "starting Redis"
  port=$(node -e 'console.log(new URL(process.argv[1]).port || 6379)' "$redis_url")
  # No persistence: enough for tests and a try. In production run Redis with appendonly yes and
  # maxmemory-policy noeviction (README), or queued jobs are lost when it restarts.
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no
  for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
  redis_up || { echo "Redis did not come up at $redis_url" >&2; exit 1; }
fi
