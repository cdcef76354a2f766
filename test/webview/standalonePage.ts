// Pages for the render tests and the benchmark: the standalone report exactly as the CLI writes
// it (runtime/src/profile/html.ts with dist/webview.js inlined), and a page shaped like the
// extension's webview (strict CSP, nonce, no embedded report).

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderHtmlReport } from "../../runtime/src/profile/html.js";
import { PANEL_ROOT_ELEMENT_ID } from "@jitscope/contract";
import type { Report } from "@jitscope/contract";
import type { Page } from "playwright-core";

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

/**
 * Picks the compiled function whose label starts with `name` in the graph's dropdown, and waits
 * for its graph. The panel opens on the function with the most GPU time; tests about another one
 * choose it as a user would.
 */
export async function chooseFunction(page: Page, name: string): Promise<void> {
  const id = await page.evaluate((n) => {
    const el = document.querySelector("#compilation-select") as (HTMLElement & { value: string }) | null;
    const option = [...document.querySelectorAll<HTMLElement>("#compilation-select vscode-option")].find((o) =>
      (o.textContent ?? "").trim().startsWith(`${n} `),
    );
    if (!el || !option) return null;
    const value = option.getAttribute("value") ?? "";
    if (el.value !== value) {
      el.value = value;
      el.dispatchEvent(new Event("change"));
    }
    return value;
  }, name);
  if (id === null) throw new Error(`no compiled function ${name} in the dropdown`);
  await page.waitForSelector(`#view-graph[data-compilation="${id}"][data-state=rendered]`, { timeout: 20_000 });
}
