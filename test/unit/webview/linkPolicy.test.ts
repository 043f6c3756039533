import * as assert from 'node:assert/strict';
import { classifyLink } from '../../../client/transcript/linkPolicy';
import { createNonce, transcriptCsp, transcriptHtml } from '../../../client/transcript/transcriptHtml';

const CWD = '/work/demo';

describe('client/linkPolicy', () => {
  it('opens http(s) and mailto externally', () => {
    assert.deepEqual(classifyLink('https://example.com/a?b=1#c', CWD), { kind: 'external', uri: 'https://example.com/a?b=1#c' });
    assert.deepEqual(classifyLink(' HTTP://Example.com ', CWD), { kind: 'external', uri: 'http://example.com/' });
    assert.equal(classifyLink('mailto:a@b.c', CWD).kind, 'external');
  });

  it('refuses every other scheme, including ones VS Code would act on', () => {
    for (const url of [
      'javascript:__pwned()',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      'command:workbench.action.terminal.new',
      'vscode://vscode.git/clone?url=x',
      'vscode-insiders://x',
      'blob:https://x/1',
      'ftp://example.com',
      'java\u0000script:alert(1)',
      '#top',
      '',
    ]) {
      assert.equal(classifyLink(url, CWD).kind, 'refused', url);
    }
  });

  it('opens paths and file URLs in the editor, with a line and column', () => {
    assert.deepEqual(classifyLink('src/app.ts:42', CWD), { kind: 'file', path: '/work/demo/src/app.ts', line: 42, column: undefined });
    assert.deepEqual(classifyLink('/abs/x.ts:3:7', CWD), { kind: 'file', path: '/abs/x.ts', line: 3, column: 7 });
    assert.deepEqual(classifyLink('src/a%20b.ts#L10C2', CWD), { kind: 'file', path: '/work/demo/src/a b.ts', line: 10, column: 2 });
    assert.deepEqual(classifyLink('file:///etc/hosts', CWD), { kind: 'file', path: '/etc/hosts', line: undefined, column: undefined });
    assert.equal(classifyLink('file://evil.example/share/x', CWD).kind, 'refused');
    assert.equal(classifyLink('C:\\work\\x.ts:5', CWD).kind, 'file');
  });

  it('reads file URLs with fileURLToPath: Windows drive letters, encoded characters, no encoded separators', () => {
    const win = (url: string) => classifyLink(url, 'C:\\work\\demo', true);
    assert.deepEqual(win('file:///C:/work/a%20b.ts#L3'), { kind: 'file', path: 'C:\\work\\a b.ts', line: 3, column: undefined });
    assert.deepEqual(win('file://localhost/D:/x.ts'), { kind: 'file', path: 'D:\\x.ts', line: undefined, column: undefined });
    assert.deepEqual(win('src\\app.ts:4:2'), { kind: 'file', path: 'C:\\work\\demo\\src\\app.ts', line: 4, column: 2 });
    assert.equal(win('file://server/share/x.ts').kind, 'refused');
    assert.equal(win('file:///C:/a%5C..%5Cb').kind, 'refused');
    assert.deepEqual(classifyLink('file://localhost/etc/hosts:2', CWD, false), { kind: 'file', path: '/etc/hosts', line: 2, column: undefined });
    assert.equal(classifyLink('file:///etc%2Fpasswd', CWD, false).kind, 'refused');
  });
});

describe('client/transcriptHtml', () => {
  it('builds a strict CSP with a fresh crypto nonce and no inline script', () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.equal(Buffer.from(a, 'base64').length, 16);
    assert.equal(
      transcriptCsp('https://x.vscode-cdn.net', 'N'),
      "default-src 'none'; script-src 'nonce-N'; style-src https://x.vscode-cdn.net 'nonce-N'; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net",
    );
    const html = transcriptHtml({ cspSource: 'https://x', scriptUri: 'https://x/t.js?a="b"', cssUri: 'https://x/t.css', codiconsUri: 'https://x/c.css', nonce: 'N' });
    assert.match(html, /<script nonce="N" src="https:\/\/x\/t\.js\?a=&quot;b&quot;"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script tag, external');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
    assert.match(html, /id="vscode-codicon-stylesheet"/);
  });
});
