// The table `jitscope profile` prints: device first (and loudly when it is the CPU backend),
// kernels by total GPU time, compiled functions, the eager/jit comparison, errors.

import { breakEvenText, formatLineRef, formatLocation, formatMs, formatNs, formatRate, gpuNsText, speedupText, type Report } from "@jitscope/contract";

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd()).join("\n");
}

/** A count that may be fractional (dispatches per call). */
const count = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");
const spread = (lo: number | undefined, hi: number | undefined) => (lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi) ? "–" : `${formatMs(lo)}–${formatMs(hi)}`);

export function formatSummary(r: Report, maxKernels = 15): string {
  const out: string[] = [];
  out.push(`device: ${r.device.backend} · ${r.device.adapter} · ${r.device.timestampQuery ? "GPU timestamp queries" : "host timing"}`);
  if (r.device.backend === "cpu" && !r.device.adapter.startsWith("unknown")) out.push("!!! CPU BACKEND: no WebGPU adapter was used; times below are CPU reference times, not GPU times !!!");
  for (const n of r.device.notes) out.push(`note: ${n}`);
  out.push(`run: ${r.status} · ${formatMs(r.wallMs)} wall · ${formatNs(r.totalGpuNs)} kernel time · ${r.kernels.length} kernels · ${r.compilations.length} compilations`);

  const kernels = [...r.kernels].sort((a, b) => b.totalNs - a.totalNs);
  const tick = r.device.timestampTickNs;
  if (kernels.length) {
    out.push("", `kernels by total GPU time (total = dispatches × mean of the samples without outliers${tick ? `; timestamps tick every ${gpuNsText(tick)}` : ""})`);
    const rows = [["kernel", "calls", "median", "p10–p90", "total", "outliers", "bandwidth", "compute", "lines"]];
    for (const k of kernels.slice(0, maxKernels)) {
      const lines = [...new Set(k.locations.map((l) => formatLineRef(l.file, l.line)))].join(" ");
      const range = k.p10Ns !== undefined && k.p90Ns !== undefined ? `${gpuNsText(k.p10Ns, tick)}–${gpuNsText(k.p90Ns, tick)}` : "–";
      rows.push([k.name, String(k.dispatches), gpuNsText(k.medianNs, tick), range, formatNs(k.totalNs), String(k.outliers?.length ?? 0), formatRate(k.gbPerS, "GB/s"), formatRate(k.gflopPerS, "GFLOP/s"), lines]);
    }
    out.push(pad(rows));
    if (kernels.length > maxKernels) out.push(`… and ${kernels.length - maxKernels} more kernels (see the report)`);
  }

  if (r.compilations.length) {
    out.push("", "compiled functions");
    const rows = [["function", "kernels/call", "compile", "per pass"]];
    for (const c of r.compilations) {
      const perPass = Object.entries(c.compileMs.perPass).map(([p, ms]) => `${p} ${formatMs(ms)}`).join(", ");
      rows.push([`${c.functionName} ${c.signature}`, String(c.kernels.length), formatMs(c.compileMs.total), perPass]);
    }
    out.push(pad(rows));
  }

  if (r.functions.length) {
    out.push("", "jitted functions (cost of a call = host part + GPU part: from the call until its results are ready on the device)");
    const rows = [["function", "calls", "compiled", "kernels/call", "cost/call", "p10–p90", "host", "GPU", "defined at"]];
    for (const fn of r.functions) {
      const c = fn.cost ?? { ms: fn.msPerCall + fn.gpuMsPerCall, p10: NaN, p90: NaN, hostMs: fn.msPerCall, gpuMs: fn.gpuMsPerCall };
      rows.push([fn.name, String(fn.calls), `${Math.max(1, fn.compilations.length)}×`, String(fn.kernelsPerCall), formatMs(c.ms), spread(c.p10, c.p90), formatMs(c.hostMs), formatMs(c.gpuMs), fn.location ? formatLineRef(fn.location.file, fn.location.line) : "?"]);
    }
    out.push(pad(rows));
  }

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
      out.push(`cost of a call, median${runs > 1 ? ` over ${runs} runs of each mode (spread: lowest–highest run)` : " (spread: p10–p90 of the calls)"}`);
      const rows = [["function", "eager/call", "eager spread", "jit/call", "jit spread", "eager disp/call", "jit disp/call", "compile", "break-even calls", "jit vs eager"]];
      for (const c of r.comparison.functions) {
        rows.push([c.name, formatMs(c.eager.msPerCall), spread(c.eager.p10, c.eager.p90), formatMs(c.jit.msPerCall), spread(c.jit.p10, c.jit.p90), count(c.eager.dispatchesPerCall), count(c.jit.dispatchesPerCall), formatMs(c.compileMs), c.breakEvenCalls === null ? "never" : String(c.breakEvenCalls), speedupText(c)]);
      }
      out.push(pad(rows));
    }
    for (const s of r.comparison.sweeps) {
      // The function's break-even, when compared, is the one every view shows.
      const be = r.comparison.functions.find((c) => c.name === s.name)?.breakEvenCalls ?? s.breakEvenCalls;
      const how = s.modeled ? "PROJECTED from the measured cost of a call (compile + N × cost), not timed" : "measured: N calls timed in a loop";
      out.push("", `sweep ${s.name}: total time for N calls, ${how} (jit includes compile ${formatMs(s.compileMs)}; ${breakEvenText(be)})`);
      const rows = [["calls", "eager", "jit", ""]];
      for (const p of s.points) rows.push([String(p.calls), formatMs(p.eagerMs), formatMs(p.jitMs), s.modeled ? "projected" : "measured"]);
      out.push(pad(rows));
    }
  }

  for (const e of r.errors) {
    const where = e.location ? formatLocation(e.location) : "";
    const first = e.message.split("\n")[0]!;
    out.push("", `${e.kind} error${where && !first.includes(where) ? ` at ${where}` : ""}: ${first}`);
  }
  return out.join("\n");
}
