// The panel page: a strict CSP with a per-load nonce, the bundled dist/webview.js, and the root
// element the webview renders into. Pure (no vscode import) so the CSP is unit-tested.

import { randomBytes } from "node:crypto";
import { PANEL_ROOT_ELEMENT_ID } from "@jitscope/contract";

export function makeNonce(): string {
  return randomBytes(18)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "");
}

export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "worker-src blob:",
  ].join("; ");
}

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export interface PanelHtmlInput {
  cspSource: string;
  scriptUri: string;
  nonce: string;
}

export function panelHtml(input: PanelHtmlInput): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(panelCsp(input.cspSource, input.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>JIT Scope</title>
</head>
<body>
<div id="${PANEL_ROOT_ELEMENT_ID}"></div>
<script nonce="${input.nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>`;
}
