// The standalone HTML report: one self-contained page. With the panel's bundle (dist/webview.js)
// it is the panel itself, reading the report embedded as JSON; without it, a readable static
// summary. Pure string building (the CLI finds the bundle and writes the file).

import {
  firstRunMark,
  ablationFigures,
  ablationText,
  formatAutotune,
  formatAutotuneCandidates,
  baseName,
  boundaryRows,
  boundText,
  breakEvenText,
  callCostOf,
  EMBEDDED_REPORT_ELEMENT_ID,
  formatBytes,
  formatLineRef,
  compileText,
  formatMs,
  driverCompileText,
  formatNs,
  gpuNsText,
  dispatchesPerCallText,
  kernelMedianCell,
  kernelRateText,
  kernelSpreadCell,
  kernelTotalText,
  PANEL_ROOT_ELEMENT_ID,
  peaksText,
  reportedBreakEvenCalls,
  speedupText,
  type Report,
} from "@jitscope/contract";

/** JSON safe inside <script>: no "</script>", no "<!--", no line separators that break JS. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Inline script text may not contain "</script"; "<\/script" means the same inside JS strings. */
function escapeInlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

const BASE_STYLE = `body{font:13px system-ui,sans-serif;margin:0;background:#1e1e1e;color:#ddd}
#app{min-height:100vh}table{border-collapse:collapse;margin:8px 0}td,th{padding:2px 8px;border-bottom:1px solid #444;text-align:right}
td:first-child,th:first-child{text-align:left}h1,h2{font-weight:600}.loud{color:#f88;font-weight:700}main{padding:12px 20px}`;

export function renderHtmlReport(report: Report, webviewJs: string | null): string {
  const title = `JIT Scope · ${baseName(report.script)}`;
  const body = webviewJs === null ? staticSummary(report) : "";
  const script = webviewJs === null ? "" : `<script>${escapeInlineScript(webviewJs)}</script>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${BASE_STYLE}</style></head>
<body><div id="${PANEL_ROOT_ELEMENT_ID}">${body}</div>
<script type="application/json" id="${EMBEDDED_REPORT_ELEMENT_ID}">${embedJson(report)}</script>
${script}
</body></html>
`;
}

/** A count that may be fractional (dispatches per call). */
const count = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");
const range = (lo: number | undefined, hi: number | undefined) =>
  lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi)
    ? "–"
    : `${formatMs(lo)}–${formatMs(hi)}`;

function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

