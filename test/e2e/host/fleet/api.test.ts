/**
 * The API other extensions get from `activate`, and the commands, inside a real VS Code's extension
 * host with the real codex and the scripted model.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FleetApiEvent } from '../../../../client/apiTypes';
import { EXTENSION_ID, nextEvent, useHostFleet } from './hostFixture';

type Ev<K extends FleetApiEvent['kind']> = Extract<FleetApiEvent, { kind: K }>;
const is =
  <K extends FleetApiEvent['kind']>(kind: K, pred: (e: Ev<K>) => boolean = () => true) =>
  (e: FleetApiEvent): e is Ev<K> =>
    e.kind === kind && pred(e as Ev<K>);

const escalated = (cmd: string) => ({
  type: 'functionCall' as const,
  name: 'exec_command',
  arguments: { cmd, sandbox_permissions: 'require_escalated', justification: 'host test' },
});

describe('Codex Fleet API and commands (extension host, real codex)', function () {
  this.timeout(60_000);
  const fleet = useHostFleet();
  let sessionId = '';

  it('activate returns the versioned API', () => {
    assert.equal(fleet.api.version, 1);
  });

  it('starts a session with a first message and streams the reply to subscribers', async () => {
    fleet.model.enqueue([{ type: 'message', text: 'hello from the scripted model', chunks: ['hello ', 'from the ', 'scripted model'] }]);
    const deltas: string[] = [];
    const sub = fleet.api.subscribe({ kinds: ['item/delta'] }, (e) => {
      if (e.kind === 'item/delta' && e.stream === 'agentMessage') deltas.push(e.delta);
    });
    const completed = nextEvent(fleet.api, is('turn/completed'));
    const session = await fleet.api.startSession({ text: 'say hello', name: 'API session' });
    sessionId = session.id;
    const done = await completed;
    sub.dispose();
    assert.equal(done.sessionId, session.id);
    assert.equal(done.folder, fleet.workspace);
    assert.deepEqual([done.status, done.reply], ['completed', 'hello from the scripted model']);
    assert.equal(deltas.join(''), 'hello from the scripted model');
    const listed = await fleet.api.listSessions();
    assert.ok(listed.some((s) => s.id === session.id && s.name === 'API session'));
  });

  it('answers an approval; a second answer is told it was already resolved', async () => {
    fleet.model.enqueue([escalated('echo via-api')], [{ type: 'message', text: 'approved via the API' }]);
    const pending = nextEvent(fleet.api, is('request/pending', (e) => e.request.sessionId === sessionId));
    const completed = nextEvent(fleet.api, is('turn/completed', (e) => e.sessionId === sessionId));
    const sent = await fleet.api.send(sessionId, 'run it');
    assert.equal(sent.delivery, 'started');
    const { request } = await pending;
    assert.equal(request.kind, 'commandApproval');
    assert.ok((await fleet.api.listRequests({ sessionId })).some((r) => r.id === request.id));
    await fleet.api.answerRequest(request.id, { type: 'decision', decision: 'accept' });
    await assert.rejects(fleet.api.answerRequest(request.id, { type: 'decision', decision: 'decline' }), (e: { code?: number }) => e.code === -32003);
    const done = await completed;
    assert.deepEqual([done.status, done.reply], ['completed', 'approved via the API']);
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (ext.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length > 20);
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  it('runs session commands given a session id (no picker)', async () => {
    const renamed = nextEvent(fleet.api, is('session/updated', (e) => e.session.id === sessionId && e.session.name === 'Renamed by command'));
    await vscode.commands.executeCommand('codexFleet.renameSession', sessionId, 'Renamed by command');
    await renamed;
    fleet.model.enqueue([{ type: 'message', text: 'sent by command' }]);
    const completed = nextEvent(fleet.api, is('turn/completed', (e) => e.sessionId === sessionId && e.reply === 'sent by command'));
    await vscode.commands.executeCommand('codexFleet.sendMessage', sessionId, 'from a command');
    await completed;
    const req = await fleet.model.waitForRequest((r) => r.lastUserText() === 'from a command');
    assert.ok(req);
  });

  it('answers a request by id through the Accept command', async () => {
    fleet.model.enqueue([escalated('echo via-command')], [{ type: 'message', text: 'accepted by command' }]);
    const pending = nextEvent(fleet.api, is('request/pending', (e) => e.request.sessionId === sessionId));
    const completed = nextEvent(fleet.api, is('turn/completed', (e) => e.sessionId === sessionId));
    await fleet.api.send(sessionId, 'again');
    const { request } = await pending;
    const ok = await vscode.commands.executeCommand<boolean>('codexFleet.acceptRequest', request.id);
    assert.equal(ok, true);
    assert.equal((await completed).reply, 'accepted by command');
    // The same id again: no longer pending, answered quietly with `false`, no error dialog.
    assert.equal(await vscode.commands.executeCommand<boolean>('codexFleet.acceptRequest', request.id), false);
  });
});
