#!/usr/bin/env bash
# Bring the local runtime up: PostgreSQL and Kafka running and answering, topics provisioned.
# Idempotent: on a running runtime it changes nothing and returns within seconds.
set -euo pipefail

LT_COMPONENT=dev-up
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$LT_ROOT/scripts/postgres.sh" start
"$LT_ROOT/scripts/kafka.sh" start

# Provision against the broker just started, whatever the caller's environment points at.
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT
cli=$LT_ROOT/.venv/bin/lienthong
if [ -x "$cli" ] && "$cli" topics provision --help >/dev/null 2>&1; then
  log "provisioning topics on $KAFKA_BOOTSTRAP_SERVERS"
  "$cli" topics provision
else
  log "skipping topic provisioning: '$cli topics provision' is not available (yet)"
fi
log "up: Kafka 127.0.0.1:$KAFKA_PORT, PostgreSQL 127.0.0.1:$PGPORT"
