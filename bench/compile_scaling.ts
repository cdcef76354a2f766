// Compile time against program size: generated programs of about 100, 1,000 and 5,000 ops, a
// GPT-style training step and the forward-mode Jacobian of an RK4 step (hundreds of scalar ops
// of one shape: the costliest per op for fuse, which builds its kernels many times), traced and compiled through every pass (snapshots included, as jit
// does; before any pipeline creation), on the CPU reference backend (no device work at all).
// Prints ms per op for each pass and the exponent k of total ≈ c·ops^k fitted over the sizes.
// Targets (issue 15): the 5,000-op program under 1 s, the GPT step's fuse under 100 ms, k ≤ 1.2.
//
//   node --import tsx bench/compile_scaling.ts [reps=3] [blocks=3,26,132] [--append FILE]
// (about 38 ops per block: 3 → ~115 ops, 26 → ~990, 132 → ~5,020). The machine's load average
// is printed with the figures: on a shared machine absolute times inflate with it, the exponent
// and the ratios between passes much less.

import { appendFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { config, jit } from "../runtime/src/index.js";
import { generated, gptStep, rk4Jacobian } from "./scalingPrograms.js";
import type { Tracer } from "../runtime/src/trace/core.js";

config({ backend: "cpu" });
const positional = process.argv.slice(2).filter((a, i, all) => a !== "--append" && all[i - 1] !== "--append");
const appendTo = process.argv.includes("--append") ? process.argv[process.argv.indexOf("--append") + 1] : undefined;
const REPS = Number(positional[0] ?? 3);
const cpus = availableParallelism();
type T = Tracer;

interface Row {
  name: string;
  ops: number;
  totalMs: number;
  perPass: Record<string, number>;
}

async function measure(name: string, make: () => { f: (...a: T[]) => unknown; args: T[] }): Promise<Row> {
  let best: Row | null = null;
  for (let r = 0; r < REPS; r++) {
    const { f, args } = make();
    const t0 = performance.now();
    const lo = await jit(f, { name }).lower(...args);
    const totalMs = performance.now() - t0;
    const perPass: Record<string, number> = {};
    for (const p of lo.passes) perPass[p.name] = p.ms;
    perPass.snapshots = totalMs - Object.values(perPass).reduce((a, b) => a + b, 0);
    const ops = lo.passes[0]!.graph.nodes.filter((n) => n.kind === "op").length;
    if (!best || totalMs < best.totalMs) best = { name, ops, totalMs, perPass };
  }
  return best!;
}

// Warm the JIT first, so the smallest size's figures are not mostly V8 compiling the compiler
// (which would flatten the fitted exponent).
await measure("warm-up", () => generated(3));
await measure("warm-up", gptStep);
const rows: Row[] = [];
const sizes = (positional[1] ?? "3,26,132").split(",").map(Number);
for (const blocks of sizes) rows.push(await measure(`gen-${blocks}b`, () => generated(blocks)));
rows.push(await measure("gpt-step", gptStep));
rows.push(await measure("jacfwd-rk4", rk4Jacobian));

const passes = Object.keys(rows[0]!.perPass);
console.log(`compile time per op (µs/op), best of ${REPS}; total in ms`);
console.log(["program", "ops", ...passes, "total ms"].map((s) => s.padStart(9)).join(" "));
for (const r of rows) {
  console.log(
    [
      r.name,
      String(r.ops),
      ...passes.map((p) => (((r.perPass[p] ?? 0) / r.ops) * 1000).toFixed(1)),
      r.totalMs.toFixed(0),
    ]
      .map((s) => s.padStart(9))
      .join(" "),
  );
}
// Least-squares slope of log(ms) on log(ops) over the generated sizes.
const gen = rows.filter((r) => r.name.startsWith("gen"));
const fit = (ms: (r: Row) => number): number => {
  const xs = gen.map((r) => Math.log(r.ops)),
    ys = gen.map((r) => Math.log(Math.max(1e-3, ms(r))));
  const mx = xs.reduce((a, b) => a + b) / xs.length,
    my = ys.reduce((a, b) => a + b) / ys.length;
  return xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
};
console.log(
  `fitted exponent (total ≈ c·ops^k): k = ${fit((r) => r.totalMs).toFixed(2)}; per pass: ${passes.map((p) => `${p} ${fit((r) => r.perPass[p] ?? 0).toFixed(2)}`).join(", ")}`,
);
const big = gen[gen.length - 1]!;
const gpt = rows.find((r) => r.name === "gpt-step")!;
const k = fit((r) => r.totalMs);
const met = (ok: boolean): string => (ok ? "met" : "NOT met");
console.log(
  `load average during the run: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")} (${cpus} cores)`,
);
console.log(
  `target: ${big.name} (${big.ops} ops) compiles in < 1000 ms: ${big.totalMs.toFixed(0)} ms, ${met(big.ops >= 5000 && big.totalMs < 1000)}`,
);
console.log(
  `target: gpt-step fuse < 100 ms: ${(gpt.perPass.fuse ?? 0).toFixed(0)} ms, ${met((gpt.perPass.fuse ?? Infinity) < 100)}`,
);
console.log(`target: exponent k ≤ 1.2: k = ${k.toFixed(2)}, ${met(k <= 1.2)}`);
if (appendTo) {
  const head = `| program | ops | ${passes.join(" | ")} | total |\n|---|---|${passes.map(() => "---|").join("")}---|`;
  const body = rows
    .map(
      (r) =>
        `| ${r.name} | ${r.ops} | ${passes.map((p) => (((r.perPass[p] ?? 0) / r.ops) * 1000).toFixed(1)).join(" | ")} | ${r.totalMs.toFixed(0)} ms |`,
    )
    .join("\n");
  const mark = (ok: boolean): string => (ok ? "✓" : "✗");
  appendFileSync(
    appendTo,
    `\nCompile time (bench/compile_scaling.ts): trace and every pass, before pipeline creation, in µs per op, best of ${REPS}.\n\n${head}\n${body}\n\n` +
      `- ${big.name} (${big.ops} ops) in ${big.totalMs.toFixed(0)} ms (target < 1000 ms ${mark(big.ops >= 5000 && big.totalMs < 1000)}); ` +
      `GPT-style step's fuse pass ${(gpt.perPass.fuse ?? 0).toFixed(0)} ms (target < 100 ms ${mark((gpt.perPass.fuse ?? Infinity) < 100)}); ` +
      `fitted exponent k = ${k.toFixed(2)} (target ≤ 1.2 ${mark(k <= 1.2)}).\n`,
  );
}
