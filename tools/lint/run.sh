#!/usr/bin/env bash
# `npm run lint`: ESLint over the repository (config beside this file), then the contributes check.
# Installs this folder's own toolchain on first use or when its lock changes (a stamp makes it a no-op).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STAMP="$HERE/node_modules/.installed"
WANT="$(sha256sum "$HERE/package-lock.json" | cut -c1-16)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$WANT" >"$STAMP"
fi
cd "$ROOT"
node "$HERE/node_modules/eslint/bin/eslint.js" -c "$HERE/eslint.config.mjs" --max-warnings 0 .
node scripts/mergeContributes.mjs --check