function staticSummary(r: Report): string {
  const compiles = driverCompileText(r);
  const parts: string[] = [
    `<main><h1>JIT Scope report</h1>`,
    `<p>${escapeHtml(r.script)} · ${escapeHtml(r.status)} · ${formatMs(r.wallMs)} wall · ${formatNs(r.totalGpuNs)} GPU${compiles ? ` · ${escapeHtml(compiles)}` : ""}</p>`,
  ];
  parts.push(
    `<p>Device: ${escapeHtml(r.device.backend)} · ${escapeHtml(r.device.adapter)}${r.device.timestampQuery ? "" : " · host timing"}</p>`,
  );
  parts.push(`<p id="peaks">${escapeHtml(peaksText(r.device))}</p>`);
  if (r.device.backend === "cpu")
    parts.push(`<p class="loud">Ran on the CPU reference backend: times are not GPU times.</p>`);
  for (const n of r.device.notes) parts.push(`<p class="loud">${escapeHtml(n)}</p>`);
  for (const e of r.errors)
    parts.push(
      `<p class="loud">${escapeHtml(e.kind)} error: ${escapeHtml(e.message)}${e.location ? ` (${escapeHtml(`${e.location.file}:${e.location.line}`)})` : ""}</p>`,
    );
  const kernels = [...r.kernels].sort((a, b) => b.totalNs - a.totalNs);
  parts.push(`<h2>Kernels by total GPU time</h2>`);
  const tick = r.device.timestampTickNs;
  parts.push(
    `<p>Total = the first dispatch's sample + the other dispatches × the mean of the other samples, outliers set aside (beyond median + 5 robust deviations, twins' samples pooled)${tick ? `; timestamps tick every ${escapeHtml(gpuNsText(tick))}` : ""}.</p>`,
  );
  parts.push(
    table(
      ["kernel", "calls", "median", "p10–p90", "total", "outliers", "bandwidth", "compute", "bound", "lines"],
      kernels.map((k) => [
        k.name,
        String(k.dispatches),
        kernelMedianCell(k, r.device),
        kernelSpreadCell(k, r.device),
        kernelTotalText(k),
        String(k.outliers?.length ?? 0),
        kernelRateText(k, k.gbPerS, "GB/s"),
        kernelRateText(k, k.gflopPerS, "GFLOP/s"),
        boundText(k) || "–",
        [...new Set(k.locations.map((l) => formatLineRef(l.file, l.line)))].join(" "),
      ]),
    ),
  );
  const tuned = kernels.filter((k) => k.autotune);
  if (tuned.length) {
    parts.push(`<h2>Autotuned kernels</h2>`);
    parts.push(`<p>Margin = the default configuration's median time ÷ the winner's.</p>`);
    parts.push(
      table(
        ["kernel", "autotune", "shape class", "candidates (median time)"],
        tuned.map((k) => [
          k.name,
          formatAutotune(k.autotune!),
          k.autotune!.shapeClass ?? "–",
          formatAutotuneCandidates(k.autotune!),
        ]),
      ),
    );
  }
  if (r.functions.length) {
    parts.push(`<h2>Jitted functions</h2>`);
    parts.push(`<p>Cost of a call: host part + GPU part, from the call until its results are ready on the device.</p>`);
    parts.push(
      table(
        ["function", "calls", "compiled", "dispatches/call", "cost/call", "p10–p90", "host", "GPU"],
        r.functions.map((fn) => {
          const c = callCostOf(fn);
          return [
            fn.name,
            String(fn.calls),
            `${Math.max(1, fn.compilations.length)}×`,
            dispatchesPerCallText(fn.kernelsPerCall),
            formatMs(c.ms) + firstRunMark(c),
            range(c.p10, c.p90),
            formatMs(c.hostMs),
            formatMs(c.gpuMs),
          ];
        }),
      ),
    );
  }
  if (r.compilations.length) {
    parts.push(`<h2>Compilations</h2>`);
    parts.push(
      table(
        ["function", "signature", "compile", "passes", "kernels"],
        r.compilations.map((c) => [
          c.functionName,
          c.signature,
          compileText(c),
          Object.entries(c.compileMs.perPass)
            .map(([p, ms]) => `${p} ${formatMs(ms)}`)
            .join(", "),
          String(c.kernels.length),
        ]),
      ),
    );
  }
  const planned = r.compilations.filter((c) => c.memory);
  if (planned.length) {
    parts.push(`<h2>Memory: the peak of each compiled function</h2>`);
    parts.push(
      table(
        ["function", "peak live", "at step", "allocated", "largest buffers live there"],
        planned.map((c) => {
          const m = c.memory!;
          const live = m.buffers
            .filter((b) => b.start <= m.peakStep && m.peakStep <= b.end)
            .sort((a, b) => b.bytes - a.bytes);
          return [
            c.functionName,
            formatBytes(m.peakBytes),
            `${m.peakStep} of ${m.steps}`,
            formatBytes(c.peakBytes),
            live
              .slice(0, 3)
              .map(
                (b) =>
                  `${b.label} ${formatBytes(b.bytes)}${b.location ? ` (${formatLineRef(b.location.file, b.location.line)})` : ""}`,
              )
              .join(", ") + (live.length > 3 ? ` … ${live.length - 3} more` : ""),
          ];
        }),
      ),
    );
  }
  const ablations = (r.ablations ?? []).flatMap((a) => a.functions.map((f) => ({ a, f })));
  if (ablations.length) {
    parts.push(`<h2>What each pass is worth (--ablate: the script again with the pass turned off)</h2>`);
    parts.push(
      table(
        ["function", "what the pass is worth", "dispatches/call (with → without)", "cost/call (with → without)"],
        ablations.map(({ a, f }) => [
          f.name,
          ablationText(a.pass, f),
          ablationFigures(f).dispatches,
          ablationFigures(f).cost,
        ]),
      ),
    );
  }
  const boundaries = boundaryRows(r);
  if (boundaries.length) {
    parts.push(`<h2>Not fused: fusion boundaries, costliest first</h2>`);
    parts.push(
      table(
        ["function", "producer → consumer", "not fused because", "cost"],
        boundaries.map((b) => [b.functionName, b.pair, b.reason, b.cost]),
      ),
    );
  }
  if (r.comparison) {
    parts.push(`<h2>Eager vs jit</h2>`);
    parts.push(
      table(
        [
          "function",
          "eager/call",
          "eager spread",
          "jit/call",
          "jit spread",
          "eager dispatches",
          "jit dispatches",
          "compile",
          "break-even calls",
          "jit vs eager",
        ],
        r.comparison.functions.map((c) => [
          c.name,
          formatMs(c.eager.msPerCall) + firstRunMark(c.eager),
          range(c.eager.p10, c.eager.p90),
          formatMs(c.jit.msPerCall) + firstRunMark(c.jit),
          range(c.jit.p10, c.jit.p90),
          count(c.eager.dispatchesPerCall),
          count(c.jit.dispatchesPerCall),
          formatMs(c.compileMs),
          c.breakEvenCalls === null ? "never" : String(c.breakEvenCalls),
          speedupText(c),
        ]),
      ),
    );
    for (const s of r.comparison.sweeps) {
      const be = reportedBreakEvenCalls(
        r.comparison.functions.find((c) => c.name === s.name),
        s,
      );
      parts.push(
        `<h2>Sweep: ${escapeHtml(s.name)} (${s.modeled ? "projected from the cost of a call" : "measured"}; ${escapeHtml(breakEvenText(be))})</h2>`,
      );
      parts.push(
        table(
          ["calls", "eager", "jit (incl. compile)", ""],
          s.points.map((p) => [
            String(p.calls),
            formatMs(p.eagerMs),
            formatMs(p.jitMs),
            s.modeled ? "projected" : "measured",
          ]),
        ),
      );
    }
  }
  parts.push(`</main>`);
  return parts.join("\n");
}
