#!/usr/bin/env bash
# Builds a Transit KMS (HashiCorp Vault's server, from the Go module proxy) into the shared
# cache, so the key service's KEK can live outside the services (ADR 0150 §9).
#   scripts/kms.sh build    # once per machine; long (about 2 000 Go packages)
#   scripts/kms.sh path     # prints the binary's path (exit 1 when not built)
# Tests start their own `vault server -dev` from that binary on a free port; nothing here
# runs a server. OpenBao's server module is not served by the module proxy, so Vault is used.
set -euo pipefail
LT_COMPONENT=kms
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VAULT_VERSION=${VAULT_VERSION:-v1.21.4}
KMS_DIR=$LT_CACHE/kms/vault-$VAULT_VERSION
BINARY=$KMS_DIR/vault

build() {
  [ -x "$BINARY" ] && { log "already built: $BINARY"; return; }
  command -v go >/dev/null || die "go is needed to build the KMS"
  mkdir -p "$KMS_DIR"
  local src
  src=$(go mod download -json "github.com/hashicorp/vault@$VAULT_VERSION" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  rm -rf "$KMS_DIR/src" && cp -r "$src" "$KMS_DIR/src" && chmod -R u+w "$KMS_DIR/src"
  cd "$KMS_DIR/src"
  # The release's go.mod points its api/sdk modules at sibling directories that a module
  # download does not contain; build against their published versions instead.
  go mod edit \
    -dropreplace=github.com/hashicorp/vault/api \
    -dropreplace=github.com/hashicorp/vault/api/auth/approle \
    -dropreplace=github.com/hashicorp/vault/api/auth/kubernetes \
    -dropreplace=github.com/hashicorp/vault/api/auth/userpass \
    -dropreplace=github.com/hashicorp/vault/sdk
  log "building vault $VAULT_VERSION (long)"
  GOFLAGS=-mod=mod nice go build -o "$BINARY.tmp" .
  mv "$BINARY.tmp" "$BINARY"
  log "built $BINARY"
}

case "${1:-}" in
  build) build ;;
  path) [ -x "$BINARY" ] && echo "$BINARY" || exit 1 ;;
  *) die "usage: $0 build|path" ;;
esac
