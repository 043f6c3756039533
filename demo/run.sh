#!/usr/bin/env bash
# Codex Fleet demo: installs the tools (test/e2e/setup.sh: chromium, Node 24, code-server), builds the
# extension, then starts VS Code (code-server) on 127.0.0.1 with Codex Fleet and a sample workspace,
# and prints the URL. Ctrl-C stops it and removes its temporary files. Options: see demo/run.ts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -d node_modules ] || npm ci --no-audit --no-fund
bash test/e2e/setup.sh >/dev/null
npm run --silent build
exec node_modules/.bin/tsx demo/run.ts "$@"
