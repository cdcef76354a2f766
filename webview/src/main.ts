// The panel's entry (dist/webview.js): in VS Code it receives its report by message; in the
// standalone HTML report it reads the JSON embedded in the page.

import { PanelApp } from "./app.js";
import { registerToolkit } from "./components/toolkit.js";
import { connectHost } from "./host.js";
import {
  EMBEDDED_REPORT_ELEMENT_ID,
  PANEL_ROOT_ELEMENT_ID,
  parseHostMessage,
  reportProblem,
  type Report,
} from "@jitscope/contract";
import { STANDALONE_THEME_CSS } from "./standaloneTheme.js";
import { ADVICE_CSS } from "./adviceStyles.js";
import { PANEL_CSS } from "./styles.js";

function boot(): void {
  const host = connectHost();
  const style = document.createElement("style");
  style.textContent = (host.inEditor ? PANEL_CSS : STANDALONE_THEME_CSS + PANEL_CSS) + ADVICE_CSS;
  document.head.appendChild(style);
  // After the theme's variables exist: the toolkit reads them when it registers.
  registerToolkit();
  let root = document.getElementById(PANEL_ROOT_ELEMENT_ID);
  if (!root) {
    root = document.createElement("div");
    root.id = PANEL_ROOT_ELEMENT_ID;
    document.body.appendChild(root);
  }
  const app = new PanelApp(root, host);

  const embedded = document.getElementById(EMBEDDED_REPORT_ELEMENT_ID);
  if (embedded?.textContent) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(embedded.textContent);
    } catch (err) {
      parsed = err;
    }
    const problem =
      parsed instanceof Error ? `the embedded report is not valid JSON (${parsed.message})` : reportProblem(parsed);
    if (problem) root.textContent = `JIT Scope cannot show this report: ${problem}.`;
    else app.setReport(parsed as Report);
  }

  window.addEventListener("message", (ev: MessageEvent<unknown>) => {
    const msg = parseHostMessage(ev.data);
    if (msg) app.handle(msg);
  });
  host.post({ type: "ready" });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
