#!/usr/bin/env bash
# `make run`: broker + PostgreSQL + topics, every service as its own process (honcho),
# demo data, then the URLs. Ctrl-C stops the services, then the broker and PostgreSQL
# (unless LIENTHONG_KEEP_INFRA=1).
set -euo pipefail
LT_COMPONENT=run
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LT_ROOT"

scripts/dev-up.sh
scripts/dev-env.sh
set -a
# shellcheck source=/dev/null
source "$LT_LOCAL/dev.env"
set +a
mkdir -p "$LT_LOGS"

cleanup() {
  [ -n "${demo_pid:-}" ] && kill "$demo_pid" 2>/dev/null || true
  # LIENTHONG_KEEP_INFRA=1 leaves Kafka and PostgreSQL running (e.g. for a test run next).
  [ "${LIENTHONG_KEEP_INFRA:-0}" = 1 ] || scripts/dev-down.sh || true
}
trap cleanup EXIT

.venv/bin/lienthong dev demo --wait 180 >"$LT_LOGS/demo.log" 2>&1 &
demo_pid=$!

cat <<URLS

  lienthong is starting. Every service has /docs (OpenAPI), /healthz, /readyz, /metrics.
    intake        http://127.0.0.1:8001/docs
    digitization  http://127.0.0.1:8002/docs
    identity      http://127.0.0.1:8003/docs
    orchestrator  http://127.0.0.1:8004/docs
    reporting     http://127.0.0.1:8005/docs
  Dashboard:      http://127.0.0.1:8005/dashboard
    "Đăng nhập" opens the local dev identity provider: account thanhtra (auditor) or
    canbo.quangngai (officer, Quảng Ngãi), password ${DEV_IDENTITY_PROVIDER_PASSWORD:-lienthong-dev}
  reference agency systems:
    population registry http://127.0.0.1:8101/docs   civil registry  http://127.0.0.1:8102/docs
    residence           http://127.0.0.1:8103/docs   insurance       http://127.0.0.1:8104/docs
    welfare             http://127.0.0.1:8105/docs   national portal http://127.0.0.1:8106/docs
  A bearer token for the APIs:  set -a; . .local/dev.env; set +a; .venv/bin/lienthong dev token --role auditor
  Demo data is loading in the background (log: .local/logs/demo.log). Ctrl-C stops everything.

URLS

# The dashboard signs in through the dev identity provider served by reporting (dev only).
export DEV_IDENTITY_PROVIDER=1
# Readable console lines for a person watching (JSON stays the default elsewhere).
export LOG_FORMAT="${LOG_FORMAT:-console}"
.venv/bin/honcho -f Procfile -e "$LT_LOCAL/dev.env" start
