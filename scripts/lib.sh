# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are for the scripts that source this file
# Shared helpers for the local runtime scripts. Source it; it defines paths and functions
# and has no other side effect.
#
# Every path the runtime writes lives under $LT_LOCAL (the repo's .local/) except the
# download cache, which is shared between checkouts so a fresh clone does not refetch Kafka.

LT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
LT_LOCAL=$LT_ROOT/.local
LT_LOGS=$LT_LOCAL/logs
LT_CACHE=${LIENTHONG_CACHE:-${HOME:-/root}/.cache/lienthong}
LT_PYTHON=$LT_ROOT/.venv/bin/python
# Where the local services listen (127.0.0.1 only). Defaults live here so every script agrees.
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
PGPORT=${PGPORT:-55432}
# The component name prefixes every message; each script sets its own.
LT_COMPONENT=${LT_COMPONENT:-lienthong}

log() { printf '[%s] %s\n' "$LT_COMPONENT" "$*"; }
warn() { printf '[%s] WARNING: %s\n' "$LT_COMPONENT" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "$LT_COMPONENT" "$*" >&2
  exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# wait_until TIMEOUT_SECONDS COMMAND...: run COMMAND every half second until it succeeds.
# Returns 1 when the timeout passes first.
wait_until() {
  local timeout=$1
  shift
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      return 1
    fi
    sleep 0.5
  done
}

# pid_matches PIDFILE NEEDLE: true when PIDFILE names a live process whose command line
# contains NEEDLE. The needle guards against a stale pid file whose number was reused.
pid_matches() {
  local pidfile=$1 needle=$2 pid
  [ -s "$pidfile" ] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$needle"
}

# pid_gone PID: true when PID no longer runs (a zombie nobody reaped counts as gone).
pid_gone() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  [[ ${stat##*) } == Z* ]]
}

# port_in_use PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# take_lock NAME: serialise start/stop of one component between concurrent callers (several
# engineers share one tree). The lock is file descriptor 9 and is released when the script
# exits; long-running children must be started with 9>&- so they do not keep it.
take_lock() {
  mkdir -p "$LT_LOCAL"
  exec 9>"$LT_LOCAL/.$1.lock"
  if ! flock -w 180 9; then
    die "another $1 start/stop is still running (lock $LT_LOCAL/.$1.lock)"
  fi
}

# show_log_tail FILE [LINES]: print the end of a log to stderr, for failure reports.
show_log_tail() {
  local file=$1 lines=${2:-60}
  if [ -s "$file" ]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf '(%s is empty or missing)\n' "$file" >&2
  fi
}
