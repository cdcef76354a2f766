// The table `jitscope profile` prints: device first (and loudly when it is the CPU backend),
// kernels by total GPU time, compiled functions, the eager/jit comparison, errors.

import type { Report } from "@jitscope/contract";

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
  if (kernels.length) {
    out.push("", "kernels by total GPU time");
    const rows = [["kernel", "calls", "median µs", "total ms", "GB/s", "GFLOP/s", "lines"]];
    for (const k of kernels.slice(0, maxKernels)) {
      const lines = [...new Set(k.locations.map((l) => `${base(l.file)}:${l.line}`))].join(" ");
      rows.push([k.name, String(k.dispatches), f(k.medianNs / 1e3, 1), f(k.totalNs / 1e6, 3), f(k.gbPerS, 2), f(k.gflopPerS, 2), lines]);
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
    out.push("", "jitted functions");
    const rows = [["function", "calls", "kernels/call", "ms/call", "GPU ms/call", "defined at"]];
    for (const fn of r.functions) rows.push([fn.name, String(fn.calls), String(fn.kernelsPerCall), f(fn.msPerCall, 3), f(fn.gpuMsPerCall, 3), fn.location ? `${base(fn.location.file)}:${fn.location.line}` : "?"]);
    out.push(pad(rows));
  }

  if (r.comparison && (r.comparison.functions.length || r.comparison.sweeps.length)) {
    out.push("", "eager vs jit");
    if (r.comparison.functions.length) {
      const rows = [["function", "eager ms/call", "jit ms/call", "eager disp/call", "jit disp/call", "compile ms", "break-even calls", "speedup"]];
      for (const c of r.comparison.functions) {
        rows.push([c.name, f(c.eager.msPerCall, 3), f(c.jit.msPerCall, 3), f(c.eager.dispatchesPerCall, 1), f(c.jit.dispatchesPerCall, 1), f(c.compileMs, 2), c.breakEvenCalls === null ? "never" : String(c.breakEvenCalls), `${f(c.speedup, 2)}x`]);
      }
      out.push(pad(rows));
    }
    for (const s of r.comparison.sweeps) {
      out.push("", `sweep ${s.name}: total ms for N calls (jit includes compile ${f(s.compileMs, 2)} ms; break-even ${s.breakEvenCalls ?? "never"})`);
      const rows = [["calls", "eager ms", "jit ms"]];
      for (const p of s.points) rows.push([String(p.calls), f(p.eagerMs, 2), f(p.jitMs, 2)]);
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
