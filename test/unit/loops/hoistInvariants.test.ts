// Loop-invariant code motion (passes/hoistInvariants.ts, run by simplify): ops a loop body
// computes from the loop's consts alone move before the loop, and the results are what the
// unhoisted program and the eager CPU reference compute, bit for bit where the ops are the same.
import { live } from "../profile/builderRecorder.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Compilation, PassGraph } from "@jitscope/contract";
import { grad, jit, lax, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { setHoisting } from "../../../runtime/src/passes/hoistInvariants.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";

type T = Tracer;
const RULE = "loop-invariant op → computed once, before the loop";

const data = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7 + i * 0.37) / 2);
const w0 = () => np.array(data(16 * 16, 1)).reshape(16, 16);
const h0 = () => np.array(data(4 * 16, 2)).reshape(4, 16);
const xs0 = () => np.array(data(12 * 4 * 16, 3)).reshape(12, 4, 16);

/** An RNN cell with weight normalisation written inside the scan, as JAX code writes it. */
const wnRnn = (w: T, h: T, xs: T) =>
  lax.scan(
    (c: T, x: T): [T, T] => {
      const wn = np.divide(w, np.sqrt(np.sum(np.multiply(w, w))));
      const c2 = np.tanh(np.add(np.matmul(c, np.transpose(wn)), x));
      return [c2, np.sum(c2)];
    },
    h,
    xs,
  );

/** The compilation jit made last for `name`, from the live report. */
function compiled(name: string): Compilation {
  const r = live.builder.build({ script: "x", status: "completed", wallMs: performance.now() });
  return r.compilations.filter((c) => c.functionName === name).at(-1)!;
}
const labels = (g: PassGraph) => g.nodes.filter((n) => n.kind === "op").map((n) => n.label);
const loopNode = (g: PassGraph) => g.nodes.find((n) => n.loop)!;

test("a weight normalised inside a scan body is computed once before the loop; values bit-equal to unhoisted, close to eager CPU", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const named = function wn(w: T, h: T, xs: T) {
    return wnRnn(w, h, xs);
  };
  const run = async () => {
    const [h, ys] = onBackend("webgpu", () => jit(named)(w0(), h0(), xs0()));
    return [await h.data(), await ys.data()] as const;
  };
  const hoisted = await run();
  const c = compiled("wn");
  const simplify = c.passes.find((p) => p.name === "simplify")!;
  assert.equal(simplify.effect!.rules[RULE], 6); // mul, reduce_sum, sqrt, broadcast, div, transpose
  assert.deepEqual(labels(simplify.graph).sort(), [
    "broadcast",
    "div",
    "mul",
    "reduce_sum",
    "scan",
    "sqrt",
    "transpose",
  ]);
  assert.deepEqual(labels(loopNode(simplify.graph).loop!.body), ["matmul", "add", "tanh", "reduce_sum"]);
  // The body compiles to two kernels (matmul + add + tanh, and the step's sum), not four.
  assert.equal(loopNode(c.passes.find((p) => p.name === "fuse")!.graph).loop!.body.groups.length, 2);
  const was = setHoisting(false);
  let plain: Awaited<ReturnType<typeof run>>;
  try {
    plain = await run();
  } finally {
    setHoisting(was);
  }
  assert.equal(compiled("wn").passes.find((p) => p.name === "simplify")!.effect!.rules[RULE], undefined);
  assert.deepEqual([Array.from(hoisted[0]), Array.from(hoisted[1])], [Array.from(plain[0]), Array.from(plain[1])]);
  const [eh, eys] = onBackend("cpu", () => wnRnn(w0(), h0(), xs0()));
  const want = [...(await eh.data()), ...(await eys.data())];
  const got = [...hoisted[0], ...hoisted[1]];
  assert.ok(
    got.every((v, i) => Math.abs(v - want[i]!) <= 1e-5 * (1 + Math.abs(want[i]!))),
    `${got.slice(0, 4)} vs ${want.slice(0, 4)}`,
  );
});

test("an invariant of a scan's const inside a fori_loop nested in its body moves out of both loops", async () => {
  const nested = function nest(w: T, h: T, xs: T) {
    return lax.scan(
      (c: T, x: T): [T, T] => {
        const v = lax.fori_loop(0, 3, (_i, u: T) => np.tanh(np.add(np.matmul(u, np.exp(w)), x)), c);
        return [v, np.sum(v)];
      },
      h,
      xs,
    );
  };
  const [h] = onBackend("cpu", () => jit(nested)(w0(), h0(), xs0()));
  const got = await h.data();
  const c = compiled("nest");
  const g = c.passes.find((p) => p.name === "simplify")!.graph;
  assert.ok(labels(g).includes("exp"), labels(g).join(" "));
  const scanBody = loopNode(g).loop!.body;
  assert.ok(!labels(scanBody).includes("exp"));
  assert.ok(!labels(loopNode(scanBody).loop!.body).includes("exp"));
  const want = await onBackend("cpu", () => nested(w0(), h0(), xs0())[0]).data();
  assert.ok(Array.from(got).every((v, i) => Math.abs(v - want[i]!) <= 1e-5 * (1 + Math.abs(want[i]!))));
});

