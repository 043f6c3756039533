// Merges the extension's manifest fragments into package.json, so each part of the client owns its
// `contributes` (views, commands, menus, settings) next to its code:
//
//   node scripts/mergeContributes.mjs            # rewrite package.json in place
//   node scripts/mergeContributes.mjs --check    # exit 1 if package.json is not up to date
//   node scripts/mergeContributes.mjs --out F    # write the merged manifest to F instead
//
// Fragments: client/contributes.json and client/*/contributes.json, in path order. Each holds
// top-level manifest keys (`activationEvents`, `extensionKind`, `contributes`); a key "//" is a comment.
// Arrays are unioned by identity (command id, view id, setting …) with later fragments replacing
// earlier entries of the same identity; objects are merged key by key. Re-running is idempotent.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? path.resolve(args[outIndex + 1] ?? '') : path.join(root, 'package.json');

function fragments() {
  const clientDir = path.join(root, 'client');
  const files = [path.join(clientDir, 'contributes.json')];
  for (const e of fs.readdirSync(clientDir, { withFileTypes: true })) {
    if (e.isDirectory() && fs.existsSync(path.join(clientDir, e.name, 'contributes.json'))) files.push(path.join(clientDir, e.name, 'contributes.json'));
  }
  return files.filter((f) => fs.existsSync(f)).sort();
}

/** What makes two array entries "the same" (so a re-run replaces instead of duplicating). */
function identity(entry) {
  if (entry === null || typeof entry !== 'object') return JSON.stringify(entry);
  if (typeof entry.command === 'string') return `command:${entry.command}|${entry.when ?? ''}|${entry.group ?? ''}`;
  if (typeof entry.id === 'string') return `id:${entry.id}`;
  if (typeof entry.view === 'string') return `view:${entry.view}|${entry.when ?? ''}`;
  return JSON.stringify(entry);
}

function merge(base, add) {
  if (Array.isArray(base) && Array.isArray(add)) {
    const byId = new Map(base.map((e) => [identity(e), e]));
    for (const e of add) byId.set(identity(e), e);
    return [...byId.values()];
  }
  if (base && add && typeof base === 'object' && typeof add === 'object' && !Array.isArray(base) && !Array.isArray(add)) {
    const outObj = { ...base };
    for (const [k, v] of Object.entries(add)) outObj[k] = k in base ? merge(base[k], v) : v;
    return outObj;
  }
  return add;
}

const pkgPath = path.join(root, 'package.json');
const before = fs.readFileSync(pkgPath, 'utf8');
let manifest = JSON.parse(before);
for (const file of fragments()) {
  const fragment = JSON.parse(fs.readFileSync(file, 'utf8'));
  delete fragment['//'];
  manifest = merge(manifest, fragment);
}
const after = JSON.stringify(manifest, null, 2) + '\n';

if (check) {
  if (after !== before) {
    console.error('package.json is not up to date with client/**/contributes.json; run `node scripts/mergeContributes.mjs`');
    process.exit(1);
  }
  console.log('package.json is up to date');
} else {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, after);
  console.log(`merged ${fragments().map((f) => path.relative(root, f)).join(', ')} into ${path.relative(root, out) || out}`);
}
