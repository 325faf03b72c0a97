#!/usr/bin/env bash
# One idempotent set-up for `make run` and `make test` on Debian 12 (root, or a user with sudo).
#   scripts/setup.sh run    - everything needed to serve the portal
#   scripts/setup.sh test   - the same, plus the browser (Debian chromium) for end-to-end tests
# Every step checks first and does nothing when there is nothing to do, so a second run is fast.
set -euo pipefail

MODE="${1:-run}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUN_DIR="$ROOT/.run"
mkdir -p "$RUN_DIR"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

# Defaults used when the environment does not name external services.
DB_NAME="${MM_DB_NAME:-maengelmelder}"
DB_USER="${MM_DB_USER:-maengelmelder}"
DB_PASSWORD="${MM_DB_PASSWORD:-maengelmelder}"
DB_PORT="${MM_DB_PORT:-5432}"
REDIS_PORT="${MM_REDIS_PORT:-6379}"

# ---------------------------------------------------------------- 1. system packages
missing=()
need() { missing+=("$@"); }
command -v python3 >/dev/null || need python3
python3 -c 'import ensurepip, venv' 2>/dev/null || need python3-venv
command -v ogr2ogr >/dev/null || need gdal-bin
command -v msgfmt >/dev/null || need gettext
command -v xmlsec1 >/dev/null || need xmlsec1  # pysaml2: SAML signatures (BundID login)
command -v node >/dev/null || need nodejs
command -v npm >/dev/null || need npm
if [ -z "${DATABASE_URL:-}" ]; then
  command -v pg_ctlcluster >/dev/null || need postgresql
  ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || need postgresql-15-postgis-3
fi
if [ -z "${REDIS_URL:-}" ]; then command -v redis-server >/dev/null || need redis-server; fi
if [ "$MODE" = test ]; then
  [ -x /usr/bin/chromium ] || need chromium
  fc-list 2>/dev/null | grep -qi dejavu || need fonts-dejavu-core
fi
if [ "${#missing[@]}" -gt 0 ]; then
  log "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---------------------------------------------------------------- 2. Python environment
PY=.venv/bin/python
if [ ! -x "$PY" ]; then
  log "Creating .venv"
  python3 -m venv .venv
fi
STAMP=.venv/.installed
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  log "Installing the project into .venv"
  "$PY" -m pip install -q --upgrade pip
  "$PY" -m pip install -q -e '.[dev]'
  touch "$STAMP"
fi

# ---------------------------------------------------------------- 2b. secret key
# The production settings refuse to start without a secret key of their own. Written once into
# .env (readable by this user only), never overwritten: changing it logs everybody out and
# invalidates links in sent emails (rotation: docs/deployment.md).
scripts/ensure-secret-key.sh "$ROOT/.env"

# ---------------------------------------------------------------- 3. front-end assets (npm)
NPM_STAMP=frontend/node_modules/.installed
if [ ! -f "$NPM_STAMP" ] || [ frontend/package-lock.json -nt "$NPM_STAMP" ]; then
  log "Installing front-end assets from npm"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  touch "$NPM_STAMP"
fi
# The test-only OpenID Connect provider (tests/catalogue/test_oidc.py starts it on loopback).
OIDC_STAMP=tests/oidc/node_modules/.installed
if [ "$MODE" = test ] && { [ ! -f "$OIDC_STAMP" ] || [ tests/oidc/package-lock.json -nt "$OIDC_STAMP" ]; }; then
  log "Installing the test OpenID Connect provider from npm"
  (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
  touch "$OIDC_STAMP"
fi

# ---------------------------------------------------------------- 4. services
if [ -z "${DATABASE_URL:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p "$DB_PORT"; then
    PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$PG_VERSION main$"; then
      log "Creating PostgreSQL cluster $PG_VERSION/main"
      $SUDO pg_createcluster "$PG_VERSION" main -p "$DB_PORT" >/dev/null
    fi
    log "Starting PostgreSQL $PG_VERSION"
    $SUDO pg_ctlcluster "$PG_VERSION" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$DB_PORT" && break; sleep 1; done
  fi
  # Role, database and extension; each statement is a no-op when it already exists.
  as_postgres psql -q -p "$DB_PORT" -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE "$DB_USER" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END\$\$;
SQL
  if ! as_postgres psql -p "$DB_PORT" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    log "Creating database $DB_NAME"
    as_postgres createdb -p "$DB_PORT" -O "$DB_USER" "$DB_NAME"
  fi
  # PostGIS in template1 too, so that test databases (created by the unprivileged role) have it.
  for db in template1 "$DB_NAME"; do
    as_postgres psql -q -p "$DB_PORT" -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
  done
  export DATABASE_URL="postgis://$DB_USER:$DB_PASSWORD@127.0.0.1:$DB_PORT/$DB_NAME"
fi

if [ -z "${REDIS_URL:-}" ]; then
  # A Redis started from another checkout keeps that checkout's .run/ as its directory; once that
  # checkout is deleted it cannot write snapshots and refuses every write (MISCONF), and Redis 7
  # does not let its directory be changed at run time. Its answer for the directory is empty
  # then: stop it (what it holds could not be kept anyway) and start ours below.
  dir_answer="$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" config get dir 2>/dev/null || true)"
  redis_dir="$(printf '%s\n' "$dir_answer" | sed -n 2p)"
  if [ "$(printf '%s\n' "$dir_answer" | sed -n 1p)" = dir ] && [ ! -d "$redis_dir" ]; then
    log "Redis on port $REDIS_PORT lost its directory${redis_dir:+ $redis_dir}; restarting it"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 || break; sleep 0.2; done
  fi
  if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "Starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
      --dir "$RUN_DIR" --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log" >/dev/null
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
fi

# ---------------------------------------------------------------- 5. translations
for po in locale/*/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then msgfmt --check -o "$mo" "$po"; fi
done

# ---------------------------------------------------------------- 6. database schema and demo data
if [ "$MODE" = run ]; then
  log "Migrating"
  "$PY" manage.py migrate --no-input -v 0
  log "Loading the demo region"
  "$PY" manage.py load_demo --commit
  "$PY" manage.py load_catalogue --commit
  # The demo catalogue as an XZuFi 2.2 export (data/xzufi_demo.py writes it): the import path
  # runs on every start; a second run reports everything unchanged.
  "$PY" manage.py import_xzufi data/xzufi/demo-catalogue.xml --commit
  "$PY" manage.py load_demo_calendar --commit
  "$PY" manage.py load_demo_reports --commit
  "$PY" manage.py load_demo_participation --commit
  "$PY" manage.py collectstatic --no-input -v 0
fi
log "Set-up done"
