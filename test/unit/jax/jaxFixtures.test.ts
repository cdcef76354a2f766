// The JAX differential suite: a few hundred generated programs over the public API
// (scripts/jax/generate.ts), run in JAX in float32 and float64 (scripts/jax/run_jax.py), replayed
// here on the CPU backend and on WebGPU, eager and under jit. Results must agree with JAX's
// float64 ones within a tolerance derived from float32 rounding (README, "JAX differential
// suite"); invalid programs, which JAX rejects, must throw a JitScopeError naming the function
// called and its line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";
import { inputValues, type Expected, type Program } from "./dsl.js";
import { runProgram } from "./interpret.js";

const FIXTURES = new URL("../../fixtures/jax/", import.meta.url);
const programs: Program[] = JSON.parse(readFileSync(new URL("programs.json", FIXTURES), "utf8")).programs;
const expectedFile: { jax: string; expected: Expected[]; dropped: { id: string; reason: string }[] } = JSON.parse(
  readFileSync(new URL("expected.json", FIXTURES), "utf8"),
);
const expected = new Map(expectedFile.expected.map((e) => [e.id, e]));
const INTERPRETER = fileURLToPath(new URL("interpret.ts", import.meta.url));
const interpreterLines = readFileSync(INTERPRETER, "utf8").split("\n");

/** float32's unit roundoff: 2^-24 (half the spacing of floats in [1, 2)). */
const U32 = 2 ** -24;

/**
 * Element i agrees when |ours − y64| ≤ 8·|y32 − y64| + 64·u·(|y64| + mean|y64|) + 2·√K·u·M:
 * eight times the error JAX's own float32 run made on that element; 64 float32 roundings of the
 * element's magnitude (and of the output's mean magnitude, for elements that cancel to near
 * zero); and the rounding a float32 sum of K terms accumulates in whatever order it adds them
 * (√K roundings of the largest value M the program computes, K its longest contraction).
 */
export function tolerance(y64: number, err32: number, meanAbs: number, scale: number, contraction: number): number {
  return 8 * err32 + 64 * U32 * (Math.abs(y64) + meanAbs) + 2 * Math.sqrt(contraction) * U32 * scale;
}

/**
 * Programs where we knowingly differ from JAX, each with the reason (also listed in the README).
 * Empty: every generated program agrees.
 */
const KNOWN: ReadonlyMap<string, string> = new Map();

async function compare(p: Program, outs: readonly Tracer[]): Promise<string | null> {
  const e = expected.get(p.id)!;
  if (outs.length !== e.outputs!.length) return `${outs.length} results, JAX has ${e.outputs!.length}`;
  for (let k = 0; k < outs.length; k++) {
    const out = outs[k]!,
      want = e.outputs![k]!;
    if (out.shape.join(",") !== want.shape.join(",")) return `result ${k}: shape [${out.shape}], JAX [${want.shape}]`;
    const kind = out.dtype === "bool" ? "bool" : out.dtype === "int32" ? "int" : "float";
    if (kind !== want.dtype) return `result ${k}: dtype ${out.dtype}, JAX ${want.dtype}`;
    const got = Array.from(await out.data(), Number);
    const meanAbs = want.y.reduce((s, y) => s + Math.abs(y), 0) / Math.max(1, want.y.length);
    const tol = (i: number) => tolerance(want.y[i]!, want.err32[i]!, meanAbs, e.scale ?? 0, e.contraction ?? 1);
    for (let i = 0; i < got.length; i++) {
      const y = want.y[i]!;
      const ok = kind === "float" ? Math.abs(got[i]! - y) <= tol(i) : got[i] === y;
      if (!ok)
        return `result ${k}[${i}] = ${got[i]}, JAX float64 ${y} (float32 error ${want.err32[i]}, tolerance ${kind === "float" ? tol(i).toExponential(2) : 0})`;
    }
  }
  return null;
}

const valid = programs.filter((p) => p.kind !== "error" && expected.get(p.id)?.outputs);
const invalid = programs.filter((p) => p.kind === "error" && expected.get(p.id)?.jaxError);

