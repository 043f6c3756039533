// Where each target's node-pty native files come from (see targets.mjs `ptySource`):
//   prebuild → node_modules/node-pty/prebuilds/<target>/ (shipped in node-pty's npm tarball)
//   local    → node_modules/node-pty/build/Release/ (npm ci's build on this linux-x64 machine)
//   cross    → node-pty's own sources (node_modules/node-pty/src + binding.gyp) built with Debian's
//              g++-aarch64-linux-gnu against the Node headers node-gyp already uses, cached under
//              .package/cache/node-pty-<target>/ (N-API, so one build serves every Node/Electron).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { targetInfo } from './targets.mjs';

const CROSS = { 'linux-arm64': { prefix: 'aarch64-linux-gnu-', arch: 'arm64' } };

/** Directory holding `targetInfo(target).ptyFiles`. Builds the cross-compiled ones when missing. */
export function ptyNativeDir(root, cacheDir, target) {
  const info = targetInfo(target);
  const pty = join(root, 'node_modules', 'node-pty');
  if (info.ptySource === 'prebuild') return join(pty, 'prebuilds', target);
  if (info.ptySource === 'local') {
    if (`${process.platform}-${process.arch}` !== target) throw new Error(`${target}'s node-pty build can only be taken from a ${target} machine`);
    return join(pty, 'build', 'Release');
  }
  return crossBuild(root, cacheDir, target);
}

function crossBuild(root, cacheDir, target) {
  const cross = CROSS[target];
  const pty = join(root, 'node_modules', 'node-pty');
  const version = JSON.parse(readFileSync(join(pty, 'package.json'), 'utf8')).version;
  const dir = join(cacheDir, `node-pty-${version}-${target}`);
  const out = join(dir, 'build', 'Release');
  if (existsSync(join(out, 'pty.node'))) return out;
  const cxx = `${cross.prefix}g++`;
  if (spawnSync(cxx, ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`${target}: node-pty is cross-compiled with ${cxx}; install it with \`apt-get install g++-aarch64-linux-gnu\``);
  }
  console.log(`package: building node-pty ${version} for ${target} with ${cxx}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  for (const f of ['binding.gyp', 'src']) cpSync(join(pty, f), join(dir, f), { recursive: true });
  // binding.gyp asks `require('node-addon-api')` for its include dir and gyp target.
  cpSync(join(root, 'node_modules', 'node-addon-api'), join(dir, 'node_modules', 'node-addon-api'), { recursive: true });
  const env = {
    ...process.env,
    CC: `${cross.prefix}gcc`,
    CXX: cxx,
    LINK: cxx,
    AR: `${cross.prefix}ar`,
    JOBS: '2',
  };
  const args = [nodeGyp(), 'rebuild', `--arch=${cross.arch}`, ...nodedirArg(pty)];
  const res = spawnSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`node-gyp for ${target} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  return out;
}

/** node-gyp as bundled with npm (what `npm ci` used for the local build). */
function nodeGyp() {
  const npmCli = process.env.npm_execpath;
  const candidates = [npmCli ? dirname(dirname(npmCli)) : undefined, join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm')];
  for (const npmRoot of candidates) {
    if (!npmRoot) continue;
    try {
      return createRequire(join(npmRoot, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
    } catch {
      // try the next
    }
  }
  throw new Error('node-gyp (bundled with npm) not found');
}

/** The same Node headers the local build used (recorded in its config.gypi), so no download happens. */
function nodedirArg(pty) {
  try {
    const gypi = readFileSync(join(pty, 'build', 'config.gypi'), 'utf8');
    const m = /"nodedir":\s*"([^"]+)"/.exec(gypi);
    return m ? [`--nodedir=${m[1]}`] : [];
  } catch {
    return [];
  }
}
