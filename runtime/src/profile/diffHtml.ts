// `jitscope diff --html`: the diff as one self-contained static page (the same tables the CLI
// prints), with the diff embedded as JSON for tools that read the page.

import { embedJson } from "./html.js";
import { diffTables, type ReportDiff } from "@jitscope/contract";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const STYLE = `body{font:13px system-ui,sans-serif;margin:0;background:#1e1e1e;color:#ddd}main{padding:12px 20px}
table{border-collapse:collapse;margin:8px 0}td,th{padding:2px 8px;border-bottom:1px solid #444;text-align:left}
h1,h2{font-weight:600}.added{color:#8f8}.removed{color:#f88}.split,.merged,.changed,.regrouped{color:#fc6}.method{color:#aaa}`;

export function renderDiffHtml(d: ReportDiff): string {
  const parts = [
    `<main><h1>JIT Scope diff</h1>`,
    `<p>old: ${esc(d.old.script)} · ${esc(d.old.createdAt)} · ${esc(d.old.adapter)}</p>`,
    `<p>new: ${esc(d.new.script)} · ${esc(d.new.createdAt)} · ${esc(d.new.adapter)}</p>`,
    `<p><strong>${esc(d.summary.text)}</strong></p>`,
    `<p class="method">${esc(d.method)}</p>`,
  ];
  for (const t of diffTables(d)) {
    const changeCol = t.head.indexOf("change");
    const th = t.head.map((h) => `<th>${esc(h)}</th>`).join("");
    const rows = t.rows
      .map(
        (r) =>
          `<tr>${r.map((c, i) => `<td${i === changeCol ? ` class="${esc(c.split(" ")[0]!)}"` : ""}>${esc(c)}</td>`).join("")}</tr>`,
      )
      .join("\n");
    parts.push(`<h2>${esc(t.title)}</h2><table><thead><tr>${th}</tr></thead><tbody>${rows}</tbody></table>`);
  }
  parts.push(`</main>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>JIT Scope diff · ${esc(d.new.script.split(/[\\/]/).pop() ?? "")}</title><style>${STYLE}</style></head>
<body>${parts.join("\n")}
<script type="application/json" id="jitscope-diff">${embedJson(d)}</script>
</body></html>
`;
}
