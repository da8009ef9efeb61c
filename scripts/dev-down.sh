#!/usr/bin/env bash
# Stop the local runtime cleanly: Kafka first (its clients may still be flushing), then
# PostgreSQL. Data under .local/ is kept; `make clean-local` removes it.
set -uo pipefail

LT_COMPONENT=dev-down
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

status=0
"$LT_ROOT/scripts/kafka.sh" stop || status=1
"$LT_ROOT/scripts/postgres.sh" stop || status=1
if [ "$status" -ne 0 ]; then
  warn "something did not stop cleanly (see above)"
fi
exit "$status"