test("a while loop's condition and body invariants both move before it; the loop ends where the eager one does", async () => {
  const grow = function growing(x: T, limits: T) {
    return lax.while_loop(
      ([i, v]: [T, T]) => np.logical_and(np.less(i, 50), np.less(np.sum(v), np.sum(np.abs(limits)))),
      ([i, v]: [T, T]): [T, T] => [np.add(i, 1), np.add(v, np.exp(np.max(limits)))],
      [np.array(0, { dtype: "int32" }), x] as [T, T],
    );
  };
  const args = () => [np.ones([3]), np.array(Float32Array.from([2, -5, 1.5]))] as const;
  const [n, v] = onBackend("cpu", () => jit(grow)(...args()));
  const c = compiled("growing");
  const g = c.passes.find((p) => p.name === "simplify")!.graph;
  const loop = loopNode(g).loop!;
  // abs and its sum (condition), max and exp (body) run once, before the loop.
  assert.deepEqual(labels(g).sort(), ["abs", "exp", "reduce_max", "reduce_sum", "while"]);
  assert.ok(!labels(loop.cond!).includes("abs") && !labels(loop.body).includes("exp"));
  const [wn, wv] = onBackend("cpu", () => grow(...args()));
  assert.deepEqual([await n.data(), await v.data()], [await wn.data(), await wv.data()]);
});

test("a broadcast of consts the body reads directly stays in the body (index math there), and a loop with no invariant is left as it was", async () => {
  const f = function stays(w: T, h: T, xs: T) {
    return lax.scan(
      (c: T, x: T): [T, T] => {
        const row = np.broadcast_to(np.sum(w, 0), [4, 16]);
        const pos = lax.broadcasted_iota("float32", [4, 16], 1);
        return [np.add(np.multiply(c, row), np.multiply(x, pos)), np.sum(c)];
      },
      h,
      xs,
    );
  };
  const [h] = onBackend("cpu", () => jit(f)(w0(), h0(), xs0()));
  await h.data();
  const g = compiled("stays").passes.find((p) => p.name === "simplify")!.graph;
  // The column sums move out; the broadcast of the row stays.
  assert.deepEqual(labels(g).sort(), ["reduce_sum", "scan"]);
  // The row's broadcast stays, and so does the positions' iota (index math the body computes).
  const body = labels(loopNode(g).loop!.body);
  assert.deepEqual(
    body.filter((l) => l === "broadcast" || l === "iota"),
    ["broadcast", "iota"],
  );
  const plain = function plainScan(h: T, xs: T) {
    return lax.scan((c: T, x: T): [T, T] => [np.add(c, x), np.sum(c)], h, xs);
  };
  onBackend("cpu", () => jit(plain)(h0(), xs0()));
  assert.equal(compiled("plainScan").passes.find((p) => p.name === "simplify")!.effect!.rules[RULE], undefined);
});

test("jit(grad) through a scan with a normalised weight: invariants leave both the forward and the backward loop, and the gradient is the eager CPU one", async () => {
  const loss = function wnLoss(w: T, h: T, xs: T) {
    return np.sum(wnRnn(w, h, xs)[1]);
  };
  const g = onBackend("cpu", () => jit(grad(loss), { name: "wnGrad" })(w0(), h0(), xs0()));
  const got = await g.data();
  const c = compiled("wnGrad");
  const simplify = c.passes.find((p) => p.name === "simplify")!;
  assert.ok(simplify.effect!.rules[RULE]! >= 6, JSON.stringify(simplify.effect!.rules));
  for (const n of simplify.graph.nodes.filter((x) => x.loop))
    assert.ok(!labels(n.loop!.body).includes("sqrt"), `${n.id}: ${labels(n.loop!.body).join(" ")}`);
  const want = await onBackend("cpu", () => grad(loss)(w0(), h0(), xs0())).data();
  assert.ok(
    Array.from(got).every((v, i) => Math.abs(v - want[i]!) <= 1e-4 * (1 + Math.abs(want[i]!))),
    `${got.slice(0, 4)} vs ${want.slice(0, 4)}`,
  );
});
