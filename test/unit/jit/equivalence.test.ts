// Property: jit(f)(x) equals eager f(x), for randomly generated programs (random shapes,
// elementwise chains, broadcasts against reductions, bias adds, reductions, transposes, matmuls),
// on the CPU reference backend and on WebGPU (where WebGPU's jit is also checked against the CPU).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { np, lax, nn } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";
import { cpuBackend } from "../../../runtime/src/backend/select.js";
import { ConcreteArray, nest } from "../../../runtime/src/array.js";
import { runScheduleOnCpu } from "./scheduleInterpreter.js";
import { runPlanOnWebGpu, webgpuDeviceOrSkip } from "./webgpuPlan.js";

type Step =
  | { k: "unary"; fn: "tanh" | "sin" | "abs" | "neg" | "sqrtAbs" | "square" | "expTanh" }
  | { k: "binary"; fn: "add" | "sub" | "mul" | "max"; other: "self" | "lit"; lit: number }
  | { k: "centre"; fn: "max" | "sum"; axis: number } // v - reduce(v, axis, keepdims): a broadcast back
  | { k: "bias" } // v + b[last dim]: a broadcast of a captured constant
  | { k: "reduce"; fn: "sum" | "max"; axis: number; keepdims: boolean }
  | { k: "transpose" }
  | { k: "matmul"; n: number } // v[..., m, k] @ w[k, n] (w captured)
  | { k: "combine"; back: number; fn: "add" | "mul" } // v ⊕ g(an earlier value of the same shape): a DAG
  | { k: "index"; fn: "take" | "atAdd" | "atSet" | "conv" | "pool" }; // gather, scatter, conv, reduce_window

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    k: fc.constant("unary" as const),
    fn: fc.constantFrom("tanh", "sin", "abs", "neg", "sqrtAbs", "square", "expTanh"),
  }),
  fc.record({
    k: fc.constant("binary" as const),
    fn: fc.constantFrom("add", "sub", "mul", "max"),
    other: fc.constantFrom("self", "lit"),
    lit: fc.constantFrom(0, 1, 0.5, -2, 3),
  }),
  fc.record({ k: fc.constant("centre" as const), fn: fc.constantFrom("max", "sum"), axis: fc.nat(3) }),
  fc.record({ k: fc.constant("bias" as const) }),
  fc.record({
    k: fc.constant("reduce" as const),
    fn: fc.constantFrom("sum", "max"),
    axis: fc.nat(3),
    keepdims: fc.boolean(),
  }),
  fc.record({ k: fc.constant("transpose" as const) }),
  fc.record({ k: fc.constant("matmul" as const), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ k: fc.constant("combine" as const), back: fc.nat(4), fn: fc.constantFrom("add", "mul") }),
  fc.record({ k: fc.constant("index" as const), fn: fc.constantFrom("take", "atAdd", "atSet", "conv", "pool") }),
);

const programArb = fc.record({
  shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 8 }),
  seed: fc.integer({ min: 1, max: 1000 }),
});

type Program = { shape: number[]; steps: Step[]; seed: number };

function values(n: number, seed: number): number[] {
  // Deterministic values in [-2, 2), varied per seed.
  return Array.from({ length: n }, (_, i) => (((i + 1) * 7919 * seed) % 1000) / 250 - 2);
}

/** Builds f for a generated program; constants (bias vectors, matmul weights) are created on its
 *  first call, per backend: call it eagerly once before tracing it. */
function makeProgram(p: Program): (x: Tracer) => Tracer {
  const consts = new Map<string, Tracer>();
  const constant = (key: string, shape: number[]): Tracer => {
    let c = consts.get(key);
    if (!c) {
      const n = shape.reduce((a, b) => a * b, 1);
      c = np.reshape(np.array(values(n, p.seed + n)), shape);
      consts.set(key, c);
    }
    return c;
  };
  return (x: Tracer) => {
    let v = x;
    const history: Tracer[] = [];
    for (const s of p.steps) {
      history.push(v);
      const rank = v.ndim;
      switch (s.k) {
        case "unary":
          v =
            s.fn === "tanh"
              ? np.tanh(v)
              : s.fn === "sin"
                ? np.sin(v)
                : s.fn === "abs"
                  ? np.abs(v)
                  : s.fn === "neg"
                    ? np.negative(v)
                    : s.fn === "sqrtAbs"
                      ? np.sqrt(np.abs(v))
                      : s.fn === "square"
                        ? np.tanh(np.multiply(v, v))
                        : np.exp(np.tanh(v));
          break;
        case "binary": {
          const o = s.other === "self" ? v : s.lit;
          v =
            s.fn === "add"
              ? np.add(v, o)
              : s.fn === "sub"
                ? np.subtract(v, o)
                : s.fn === "mul"
                  ? np.multiply(v, o)
                  : np.maximum(v, o);
          break;
        }
        case "centre":
          if (rank === 0) break;
          v = np.subtract(
            v,
            s.fn === "max"
              ? np.max(v, s.axis % rank, { keepdims: true })
              : np.sum(v, s.axis % rank, { keepdims: true }),
          );
          break;
        case "bias":
          if (rank === 0) break;
          v = np.add(v, constant(`b${v.shape[rank - 1]}`, [v.shape[rank - 1]!]));
          break;
        case "reduce":
          if (rank === 0) break;
          v =
            s.fn === "sum"
              ? np.sum(v, s.axis % rank, { keepdims: s.keepdims })
              : np.max(v, s.axis % rank, { keepdims: s.keepdims });
          break;
        case "transpose":
          if (rank >= 2) v = np.transpose(v);
          break;
        case "matmul": {
          if (rank < 2) break;
          const k = v.shape[rank - 1]!;
          v = np.tanh(np.matmul(v, constant(`w${k}x${s.n}`, [k, s.n])));
          break;
        }
        case "combine": {
          const same = history.filter((h) => h.shape.join() === v.shape.join());
          const earlier = same[Math.max(0, same.length - 1 - s.back)];
          if (!earlier) break;
          const g = np.greater(earlier, 0.5);
          v =
            s.fn === "add"
              ? np.add(v, np.multiply(np.tanh(earlier), np.where(g, 1, 0.5)))
              : np.multiply(v, np.sin(earlier));
          break;
        }
        case "index": {
          if (rank === 0) break;
          const n0 = v.shape[0]!;
          // Cached like the other constants: made on the eager first call, captured by the trace.
          const key = `rows${n0}`;
          if (!consts.has(key)) consts.set(key, np.array([n0 - 1, 0, n0 - 1], { dtype: "int32" }));
          const rows = consts.get(key)!;
          if (s.fn === "take") v = np.take(v, rows, 0);
          else if (s.fn === "atAdd") v = v.at(rows).add(np.tanh(np.take(v, rows, 0)));
          else if (s.fn === "atSet") v = v.at("1:").set(np.sin(v.at("1:").get()));
          else {
            // As [1, 1, n0, rest] (NCHW) / [1, n0, rest, 1] (NHWC): a 2×2 conv or max pool, SAME.
            const rest = v.size / n0;
            v =
              s.fn === "conv"
                ? lax.conv(v.reshape(1, 1, n0, rest), constant("k2x2", [1, 1, 2, 2]), [1, 1], "SAME").reshape(v.shape)
                : nn.max_pool(v.reshape(1, n0, rest, 1), [2, 2], [1, 1], "SAME").reshape(v.shape);
          }
          break;
        }
      }
    }
    return v;
  };
}

