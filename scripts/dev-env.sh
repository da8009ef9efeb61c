#!/usr/bin/env bash
# Writes .local/dev.env once: the environment every locally run service reads.
# Secrets are random per checkout (never committed); LIENTHONG_ENV=dev allows them.
set -euo pipefail
LT_COMPONENT=dev-env
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

env_file="$LT_LOCAL/dev.env"
mkdir -p "$LT_LOCAL"
if [ ! -f "$env_file" ]; then
  rand() { python3 -c 'import secrets; print(secrets.token_hex(32))'; }
  kek() { python3 -c 'import base64, secrets; print("1:" + base64.b64encode(secrets.token_bytes(32)).decode())'; }
  cat > "$env_file" <<ENV
LIENTHONG_ENV=dev
KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:${KAFKA_PORT}
LIENTHONG_PG_URL=postgresql://lienthong:lienthong@127.0.0.1:${PGPORT}
SUBJECT_ID_KEY=$(rand)
AUTH_JWT_SECRET=$(rand)
KEYS_DATABASE_URL=postgresql://lienthong:lienthong@127.0.0.1:${PGPORT}/keys
PERSONAL_DATA_MASTER_KEYS=$(kek)
PYTHONUNBUFFERED=1
ENV
  chmod 600 "$env_file"
  log "wrote $env_file"
fi
