// The table `jitscope profile` prints: device first (and loudly when it is the CPU backend),
// kernels by total GPU time, compiled functions, the eager/jit comparison, errors.

import { breakEvenText, formatMs, gpuNsText, speedupText, type Report } from "@jitscope/contract";

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd()).join("\n");
}

const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : "-");
const base = (file: string) => file.split(/[\\/]/).pop() ?? file;

export function formatSummary(r: Report, maxKernels = 15): string {
  const out: string[] = [];
  out.push(`device: ${r.device.backend} · ${r.device.adapter} · ${r.device.timestampQuery ? "GPU timestamp queries" : "host timing"}`);
  if (r.device.backend === "cpu" && !r.device.adapter.startsWith("unknown")) out.push("!!! CPU BACKEND: no WebGPU adapter was used; times below are CPU reference times, not GPU times !!!");
  for (const n of r.device.notes) out.push(`note: ${n}`);
  out.push(`run: ${r.status} · ${f(r.wallMs, 0)} ms wall · ${f(r.totalGpuNs / 1e6, 3)} ms kernel time · ${r.kernels.length} kernels · ${r.compilations.length} compilations`);

  const kernels = [...r.kernels].sort((a, b) => b.totalNs - a.totalNs);
  const tick = r.device.timestampTickNs;
  if (kernels.length) {
    out.push("", `kernels by total GPU time (total = dispatches × mean of the samples without outliers${tick ? `; timestamps tick every ${gpuNsText(tick)}` : ""})`);
    const rows = [["kernel", "calls", "median", "p10–p90", "total ms", "outliers", "GB/s", "GFLOP/s", "lines"]];
    for (const k of kernels.slice(0, maxKernels)) {
      const lines = [...new Set(k.locations.map((l) => `${base(l.file)}:${l.line}`))].join(" ");
      const spread = k.p10Ns !== undefined && k.p90Ns !== undefined ? `${gpuNsText(k.p10Ns, tick)}–${gpuNsText(k.p90Ns, tick)}` : "-";
      rows.push([k.name, String(k.dispatches), gpuNsText(k.medianNs, tick), spread, f(k.totalNs / 1e6, 3), String(k.outliers?.length ?? 0), f(k.gbPerS, 2), f(k.gflopPerS, 2), lines]);
    }
    out.push(pad(rows));
    if (kernels.length > maxKernels) out.push(`… and ${kernels.length - maxKernels} more kernels (see the report)`);
  }

  if (r.compilations.length) {
    out.push("", "compiled functions");
    const rows = [["function", "kernels/call", "compile ms", "per pass (ms)"]];
    for (const c of r.compilations) {
      const perPass = Object.entries(c.compileMs.perPass).map(([p, ms]) => `${p} ${f(ms, 2)}`).join(", ");
      rows.push([`${c.functionName} ${c.signature}`, String(c.kernels.length), f(c.compileMs.total, 2), perPass]);
    }
    out.push(pad(rows));
  }

  if (r.functions.length) {
    out.push("", "jitted functions (cost of a call = host part + GPU part: from the call until its results are ready on the device)");
    const rows = [["function", "calls", "compiled", "kernels/call", "cost ms/call", "p10–p90 ms", "host ms", "GPU ms", "defined at"]];
    for (const fn of r.functions) {
      const c = fn.cost ?? { ms: fn.msPerCall + fn.gpuMsPerCall, p10: NaN, p90: NaN, hostMs: fn.msPerCall, gpuMs: fn.gpuMsPerCall };
      rows.push([fn.name, String(fn.calls), `${Math.max(1, fn.compilations.length)}×`, String(fn.kernelsPerCall), f(c.ms, 3), `${f(c.p10, 3)}–${f(c.p90, 3)}`, f(c.hostMs, 3), f(c.gpuMs, 3), fn.location ? `${base(fn.location.file)}:${fn.location.line}` : "?"]);
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
      const rows = [["function", "eager ms/call", "eager spread", "jit ms/call", "jit spread", "eager disp/call", "jit disp/call", "compile ms", "break-even calls", "jit vs eager"]];
      const sp = (lo: number | undefined, hi: number | undefined) => (lo === undefined || hi === undefined ? "-" : `${f(lo, 3)}–${f(hi, 3)}`);
      for (const c of r.comparison.functions) {
        rows.push([c.name, f(c.eager.msPerCall, 3), sp(c.eager.p10, c.eager.p90), f(c.jit.msPerCall, 3), sp(c.jit.p10, c.jit.p90), f(c.eager.dispatchesPerCall, 1), f(c.jit.dispatchesPerCall, 1), f(c.compileMs, 2), c.breakEvenCalls === null ? "never" : String(c.breakEvenCalls), speedupText(c)]);
      }
      out.push(pad(rows));
    }
    for (const s of r.comparison.sweeps) {
      // The function's break-even, when compared, is the one every view shows.
      const be = r.comparison.functions.find((c) => c.name === s.name)?.breakEvenCalls ?? s.breakEvenCalls;
      const how = s.modeled ? "PROJECTED from the measured cost of a call (compile + N × cost), not timed" : "measured: N calls timed in a loop";
      out.push("", `sweep ${s.name}: total ms for N calls, ${how} (jit includes compile ${formatMs(s.compileMs)}; ${breakEvenText(be)})`);
      const rows = [["calls", "eager ms", "jit ms", ""]];
      for (const p of s.points) rows.push([String(p.calls), f(p.eagerMs, 2), f(p.jitMs, 2), s.modeled ? "projected" : "measured"]);
      out.push(pad(rows));
    }
  }

  for (const e of r.errors) {
    const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}` : "";
    const first = e.message.split("\n")[0]!;
    out.push("", `${e.kind} error${where && !first.includes(where) ? ` at ${where}` : ""}: ${first}`);
  }
  return out.join("\n");
}
