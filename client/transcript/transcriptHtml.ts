/**
 * The transcript panel's HTML and Content-Security-Policy. Pure (unit-tested): the panel passes
 * the webview's `cspSource` and resource URIs. Scripts run only with a fresh `crypto` nonce; no
 * inline handlers; images only from the extension or `data:`; nothing from the network.
 */
import { randomBytes } from 'node:crypto';

export interface TranscriptHtmlParts {
  cspSource: string;
  scriptUri: string;
  cssUri: string;
  codiconsUri: string;
  nonce?: string;
}

/** 128 bits from the OS CSPRNG, base64 (never Math.random). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

export function transcriptCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function transcriptHtml(parts: TranscriptHtmlParts): string {
  const nonce = parts.nonce ?? createNonce();
  const n = attr(nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(transcriptCsp(parts.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link id="vscode-codicon-stylesheet" rel="stylesheet" nonce="${n}" href="${attr(parts.codiconsUri)}">
<link rel="stylesheet" nonce="${n}" href="${attr(parts.cssUri)}">
<title>Codex transcript</title>
</head>
<body>
<div id="app" aria-busy="true"></div>
<script nonce="${n}" src="${attr(parts.scriptUri)}"></script>
</body>
</html>`;
}
