/**
 * Helpers for the terminal-agent integration tests:
 * - `NamespaceProxy`: a pass-through to the scripted model that turns a scripted function call named
 *   `ns.tool` into a namespaced call (`"namespace":"ns","name":"tool"`), which the multi_agent_v1
 *   tools need (the scripted model's functionCall step has no namespace field).
 * - `hooksListFor`: what `hooks/list` of a real `codex app-server` reports for a CODEX_HOME.
 */
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export class NamespaceProxy {
  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
  ) {}

  static async start(target: string): Promise<NamespaceProxy> {
    const upstream = new URL(target);
    const server = http.createServer((req, res) => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          let buf = '';
          up.setEncoding('utf8');
          up.on('data', (chunk: string) => {
            buf += chunk;
            const cut = buf.lastIndexOf('\n') + 1;
            if (cut === 0) return;
            res.write(rewrite(buf.slice(0, cut)));
            buf = buf.slice(cut);
          });
          up.on('end', () => res.end(rewrite(buf)));
        },
      );
      out.on('error', () => res.destroy());
      req.pipe(out);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return new NamespaceProxy(server, `http://127.0.0.1:${port}${upstream.pathname}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

function rewrite(text: string): string {
  return text.replace(/"name":"([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)"/g, '"namespace":"$1","name":"$2"');
}

export interface ListedHook {
  key: string;
  sourcePath: string;
  currentHash: string;
  trustStatus: string;
  eventName: string;
}

/** Run `codex app-server` (stdio) with CODEX_HOME=`home` and return `hooks/list` for `cwd`. */
export function hooksListFor(codexPath: string, home: string, cwd: string, env: NodeJS.ProcessEnv): Promise<ListedHook[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(codexPath, ['app-server'], { env: { ...env, CODEX_HOME: home }, stdio: ['pipe', 'pipe', 'ignore'] });
    let buf = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error('hooks/list timed out'));
    }, 15_000);
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const msg = JSON.parse(line) as { id?: number; result?: { data: Array<{ hooks: ListedHook[] }> }; error?: { message: string } };
        if (msg.id === 1) p.stdin.write(`${JSON.stringify({ id: 2, method: 'hooks/list', params: { cwds: [cwd] } })}\n`);
        if (msg.id === 2) {
          clearTimeout(timer);
          p.stdin.end();
          if (msg.error) reject(new Error(msg.error.message));
          else resolve(msg.result?.data.flatMap((d) => d.hooks) ?? []);
        }
      }
    });
    p.on('error', reject);
    p.stdin.write(`${JSON.stringify({ id: 1, method: 'initialize', params: { clientInfo: { name: 'agents-test', version: '0' }, capabilities: { experimentalApi: true } } })}\n`);
  });
}
