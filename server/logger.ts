/**
 * The sidecar's log: a size-bounded rotating file in the state directory (`sidecar.log`, one
 * previous generation `sidecar.log.1`) plus live delivery to clients that asked for logs.
 */
import { closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import { Limits, truncate } from '../protocol/limits';
import type { LogMessage } from '../protocol/sidecarProtocol';
import { Emitter } from '../sdk/emitter';

export type LogLevel = LogMessage['level'];

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export class FileLogger implements Logger {
  private fd: number | undefined;
  private size = 0;
  private readonly onLogEmitter = new Emitter<LogMessage>();
  readonly onLog = this.onLogEmitter.event;

  constructor(
    private readonly path: string | undefined,
    private readonly maxBytes = 5 * 1024 * 1024,
    private readonly echo: boolean = false,
  ) {
    this.open();
  }

  private open(): void {
    if (!this.path) return;
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    if (!this.path || this.fd === undefined) return;
    closeSync(this.fd);
    renameSync(this.path, `${this.path}.1`);
    this.open();
  }

  log(level: LogLevel, text: string, source: LogMessage['source'] = 'sidecar'): void {
    const time = Date.now();
    const message = truncate(text, Limits.maxLogLine); // one huge input must not rotate the history away
    const line = `${new Date(time).toISOString()} ${level.toUpperCase().padEnd(5)} [${source}] ${message}\n`;
    if (this.echo) process.stderr.write(line);
    if (this.fd !== undefined) {
      if (this.size + line.length > this.maxBytes) this.rotate();
      try {
        this.size += writeSync(this.fd, line);
      } catch {
        // A full disk must not take the sidecar down.
      }
    }
    this.onLogEmitter.fire({ level, source, message, time });
  }

  trace(m: string): void {
    this.log('trace', m);
  }
  debug(m: string): void {
    this.log('debug', m);
  }
  info(m: string): void {
    this.log('info', m);
  }
  warn(m: string): void {
    this.log('warn', m);
  }
  error(m: string): void {
    this.log('error', m);
  }

  /** A logger whose lines are attributed to `source` (e.g. app-server stderr). */
  forSource(source: LogMessage['source']): Logger {
    const l = (level: LogLevel) => (m: string) => this.log(level, m, source);
    return { trace: l('trace'), debug: l('debug'), info: l('info'), warn: l('warn'), error: l('error') };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.onLogEmitter.dispose();
  }
}
