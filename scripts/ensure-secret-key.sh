#!/usr/bin/env bash
# Writes a random DJANGO_SECRET_KEY into the given .env file once, unless a key is configured
# already (in the environment or in that file). The file is made readable by its owner only.
#   scripts/ensure-secret-key.sh [path/to/.env]
set -euo pipefail
ENV_FILE="${1:-.env}"
if [ -z "${DJANGO_SECRET_KEY:-}" ] && ! grep -qE '^DJANGO_SECRET_KEY=.+' "$ENV_FILE" 2>/dev/null; then
  printf '\033[1m==> %s\033[0m\n' "Writing a random DJANGO_SECRET_KEY into $ENV_FILE"
  ( umask 077; touch "$ENV_FILE" )
  key="$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')"
  if [ -s "$ENV_FILE" ] && [ -n "$(tail -c 1 "$ENV_FILE")" ]; then echo >> "$ENV_FILE"; fi
  printf 'DJANGO_SECRET_KEY=%s\n' "$key" >> "$ENV_FILE"
fi
if [ -f "$ENV_FILE" ]; then chmod 600 "$ENV_FILE"; fi
