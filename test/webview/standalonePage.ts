// Pages for the render tests and the benchmark: the standalone report exactly as the CLI writes
// it (runtime/src/profile/html.ts with dist/webview.js inlined), and a page shaped like the
// extension's webview (strict CSP, nonce, no embedded report).

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderHtmlReport } from "../../runtime/src/profile/html.js";
import { PANEL_ROOT_ELEMENT_ID } from "@jitscope/contract";
import type { Report } from "@jitscope/contract";

export const WEBVIEW_BUNDLE = join(process.cwd(), "dist", "webview.js");

/** The CLI's own exporter with our bundle: the page `jitscope profile --html` writes. */
export function standaloneHtml(report: Report, bundle = readFileSync(WEBVIEW_BUNDLE, "utf8")): string {
  return renderHtmlReport(report, bundle);
}

export function writeStandalonePage(path: string, report: Report): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, standaloneHtml(report));
  return path;
}

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
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