test(`the fixtures hold JAX ${expectedFile.jax} results for ${valid.length} programs and ${invalid.length} invalid ones; ${expectedFile.dropped.length} dropped`, () => {
  assert.ok(valid.length >= 250, `only ${valid.length} valid programs have results`);
  assert.ok(invalid.length >= 25, `only ${invalid.length} invalid programs`);
  assert.ok(
    valid.some((p) => p.inputs.some((s) => s.shape.some((d) => d >= 200))),
    "some program has a dimension past a few hundred",
  );
  assert.ok(expectedFile.dropped.length <= programs.length / 10, `${expectedFile.dropped.length} programs dropped`);
});

test("the tolerance is tight: it would catch a 0.1% error in at least 95% of the float results", () => {
  let tight = 0,
    total = 0;
  for (const p of valid) {
    const e = expected.get(p.id)!;
    for (const o of e.outputs!) {
      if (o.dtype !== "float" || o.y.length === 0) continue;
      const maxAbs = Math.max(...o.y.map(Math.abs));
      if (maxAbs === 0) continue;
      const meanAbs = o.y.reduce((s, y) => s + Math.abs(y), 0) / o.y.length;
      const worst = Math.max(
        ...o.y.map((y, i) => tolerance(y, o.err32[i]!, meanAbs, e.scale ?? 0, e.contraction ?? 1)),
      );
      total++;
      if (worst < 1e-3 * maxAbs) tight++;
    }
  }
  assert.ok(
    tight >= 0.95 * total,
    `only ${tight} of ${total} float results have a tolerance under 0.1% of their largest value`,
  );
});

test("the inputs made here are the inputs JAX ran (same generator on both sides)", () => {
  for (const p of programs) {
    const e = expected.get(p.id);
    if (!e) continue;
    p.inputs.forEach((s, i) => {
      const v = inputValues(s).map((x) => (s.dtype === "float32" ? Math.fround(x) : x));
      const sum = v.reduce((a, b) => a + b, 0);
      const check = e.inputCheck[i]!;
      assert.ok(
        Math.abs(sum - check.sum) <= 1e-6 * Math.max(1, Math.abs(sum)),
        `${p.id} input ${i}: sum ${sum} vs ${check.sum}`,
      );
      assert.deepEqual(
        v.slice(0, 3).map((x) => Number(x.toPrecision(9))),
        check.head,
        `${p.id} input ${i}`,
      );
    });
  }
});

for (const backend of ["cpu", "webgpu"] as const) {
  for (const useJit of [false, true]) {
    const mode = useJit ? "under jit" : "eager";
    test(`${backend} ${mode}: every generated program agrees with JAX float64 within the float32 tolerance`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      const failures: string[] = [];
      for (const p of valid) {
        let why: string | null;
        try {
          why = await compare(
            p,
            onBackend(backend, () => runProgram(p, useJit)),
          );
        } catch (err) {
          why = `threw ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
        }
        if (why && !KNOWN.has(p.id)) failures.push(`${p.id} (${p.note}): ${why}`);
      }
      assert.deepEqual(failures, [], `${failures.length} of ${valid.length} programs disagree with JAX`);
    });
  }
}

for (const useJit of [false, true]) {
  test(`invalid programs JAX rejects throw a JitScopeError naming the function called and its line (${useJit ? "under jit" : "eager"})`, () => {
    const failures: string[] = [];
    for (const p of invalid) {
      const { names } = p.error!;
      let caught: unknown = null;
      try {
        onBackend("cpu", () => runProgram(p, useJit));
      } catch (err) {
        caught = err;
      }
      if (!(caught instanceof JitScopeError)) {
        failures.push(`${p.id}: expected a JitScopeError from ${names}, got ${String(caught)}`);
        continue;
      }
      const first = caught.message.split("\n")[0]!;
      if (!first.startsWith(`${names}:`)) failures.push(`${p.id}: message does not start with "${names}:": ${first}`);
      const loc = caught.location;
      const line = loc && loc.file.endsWith("interpret.ts") ? (interpreterLines[loc.line - 1] ?? "") : "";
      if (!line.includes(`.${names}(`))
        failures.push(`${p.id}: location ${loc ? `${loc.file}:${loc.line}` : "none"} is not the line calling ${names}`);
    }
    assert.deepEqual(failures, []);
  });
}
