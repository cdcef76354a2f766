// The table `jitscope profile` prints: device first (and loudly when it is the CPU backend),
// kernels by total GPU time, compiled functions, the eager/jit comparison, errors.

import {
  firstRunMark,
  ablationFigures,
  ablationText,
  boundaryRows,
  boundText,
  formatAutotune,
  formatAutotuneCandidates,
  breakEvenText,
  formatLineRef,
  formatLocation,
  compileText,
  formatMs,
  driverCompileText,
  formatNs,
  formatSaving,
  gpuNsText,
  hintKindTitle,
  dispatchesPerCallText,
  kernelMedianCell,
  kernelRateText,
  kernelSpreadCell,
  kernelTotalText,
  peaksText,
  reportedBreakEvenCalls,
  speedupText,
  type Report,
} from "@jitscope/contract";

/** Hints shown in the summary; the report holds them all. */
export const SUMMARY_HINTS = 5;

/** The largest hints, one line each: saving, kind, where, what to change. */
function hintLines(r: Report): string[] {
  const hints = r.hints ?? [];
  if (hints.length === 0) return [];
  const out = ["", "hints (estimated saving from the measured kernels and the device's roofs; README: Hints)"];
  for (const h of hints.slice(0, SUMMARY_HINTS)) {
    const at = h.location ? formatLineRef(h.location.file, h.location.line) : "?";
    out.push(`${formatSaving(h)}  ${hintKindTitle(h.kind)} at ${at}: ${h.message}`);
  }
  if (hints.length > SUMMARY_HINTS) out.push(`… and ${hints.length - SUMMARY_HINTS} more hints (see the report)`);
  return out;
}

