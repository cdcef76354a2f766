// Builds a standalone panel page the way the CLI's HTML exporter does (runtime/src/profile/
// html.ts): the report as `<script type="application/json" id="jitscope-report">`, a
// `<div id="app">`, and dist/webview.js inlined. Used by the render test and the benchmark.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { EMBEDDED_REPORT_ELEMENT_ID, PANEL_ROOT_ELEMENT_ID } from "../../runtime/src/profile/panelMessages.js";
import type { Report } from "../../runtime/src/profile/report.js";

export const WEBVIEW_BUNDLE = join(process.cwd(), "dist", "webview.js");

export function standaloneHtml(report: Report, bundle = readFileSync(WEBVIEW_BUNDLE, "utf8")): string {
  // `<` escaped so neither the JSON nor the script can close its <script> element early.
  const json = JSON.stringify(report).replace(/</g, "\\u003c");
  const script = bundle.replace(/<\/script/gi, "<\\/script");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>JIT Scope report</title></head>
<body><div id="${PANEL_ROOT_ELEMENT_ID}"></div>
<script type="application/json" id="${EMBEDDED_REPORT_ELEMENT_ID}">${json}</script>
<script>${script}</script>
</body></html>
`;
}

export function writeStandalonePage(path: string, report: Report): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, standaloneHtml(report));
  return path;
}

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/**
 * A page shaped like the extension's webview: no embedded report, the extension's strict CSP
 * with a nonce (worker-src blob: for the layout worker), and the one script.
 */
export function webviewLikeHtml(bundle = readFileSync(WEBVIEW_BUNDLE, "utf8")): string {
  const nonce = "dGVzdG5vbmNl";
  const csp = `default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'none'; script-src 'nonce-${nonce}'; worker-src blob:`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"></head>
<body class="vscode-dark"><div id="${PANEL_ROOT_ELEMENT_ID}"></div>
<script nonce="${nonce}">${bundle.replace(/<\/script/gi, "<\\/script")}</script>
</body></html>
`;
}
