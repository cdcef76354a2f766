// debug.print inside loops prints what JAX prints (scripts/jax/run_jax_debug_print_loops.py wrote
// test/fixtures/jax/debug_print_loops.json): a scan body's prints iteration by iteration, an
// inner scan's inside each, in program order with the prints around the loop; a reverse scan
// under vmap; grad through a scan (primal values, once); a fori_loop's cond branch (taken
// iterations only); lax.map; a vmap inside a scan body; the same nested scan eagerly; and the
// values are the same on WebGPU. Each call of a jitted loop prints its own values.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { cond, fori_loop, map, scan } from "../../../runtime/src/lax.js";
import { debugPrint } from "../../../runtime/src/trace/debugPrint.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { eval_shape } from "../../../runtime/src/trace/abstractEval.js";
import { onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";
import { printed } from "./printed.js";

config({ backend: "cpu" });
type T = Tracer;
const fx: { lines: Record<string, string[]>; results: Record<string, Nested[]> } = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/debug_print_loops.json", import.meta.url), "utf8"),
);

// The fixture's functions, as a JS user writes them.
const nested = (x: T): T => {
  debugPrint("before {}", np.sum(x));
  const [c, ys] = scan(
    (c: T, xi: T) => {
      debugPrint("it c={c} x={x}", { c, x: xi });
      const [c2] = scan(
        (d: T) => {
          debugPrint("  inner d={}", d);
          return [np.add(d, 1), null];
        },
        c,
        null,
        { length: 2 },
      );
      return [np.add(c2, xi), np.multiply(c, 2)];
    },
    np.array(0),
    x,
  );
  debugPrint("after {}", c);
  return ys;
};
const reverseScan = (x: T): T =>
  scan(
    (c: T, xi: T) => {
      debugPrint("r c={} x={}", c, xi);
      return [np.add(c, xi), null];
    },
    np.array(0),
    x,
    { reverse: true },
  )[0];
const productScan = (x: T): T =>
  scan(
    (c: T, xi: T) => {
      debugPrint("g c={}", c);
      return [np.multiply(c, xi), null];
    },
    np.array(1),
    x,
  )[0];
const foriCond = (x: T): T =>
  fori_loop(
    0,
    3,
    (i: T, v: T) =>
      cond(
        np.greater(i, 0),
        (w: T) => {
          debugPrint("taken i={}", i);
          return np.add(w, 1);
        },
        (w: T) => w,
        v,
      ),
    x,
  );
const mapped = (xs: T): T =>
  map((r: T) => {
    debugPrint("row {}", r);
    return np.sum(r);
  }, xs);
const vmapInBody = (xs: T) =>
  scan(
    (c: T, r: T) => {
      const el = (e: T) => {
        debugPrint("el {} c={}", e, c);
        return np.multiply(e, c);
      };
      return [np.add(c, 1), vmap(el)(r)];
    },
    np.array(1),
    xs,
  );

const runs: Record<string, () => unknown> = {
  nested: () => jit(nested)(np.array([1, 2, 3])),
  reverse_vmap: () =>
    jit(vmap(reverseScan))(
      np.array([
        [1, 2],
        [10, 20],
      ]),
    ),
  grad_scan: () => jit(grad(productScan))(np.array([2, 3])),
  fori_cond: () => jit(foriCond)(np.array(0)),
  map: () =>
    jit(mapped)(
      np.array([
        [1, 2],
        [3, 4],
      ]),
    ),
  vmap_in_body: () =>
    jit(vmapInBody)(
      np.array([
        [1, 2],
        [3, 4],
      ]),
    ),
  nested_eager: () => nested(np.array([1, 2, 3])),
};

const leafValues = async (r: unknown): Promise<unknown[]> =>
  Promise.all((Array.isArray(r) ? r : [r]).map((l) => (l as T).toArray()));

for (const [name, run] of Object.entries(runs)) {
  test(`${name}: the lines JAX prints, and JAX's result`, async () => {
    let result: unknown;
    const { out, err } = await printed(async () => (result = await leafValues(run())));
    assert.deepEqual(err, []);
    if (name === "vmap_in_body") {
      // JAX leaves the order of a vmap's lines open (its run printed element 1 before 0);
      // here they come in index order, within each iteration.
      assert.deepEqual(out, ["el 1.0 c=1.0", "el 2.0 c=1.0", "el 3.0 c=2.0", "el 4.0 c=2.0"]);
      assert.deepEqual([...out].sort(), [...fx.lines[name]!].sort());
    } else assert.deepEqual(out, fx.lines[name]);
    assert.deepEqual(result, fx.results[name]);
  });
}

test("each call of a jitted scan prints its own iterations, in call order", async () => {
  const f = jit(productScan);
  const { out } = await printed(async () => {
    f(np.array([2, 3]));
    await f(np.array([5, 7, 1])).toArray();
  });
  assert.deepEqual(out, ["g c=1.0", "g c=2.0", "g c=1.0", "g c=5.0", "g c=35.0"]);
});

test("a scan of length 0 prints nothing; eval_shape of a printing scan prints nothing", async () => {
  const { out } = await printed(async () => {
    assert.equal(await jit(productScan)(np.zeros([0])).toArray(), 1);
    const shape = eval_shape(jit(nested), np.array([1, 2, 3])) as { shape: number[] };
    assert.deepEqual(shape.shape, [3]);
  });
  assert.deepEqual(out, []);
});

test("on WebGPU a jitted nested scan prints the lines JAX prints", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const { out } = await printed(() => onBackend("webgpu", () => jit(nested)(np.array([1, 2, 3]))));
  assert.deepEqual(out, fx.lines.nested);
});
