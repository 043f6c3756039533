/**
 * Transcript webview entry (bundled by esbuild to dist/webview/transcript.js, a browser IIFE).
 * Registers the @vscode-elements components it uses, builds the app and starts the handshake:
 * `ready` first, the host answers with `init`.
 *
 * `<div id="app" data-virtualize="off">` renders every row (bench baseline, XSS full render only).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import { HostChannel } from './host';
import { TranscriptApp } from './view/app';

function boot(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('transcript: #app is missing');
  const app = new TranscriptApp(root, new HostChannel(), { virtualize: root.dataset.virtualize !== 'off' });
  app.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot, { once: true });
else boot();