async function checkOn(backend: "cpu" | "webgpu", p: Program, reference?: Nested): Promise<Nested> {
  const { eager, jitted, shape } = onBackend(backend, () => {
    const f = makeProgram(p);
    const n = p.shape.reduce((a, b) => a * b, 1);
    const x = np.reshape(np.array(values(n, p.seed)), p.shape);
    const e = f(x);
    const j = jit(f)(x);
    return { eager: e, jitted: j, shape: e.shape };
  });
  assert.deepEqual(jitted.shape, shape, "jit result shape");
  const want = (await eager.toArray()) as Nested;
  const got = await jitted.toArray();
  assertClose(got, want, "float32", 1e-4, 1e-4, `${backend} jit vs eager`);
  if (reference !== undefined) assertClose(got, reference, "float32", 1e-3, 1e-3, `${backend} jit vs cpu eager`);
  return want;
}

/** The fused schedule, run kernel by kernel on the CPU (each kernel sees only its inputs). */
async function checkScheduleOnCpu(p: Program, reference: Nested): Promise<void> {
  const { lo, x } = await onBackend("cpu", async () => {
    const f = makeProgram(p);
    const n = p.shape.reduce((a, b) => a * b, 1);
    const x = np.reshape(np.array(values(n, p.seed)), p.shape) as ConcreteArray;
    f(x); // eager first: constants are created concrete, then captured by the trace
    return { lo: await jit(f).lower(x), x };
  });
  const host = [x, ...lo.constants].map((c) => ({
    data: cpuBackend().hostData(c.device),
    shape: c.shape,
    dtype: c.dtype,
  }));
  const [out] = runScheduleOnCpu(lo.schedule, host);
  assertClose(nest(out!.data, out!.shape, out!.dtype), reference, "float32", 1e-4, 1e-4, "kernel by kernel vs eager");
}

test("jit(f)(x) ≡ f(x) on the CPU backend for random programs, and so does the fused schedule", async () => {
  await fc.assert(
    fc.asyncProperty(programArb, async (p) => {
      const reference = await checkOn("cpu", p);
      await checkScheduleOnCpu(p, reference);
    }),
    { numRuns: 150, seed: 20261124 },
  );
});

test("jit(f)(x) ≡ f(x) on WebGPU for random programs, and ≡ the CPU reference", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  await fc.assert(
    fc.asyncProperty(programArb, async (p) => {
      const reference = await checkOn("cpu", p);
      await checkOn("webgpu", p, reference);
    }),
    { numRuns: 30, seed: 20261124 },
  );
});

// The compiled plan (fusion groups, generated WGSL, memory plan) run by the WebGPU backend's own
// executable, whatever backend `jit` currently defaults to: fusion checked on a real device.
test("compiled plans run on the WebGPU backend ≡ eager on the CPU, for random programs", async (t) => {
  const gpu = await webgpuDeviceOrSkip(t);
  if (!gpu) return;
  await fc.assert(
    fc.asyncProperty(programArb, async (p) => {
      const { lo, x, reference } = await onBackend("cpu", async () => {
        const f = makeProgram(p);
        const n = p.shape.reduce((a, b) => a * b, 1);
        const x = np.reshape(np.array(values(n, p.seed)), p.shape) as ConcreteArray;
        const reference = (await f(x).toArray()) as Nested; // eager first: constants are created concrete
        return { lo: await jit(f).lower(x), x, reference };
      });
      const [out] = await runPlanOnWebGpu(gpu, lo, [x]);
      assertClose(out, reference, "float32", 1e-3, 1e-3, "webgpu plan vs cpu eager");
    }),
    { numRuns: 40, seed: 20261124 },
  );
});
