#!/usr/bin/env bash
# Run the integration tier against the newest @openai/codex on the npm registry (the top of the
# tested range, protocol/codexRange.ts), installed into a temporary folder — not the pinned one.
# `.ci/run` calls this after `npm test`. Usage: scripts/testNewestCodex.sh [version]   (default: latest)
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${1:-latest}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# @openai/codex pulls its platform binary through optionalDependencies.
npm install --prefix "$dir" --no-audit --no-fund --no-save "@openai/codex@$spec" >/dev/null
version="$(node -p "require('$dir/node_modules/@openai/codex/package.json').version")"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 triple=x86_64-unknown-linux-musl ;;
  Linux-aarch64) platform=linux-arm64 triple=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) platform=darwin-x64 triple=x86_64-apple-darwin ;;
  Darwin-arm64) platform=darwin-arm64 triple=aarch64-apple-darwin ;;
  *) echo "testNewestCodex: unsupported platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
# The native binary, as the pinned one is run (the npm wrapper would add a Node process in front).
bin="$dir/node_modules/@openai/codex-$platform/vendor/$triple/bin/codex"
[ -x "$bin" ] || bin="$dir/node_modules/@openai/codex/node_modules/@openai/codex-$platform/vendor/$triple/bin/codex"
[ -x "$bin" ] || { echo "testNewestCodex: no codex binary for $platform in @openai/codex@$version" >&2; exit 1; }
echo "== integration tier against @openai/codex@$version ($("$bin" --version)) from npm '$spec'"
max="$(npx tsx -e "import { CODEX_TESTED_RANGE } from './protocol/codexRange'; console.log(CODEX_TESTED_RANGE.max)")"
CODEX_FLEET_TEST_CODEX="$bin" npm run test:integration
if [ "$(node -p "require('semver').gt('$version', '$max')")" = true ]; then
  echo "== codex $version is newer than the tested range's max $max: users with it on PATH get the bundled codex."
  echo "   It passed the integration tier: raise NEWEST_TESTED in protocol/codexRange.ts to $version."
fi
