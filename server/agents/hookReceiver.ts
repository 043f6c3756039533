/**
 * How hook events reach the sidecar: every hook runs `/bin/sh <agent>/home/fleet-hook.sh <Event>`,
 * which writes `<Event>\n<stdin JSON>` to a temp file in the agent's inbox directory and renames it
 * to `<unix ns>-<pid>.json` (atomic; no socket client, interpreter or network needed, ~2 ms per hook,
 * and events survive a sidecar restart). The receiver watches the inbox (inotify / FSEvents), reads
 * new files in name order (= time order; hooks of one session run one after another), deletes them
 * and hands each event on, one at a time.
 */
import { readdirSync, readFileSync, unlinkSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { HookEvent } from './agentState';

const EVENT_FILE = /^\d+-\d+\.json$/;

export interface ReceivedHookEvent extends HookEvent {
  /** Inbox file name (its time-ordered stamp). */
  file: string;
}

/** Parse one spooled event file: first line the event name, the rest Codex's JSON. */
export function parseHookFile(text: string): HookEvent | undefined {
  const nl = text.indexOf('\n');
  if (nl < 0) return undefined;
  const event = text.slice(0, nl).trim();
  if (!/^[A-Za-z]+$/.test(event)) return undefined;
  try {
    const payload: unknown = JSON.parse(text.slice(nl + 1));
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
    return { event, payload: payload as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

export class HookReceiver {
  private watcher: FSWatcher | undefined;
  private scanning = false;
  private rescan = false;
  private closed = false;

  constructor(
    readonly inbox: string,
    private readonly onEvent: (e: ReceivedHookEvent) => void,
    private readonly log: { warn(msg: string): void },
  ) {}

  /** Start watching; events already in the inbox are delivered first. */
  start(): void {
    if (this.watcher || this.closed) return;
    this.watcher = watch(this.inbox, { persistent: false }, () => this.scan());
    this.watcher.on('error', (e) => this.log.warn(`hook inbox ${this.inbox}: ${e.message}`));
    this.scan();
  }

  /** Deliver whatever is in the inbox now (also called by the watcher). */
  scan(): void {
    if (this.closed) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = true;
    try {
      do {
        this.rescan = false;
        let names: string[];
        try {
          names = readdirSync(this.inbox).filter((n) => EVENT_FILE.test(n));
        } catch (e) {
          this.log.warn(`hook inbox ${this.inbox} unreadable: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        names.sort(compareStamps);
        for (const name of names) {
          if (this.closed) return;
          const path = join(this.inbox, name);
          let text: string;
          try {
            text = readFileSync(path, 'utf8');
            unlinkSync(path);
          } catch {
            continue; // taken by a concurrent scan or removed
          }
          const parsed = parseHookFile(text);
          if (!parsed) {
            this.log.warn(`ignoring malformed hook event ${name}`);
            continue;
          }
          this.onEvent({ ...parsed, file: name });
        }
      } while (this.rescan);
    } finally {
      this.scanning = false;
    }
  }

  /** Drop events left from an earlier run (e.g. a previous process of the agent). */
  discardPending(): number {
    let n = 0;
    try {
      for (const name of readdirSync(this.inbox)) {
        if (!EVENT_FILE.test(name) && !name.startsWith('.tmp.')) continue;
        try {
          unlinkSync(join(this.inbox, name));
          n++;
        } catch {
          // gone
        }
      }
    } catch {
      // no inbox yet
    }
    return n;
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = undefined;
  }
}

/** `<ns>-<pid>.json`: numeric order of the stamp, then of the pid. */
function compareStamps(a: string, b: string): number {
  const [ta = '', pa = ''] = a.split(/[-.]/);
  const [tb = '', pb = ''] = b.split(/[-.]/);
  if (ta.length !== tb.length) return ta.length - tb.length;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return Number(pa) - Number(pb);
}