/** Columns padded to one width; text columns (`left`, and the last) aligned left, numbers right. */
function pad(rows: string[][], left: readonly number[] = [0]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const alignLeft = (c: number, n: number) => left.includes(c) || c === n - 1;
  return rows
    .map((r) =>
      r
        .map((cell, c) => (alignLeft(c, r.length) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Dispatches per call, as every table writes them. */
const count = dispatchesPerCallText;
const spread = (lo: number | undefined, hi: number | undefined) =>
  lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi)
    ? "–"
    : `${formatMs(lo)}–${formatMs(hi)}`;

/** Widest signature printed in a table: a pytree of 20 arrays would make a 700-character row. */
export const MAX_SIGNATURE = 72;

/**
 * A signature cut to `max` characters at an argument boundary, saying how many arguments it
 * leaves out: "(float32[8,32], float32[32], … 18 more) -> (…)".
 */
export function elideSignature(sig: string, max = MAX_SIGNATURE): string {
  if (sig.length <= max) return sig;
  const arrow = sig.indexOf(" -> ");
  const args = arrow >= 0 ? sig.slice(0, arrow) : sig;
  const inner = args.replace(/^\(/, "").replace(/\)$/, "");
  const parts = splitTopLevel(inner);
  const kept: string[] = [];
  let width = 2;
  for (const p of parts) {
    if (width + p.length + 2 > max - 14 && kept.length > 0) break;
    kept.push(p);
    width += p.length + 2;
  }
  const more = parts.length - kept.length;
  const shown = `(${kept.join(", ")}${more > 0 ? `, … ${more} more` : ""})`;
  return arrow >= 0 ? `${shown} -> (…)` : shown;
}

/** Splits "a[1,2], (b, c), d" at the commas outside brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "[" || ch === "(" || ch === "{") depth++;
    else if (ch === "]" || ch === ")" || ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (text.slice(start).trim()) parts.push(text.slice(start).trim());
  return parts;
}

function errorLines(r: Report): string[] {
  return r.errors.map((e) => {
    const where = e.location ? formatLocation(e.location) : "";
    const first = e.message.split("\n")[0]!;
    return `${e.kind} error${where && !first.includes(where) ? ` at ${where}` : ""}: ${first}`;
  });
}

/** Fusion boundaries shown, costliest first. */
export const MAX_BOUNDARIES = 8;

/** The "not fused" boundaries with what each costs a call, costliest (most bytes) first. */
function boundaryLines(r: Report): string[] {
  const all = boundaryRows(r);
  if (all.length === 0) return [];
  const priced = r.compilations.some((c) => c.fusion.boundaries.some((b) => b.costMs !== undefined));
  const rows = [["function", "producer → consumer", "not fused because", "cost"]];
  const shown = all.slice(0, MAX_BOUNDARIES);
  for (const b of shown) rows.push([b.functionName, b.pair, b.reason, b.cost]);
  const more = all.reduce((n, b) => n + b.count, 0) - shown.reduce((n, b) => n + b.count, 0);
  return [
    "",
    `not fused: fusion boundaries, costliest first (bytes the producer writes and the consumer reads back${priced ? ", timed at the calibrated bandwidth" : ""}; ×N: N boundaries that read alike)`,
    pad(rows, [0, 1, 2]),
    ...(more > 0 ? [`… and ${more} more boundaries (see the report)`] : []),
  ];
}

/** `--ablate`: per pass and function, what turning the pass off changed. */
function ablationLines(r: Report): string[] {
  const rows = [["function", "what the pass is worth", "dispatches/call", "cost/call"]];
  for (const a of r.ablations ?? [])
    for (const f of a.functions)
      rows.push([f.name, ablationText(a.pass, f), ablationFigures(f).dispatches, ablationFigures(f).cost]);
  if (rows.length === 1) return [];
  return [
    "",
    "what each pass is worth (--ablate: the script again with the pass turned off; with → without)",
    pad(rows, [0, 1]),
  ];
}

/** The console summary. A failed run leads with its error and keeps the tables short. */
export function formatSummary(r: Report, maxKernels = 15): string {
  const out: string[] = [];
  const failed = r.errors.length > 0;
  if (failed) {
    out.push(...errorLines(r), "");
    maxKernels = Math.min(maxKernels, 5);
  }
  out.push(
    `device: ${r.device.backend} · ${r.device.adapter} · ${r.device.timestampQuery ? "GPU timestamp queries" : "host timing"}`,
  );
  if (r.device.backend === "cpu" && !r.device.adapter.startsWith("unknown"))
    out.push("!!! CPU BACKEND: no WebGPU adapter was used; times below are CPU reference times, not GPU times !!!");
  if (!r.device.adapter.startsWith("unknown")) out.push(peaksText(r.device));
  for (const n of r.device.notes) out.push(`note: ${n}`);
  const compiles = driverCompileText(r);
  out.push(
    `run: ${r.status} · ${formatMs(r.wallMs)} wall · ${formatNs(r.totalGpuNs)} kernel time${compiles ? ` · ${compiles}` : ""} · ${r.kernels.length} kernels · ${r.compilations.length} compilations`,
  );

  const kernels = [...r.kernels].sort((a, b) => b.totalNs - a.totalNs);
  const tick = r.device.timestampTickNs;
  if (kernels.length) {
    out.push(
      "",
      `kernels by total GPU time (total = first sample + other dispatches × mean of the other samples, outliers aside${tick ? `; timestamps tick every ${gpuNsText(tick)}` : ""})`,
    );
    const rows = [
      [
        "kernel",
        "function",
        "calls",
        "median",
        "p10–p90",
        "total",
        "outliers",
        "bandwidth",
        "compute",
        "bound",
        "lines",
      ],
    ];
    const functionOf = new Map(r.compilations.map((c) => [c.id, c.functionName]));
    for (const k of kernels.slice(0, maxKernels)) {
      const lines = [...new Set(k.locations.map((l) => formatLineRef(l.file, l.line)))].join(" ");
      const fn = k.compilation === null ? "(eager)" : (functionOf.get(k.compilation) ?? "?");
      rows.push([
        k.name,
        fn,
        String(k.dispatches),
        kernelMedianCell(k, r.device),
        kernelSpreadCell(k, r.device),
        kernelTotalText(k),
        String(k.outliers?.length ?? 0),
        kernelRateText(k, k.gbPerS, "GB/s"),
        kernelRateText(k, k.gflopPerS, "GFLOP/s"),
        boundText(k) || "–",
        lines || "–",
      ]);
    }
    out.push(pad(rows, [0, 1, 9]));
    if (kernels.length > maxKernels) out.push(`… and ${kernels.length - maxKernels} more kernels (see the report)`);
    const tuned = kernels.filter((k) => k.autotune);
    if (tuned.length) {
      out.push("", "autotuned kernels (margin = the default configuration's median time ÷ the winner's)");
      for (const k of tuned) {
        out.push(`${k.name} (${k.id}): ${formatAutotune(k.autotune!)}`);
        if (k.autotune!.shapeClass) out.push(`  shape class: ${k.autotune!.shapeClass}`);
        out.push(`  candidates (median time): ${formatAutotuneCandidates(k.autotune!)}`);
      }
    }
  }

  if (r.compilations.length) {
    out.push("", "compiled functions (kernels: in the compiled program; dispatches per call are below)");
    const rows = [["function", "kernels", "compile", "per pass"]];
    for (const c of r.compilations) {
      const perPass = Object.entries(c.compileMs.perPass)
        .map(([p, ms]) => `${p} ${formatMs(ms)}`)
        .join(", ");
      rows.push([
        `${c.functionName} ${elideSignature(c.signature)}`,
        String(c.kernels.length),
        compileText(c),
        perPass,
      ]);
    }
    out.push(pad(rows));
  }

  out.push(...boundaryLines(r));

  if (r.functions.length) {
    out.push(
      "",
      "jitted functions (cost of a call = host part + GPU part: from the call until its results are ready on the device)",
    );
    const rows = [
      ["function", "calls", "compiled", "dispatches/call", "cost/call", "p10–p90", "host", "GPU", "defined at"],
    ];
    for (const fn of r.functions) {
      const c = fn.cost ?? {
        ms: fn.msPerCall + fn.gpuMsPerCall,
        p10: NaN,
        p90: NaN,
        hostMs: fn.msPerCall,
        gpuMs: fn.gpuMsPerCall,
      };
      rows.push([
        fn.name,
        String(fn.calls),
        `${Math.max(1, fn.compilations.length)}×`,
        dispatchesPerCallText(fn.kernelsPerCall),
        formatMs(c.ms) + firstRunMark(c),
        spread(c.p10, c.p90),
        formatMs(c.hostMs),
        formatMs(c.gpuMs),
        fn.location ? formatLineRef(fn.location.file, fn.location.line) : "?",
      ]);
    }
    out.push(pad(rows));
  }

  out.push(...ablationLines(r));

  const recompiled = r.functions.filter((fn) => fn.compilations.length > 1);
  if (recompiled.length) {
    out.push("", "recompilations");
    const byId = new Map(r.compilations.map((c) => [c.id, c]));
    for (const fn of recompiled) {
      out.push(`${fn.name} compiled ${fn.compilations.length}×:`);
      fn.compilations.forEach((id, i) => {
        const c = byId.get(id);
        out.push(`  ${i + 1}. ${c ? `${c.signature} · ${c.reason}` : id}`);
      });
    }
  }

  if (r.comparison && (r.comparison.functions.length || r.comparison.sweeps.length)) {
    out.push("", "eager vs jit");
    if (r.comparison.functions.length) {
      const runs = r.comparison.functions[0]?.jit.runs?.length ?? 1;
      out.push(
        `cost of a call, median${runs > 1 ? ` over ${runs} runs of each mode (spread: lowest–highest run)` : " (spread: p10–p90 of the calls)"}`,
      );
      const rows = [
        [
          "function",
          "eager/call",
          "eager spread",
          "jit/call",
          "jit spread",
          "eager disp/call",
          "jit disp/call",
          "compile",
          "break-even calls",
          "jit vs eager",
        ],
      ];
      for (const c of r.comparison.functions) {
        rows.push([
          c.name,
          formatMs(c.eager.msPerCall) + firstRunMark(c.eager),
          spread(c.eager.p10, c.eager.p90),
          formatMs(c.jit.msPerCall) + firstRunMark(c.jit),
          spread(c.jit.p10, c.jit.p90),
          count(c.eager.dispatchesPerCall),
          count(c.jit.dispatchesPerCall),
          formatMs(c.compileMs),
          c.breakEvenCalls === null ? "never" : String(c.breakEvenCalls),
          speedupText(c),
        ]);
      }
      out.push(pad(rows));
    }
    for (const s of r.comparison.sweeps) {
      // The function's break-even, when compared, is the one every view shows.
      const be = reportedBreakEvenCalls(
        r.comparison.functions.find((c) => c.name === s.name),
        s,
      );
      const how = s.modeled
        ? "PROJECTED from the measured cost of a call (compile + N × cost), not timed"
        : "measured: N calls timed in a loop";
      out.push(
        "",
        `sweep ${s.name}: total time for N calls, ${how} (jit includes compile ${formatMs(s.compileMs)}; ${breakEvenText(be)})`,
      );
      const rows = [["calls", "eager", "jit", ""]];
      for (const p of s.points)
        rows.push([String(p.calls), formatMs(p.eagerMs), formatMs(p.jitMs), s.modeled ? "projected" : "measured"]);
      out.push(pad(rows));
    }
  }

  out.push(...hintLines(r));

  // Repeated at the end too, where a person reading the console's last lines looks.
  if (failed) out.push("", ...errorLines(r));
  return out.join("\n");
}
