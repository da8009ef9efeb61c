#!/usr/bin/env bash
# Create .venv with Python >= 3.11 if it is missing (or unusable) and install the project
# with its dev extras in editable mode. Safe to run again: pip only adds what changed.
set -euo pipefail

LT_COMPONENT=setup-python
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV=$LT_ROOT/.venv

python_ok() {
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if ! python_ok "$VENV/bin/python"; then
  python=$(find_python) || die "no Python >= 3.11 found (set PYTHON=/path/to/python3.11+)"
  if [ -e "$VENV" ]; then
    warn "$VENV is unusable (no working Python >= 3.11 inside); recreating it"
    rm -rf "$VENV"
  fi
  log "creating $VENV with $python ($("$python" -V 2>&1))"
  "$python" -m venv "$VENV" ||
    die "'$python -m venv' failed; on Debian install python3-venv"
fi

cd "$LT_ROOT"
log "installing the project in editable mode with its dev extras"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -e '.[dev]'
log "ready: $("$VENV/bin/python" -V) in $VENV"
