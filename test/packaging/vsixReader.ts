/**
 * Reading a built VSIX (a zip) for the packaging checks: its entries with sizes and Unix modes, and
 * the first bytes of one entry (to tell which CPU a binary is for) without inflating the whole file.
 */
import { chmodSync, createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';

export interface VsixEntry {
  /** Path inside the zip, e.g. `extension/dist/client/extension.js`. */
  readonly name: string;
  readonly size: number;
  /** Unix permission bits (0 when the zip did not record them). */
  readonly mode: number;
  readonly entry: yauzl.Entry;
}

export class Vsix {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: ReadonlyMap<string, VsixEntry>,
  ) {}

  static async open(file: string): Promise<Vsix> {
    const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
    const entries = new Map<string, VsixEntry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) {
          entries.set(entry.fileName, { name: entry.fileName, size: entry.uncompressedSize, mode: (entry.externalFileAttributes >>> 16) & 0o777, entry });
        }
        zip.readEntry();
      });
      zip.once('end', () => resolve());
      zip.once('error', reject);
      zip.readEntry();
    });
    return new Vsix(zip, entries);
  }

  /** Paths under `extension/` (the installed extension's files), relative to it. */
  extensionFiles(): string[] {
    return [...this.entries.keys()].filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length)).sort();
  }

  get(name: string): VsixEntry {
    const e = this.entries.get(name);
    if (!e) throw new Error(`${name} is not in the VSIX`);
    return e;
  }

  /** The first `n` bytes of an entry (stops inflating once they are read). */
  async head(name: string, n: number): Promise<Buffer> {
    const stream = await this.zip.openReadStreamPromise(this.get(name).entry);
    const chunks: Buffer[] = [];
    let got = 0;
    for await (const chunk of stream as Readable) {
      chunks.push(chunk as Buffer);
      got += (chunk as Buffer).length;
      if (got >= n) break;
    }
    stream.destroy();
    return Buffer.concat(chunks).subarray(0, n);
  }

  async text(name: string): Promise<string> {
    return (await this.head(name, this.get(name).size)).toString('utf8');
  }

  /** Write the entries under `prefix` into `dest` (paths relative to `prefix`), keeping their modes. */
  async extract(prefix: string, dest: string): Promise<void> {
    for (const e of this.entries.values()) {
      if (!e.name.startsWith(prefix)) continue;
      const out = join(dest, e.name.slice(prefix.length));
      mkdirSync(dirname(out), { recursive: true });
      await pipeline(await this.zip.openReadStreamPromise(e.entry), createWriteStream(out));
      if (e.mode) chmodSync(out, e.mode);
    }
  }

  close(): void {
    this.zip.close();
  }
}

/** `linux-x64`-style platform of a native binary from its header (ELF, Mach-O or PE), or 'unknown'. */
export function binaryPlatform(head: Buffer): string {
  if (head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
    const machine = head.readUInt16LE(18);
    return `linux-${machine === 0x3e ? 'x64' : machine === 0xb7 ? 'arm64' : `0x${machine.toString(16)}`}`;
  }
  if (head.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = head.readUInt32LE(4);
    return `darwin-${cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : `0x${cpu.toString(16)}`}`;
  }
  if (head.subarray(0, 2).toString('latin1') === 'MZ') {
    const pe = head.readUInt32LE(0x3c);
    if (pe + 6 > head.length || head.readUInt32LE(pe) !== 0x00004550) return 'win32-unknown';
    const machine = head.readUInt16LE(pe + 4);
    return `win32-${machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : `0x${machine.toString(16)}`}`;
  }
  return 'unknown';
}
