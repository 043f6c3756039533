/**
 * `codex-fleet events`: the sidecar's event stream. Without --follow, prints the buffered events
 * (replayed from --since, default all) and exits; with --follow, keeps printing live events until
 * Ctrl-C or until the sidecar goes away (exit 4).
 */
import { FLEET_EVENT_KINDS, type FleetEvent, type FleetEventKind } from '../../protocol/types';
import type { SubscribeParams } from '../../protocol/sidecarProtocol';
import { defineCommand, type CommandEntry } from '../args';
import { CliError, ExitCode } from '../context';
import { EventPrinter } from '../eventFormat';
import { escapeControls, styleFor } from '../format';
import { Waiter } from '../waiter';

/** In --follow mode a merged delta line is printed once the stream pauses this long. */
const DELTA_FLUSH_MS = 200;

export const eventsCommand = defineCommand({
  name: 'events',
  summary: 'print the event stream (replay, or --follow live events)',
  description: [
    'Every event has a per-sidecar sequence number (seq). Without --follow, prints the buffered events after --since ' +
      '(default: all still buffered) and exits. With --follow, prints live events (after replaying from --since, if given) ' +
      'until Ctrl-C; exits 4 if the sidecar goes away.',
    'Human output is one line per event: seq, kind, session, summary; consecutive streaming deltas of one item are merged. ' +
      '--json prints every event verbatim, one JSON object per line.',
  ],
  positionals: [],
  flags: {
    session: { type: 'string', value: 'ID', repeat: true, description: 'only events of this session (plus global ones)' },
    kind: { type: 'string', value: 'KIND', repeat: true, choices: FLEET_EVENT_KINDS, description: 'only events of this kind' },
    since: { type: 'int', value: 'SEQ', min: 0, description: 'replay buffered events with seq greater than SEQ' },
    follow: { type: 'boolean', description: 'keep printing live events until Ctrl-C' },
  },
  examples: [`codex-fleet events --since 0 --json`, `codex-fleet events --session $ID --kind turn/completed --follow`],
  async run(ctx, { flags }) {
    const params: SubscribeParams = {};
    if (flags.session.length > 0) params.sessionIds = flags.session;
    if (flags.kind.length > 0) params.kinds = [...new Set<FleetEventKind>(flags.kind)];
    if (flags.since !== undefined) params.sinceSeq = flags.since;
    else if (!flags.follow) params.sinceSeq = 0;

    const client = await ctx.client();
    const printer = new EventPrinter((line) => ctx.out.write(`${escapeControls(line, { keepStyles: true })}\n`), styleFor(ctx.out, ctx.env));
    const print = (e: FleetEvent): void => {
      if (ctx.json) ctx.out.write(`${JSON.stringify(e)}\n`);
      else printer.print(e);
    };
    const early: FleetEvent[] = [];
    let live = false;
    let flushTimer: NodeJS.Timeout | undefined;
    const waiter = new Waiter({
      client,
      signal: ctx.signal,
      now: ctx.now,
      closedError: () =>
        new CliError("the sidecar went away (connection closed); run `codex-fleet status` to check it", ExitCode.SidecarUnavailable),
      abortError: () => new StoppedByUser(),
    });
    const sub = client.onEvent((e) => {
      if (!live) {
        early.push(e);
        waiter.wake();
        return;
      }
      print(e);
      if (printer.pending) {
        clearTimeout(flushTimer);
        flushTimer = setTimeout(() => printer.flush(), DELTA_FLUSH_MS);
      }
    });
    try {
      const res = await waiter.race(client.subscribe(params));
      if (res.gap) {
        ctx.err.write(
          `codex-fleet: warning: events after seq ${params.sinceSeq ?? 0} up to ${res.oldestSeq - 1} are no longer buffered; ` +
            "re-read state with `codex-fleet sessions list` / 'approvals list'\n",
        );
      }
      // Replayed events arrive before the subscribe result (one message each); with --follow,
      // events after the replay are live ones.
      for (const e of early.splice(0)) if (flags.follow || e.seq <= res.lastSeq) print(e);
      if (!flags.follow) return;
      live = true;
      printer.flush();
      await waiter.untilFailure();
    } catch (e) {
      if (!(e instanceof StoppedByUser)) throw e;
    } finally {
      clearTimeout(flushTimer);
      printer.flush();
      sub.dispose();
      waiter.dispose();
    }
  },
});

class StoppedByUser extends Error {}

export const entries: CommandEntry[] = [eventsCommand];
