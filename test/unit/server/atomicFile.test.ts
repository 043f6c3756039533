import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtomicJsonFile } from '../../../server/store/atomicFile';
import { FleetStateStore } from '../../../server/store/fleetState';

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('durable state', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fleet-unit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const isObj = (v: unknown): v is { n: number } => typeof v === 'object' && v !== null && typeof (v as { n?: unknown }).n === 'number';

  it('writes atomically and reads back; leaves no temp files', () => {
    const f = new AtomicJsonFile(join(dir, 'x.json'), () => ({ n: 0 }), isObj);
    assert.deepEqual(f.load(), { value: { n: 0 } });
    f.save({ n: 7 });
    assert.deepEqual(f.load().value, { n: 7 });
    assert.deepEqual(readdirSync(dir), ['x.json']);
  });

  it('moves a corrupt or wrongly shaped file aside and says so', () => {
    const p = join(dir, 'x.json');
    writeFileSync(p, '{"n": 1');
    const f = new AtomicJsonFile(p, () => ({ n: 0 }), isObj);
    const r = f.load();
    assert.deepEqual(r.value, { n: 0 });
    assert.ok(r.movedAside && readFileSync(r.movedAside, 'utf8') === '{"n": 1');
    writeFileSync(p, '{"m": 1}');
    assert.match(f.load().error ?? '', /shape/);
  });

  it('persists queued follow-ups across instances, in order, and reports corruption', () => {
    const warnings: string[] = [];
    const a = new FleetStateStore(dir, silent, (m) => warnings.push(m));
    const q1 = a.enqueue({ sessionId: 's', text: 'one', images: [], queuedAt: 1, by: 't' });
    a.enqueue({ sessionId: 's', text: 'two', images: [], queuedAt: 2, by: 't' });
    const b = new FleetStateStore(dir, silent, (m) => warnings.push(m));
    assert.deepEqual(b.queueFor('s').map((q) => q.text), ['one', 'two']);
    assert.equal(b.dequeue('s', q1.id)?.text, 'one');
    assert.equal(b.dequeue('s', q1.id), undefined);
    writeFileSync(join(dir, 'state.json'), 'garbage');
    const c = new FleetStateStore(dir, silent, (m) => warnings.push(m));
    assert.deepEqual(c.allQueued().map((q) => q.text), ['two'], 'queued messages have their own files: a corrupt state.json loses none');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /moved aside/);
    assert.equal(c.enqueue({ sessionId: 's', text: 'three', images: [], queuedAt: 3, by: 't' }).id, 'q-3', 'ids are not reused');
  });

  it('a state write costs what changed: queued text is never rewritten into state.json', () => {
    const s = new FleetStateStore(dir, silent, () => undefined);
    for (let i = 0; i < 5; i++) s.enqueue({ sessionId: 's', text: 'x'.repeat(100_000), images: [], queuedAt: i, by: 't' });
    assert.ok(statSync(join(dir, 'state.json')).size < 1000);
    assert.deepEqual(readdirSync(join(dir, 'queue')).sort(), ['q-1.json', 'q-2.json', 'q-3.json', 'q-4.json', 'q-5.json']);
    s.dequeue('s', 'q-1');
    assert.equal(existsSync(join(dir, 'queue', 'q-1.json')), false);
    // A state.json of an earlier version, queue inside, is migrated to files.
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ version: 1, sessions: {}, defaults: {}, queue: { t: [{ id: 'q-9', sessionId: 't', text: 'old', images: [], queuedAt: 1, by: 'v0' }] }, nextQueuedId: 10 }));
    const m = new FleetStateStore(dir, silent, () => undefined);
    assert.deepEqual(m.queueFor('t').map((q) => q.text), ['old']);
    assert.equal(existsSync(join(dir, 'queue', 'q-9.json')), true);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).queue, {});
  });

  it('appends the audit and tolerates a torn last line', () => {
    const s = new FleetStateStore(dir, silent, () => undefined);
    s.audit({ requestId: 'req-1', sessionId: 's', kind: 'commandApproval', at: 1, by: 'cli', outcome: 'answered', answer: { type: 'decision', decision: 'accept' } });
    writeFileSync(join(dir, 'audit.jsonl'), readFileSync(join(dir, 'audit.jsonl'), 'utf8') + '{"requestId":"req-2","ses');
    assert.deepEqual(s.readAudit().map((a) => a.requestId), ['req-1']);
  });
});
