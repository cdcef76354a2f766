// debug.callback, as jax.debug.callback: the function gets the arguments' values (arrays as
// nested JS arrays, a 0-d array as a number, pytrees rebuilt, strings and booleans as given)
// wherever a debug.print there would print: eagerly, once per jitted call, per vmap element, per
// scan iteration, in the taken branch of a cond, the primal values once under grad. A callback
// that throws is reported and rejects the next effects_barrier. Values by hand; WebGPU = CPU.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import * as tree from "../../../runtime/src/tree.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { cond, scan } from "../../../runtime/src/lax.js";
import { debugCallback, effectsBarrier } from "../../../runtime/src/trace/debugPrint.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, refuses, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });
type T = Tracer;

class Stats {
  constructor(
    public mean: unknown,
    public label: string,
  ) {}
}
tree.register_dataclass(Stats, ["mean"], ["label"]);

test("eagerly and in jit the callback gets numbers, nested arrays, objects, class instances, strings and booleans", async () => {
  const calls: unknown[][] = [];
  const log = (...args: unknown[]) => void calls.push(args);
  const f = (x: T) => {
    debugCallback(log, np.sum(x), x, { max: np.max(x), k: 2 }, new Stats(np.mean(x), "m"), "tag", true);
    return np.multiply(x, 2);
  };
  f(np.array([1, 2, 3]));
  await effectsBarrier();
  const jf = jit(f);
  assert.deepEqual(await jf(np.array([1, 2, 3])).toArray(), [2, 4, 6]);
  jf(np.array([4, 5, 6]));
  await effectsBarrier();
  assert.equal(calls.length, 3);
  const [sum, x, obj, stats, tag, flag] = calls[0]!;
  assert.deepEqual([sum, x, obj, tag, flag], [6, [1, 2, 3], { max: 3, k: 2 }, "tag", true]);
  assert.ok(stats instanceof Stats && stats.mean === 2 && stats.label === "m");
  assert.deepEqual(calls[1]!.slice(0, 3), [6, [1, 2, 3], { max: 3, k: 2 }]);
  assert.deepEqual(calls[2]!.slice(0, 3), [15, [4, 5, 6], { max: 6, k: 2 }]);
});

test("in jit: once per vmap element, once per scan iteration, only in the taken cond branch, primal values once under grad", async () => {
  const seen: [string, unknown][] = [];
  const note = (tag: string) => (v: unknown) => void seen.push([tag, v]);
  await jit(
    vmap((r: T) => {
      debugCallback(note("row"), r);
      return r;
    }),
  )(
    np.array([
      [1, 2],
      [3, 4],
    ]),
  ).toArray();
  await jit((xs: T) =>
    scan(
      (c: T, x: T) => {
        debugCallback(note("carry"), c);
        return [np.add(c, x), null];
      },
      np.array(0),
      xs,
    ),
  )(np.array([5, 6, 7]))[0].toArray();
  await jit((x: T) =>
    cond(
      np.greater(x, 0),
      (v: T) => (debugCallback(note("positive"), v), v),
      (v: T) => (debugCallback(note("negative"), v), v),
      x,
    ),
  )(np.array(-2)).toArray();
  await jit(grad((x: T) => (debugCallback(note("primal"), x), np.sum(np.square(x)))))(np.array([3])).toArray();
  await effectsBarrier();
  assert.deepEqual(seen, [
    ["row", [1, 2]],
    ["row", [3, 4]],
    ["carry", 0],
    ["carry", 5],
    ["carry", 11],
    ["negative", -2],
    ["primal", [3]],
  ]);
});

test("a callback that throws is reported on stderr and rejects the next effects_barrier once; later callbacks still run", async () => {
  const errs: string[] = [];
  const { error } = console;
  console.error = (...a: unknown[]) => void errs.push(a.join(" "));
  let after = 0;
  try {
    const f = jit((x: T) => {
      debugCallback(() => {
        throw new Error("diverged");
      });
      debugCallback(() => void after++);
      return x;
    });
    f(np.array([1]));
    await assert.rejects(effectsBarrier(), /diverged/);
    await effectsBarrier();
  } finally {
    console.error = error;
  }
  assert.equal(after, 1);
  assert.equal(errs.length, 1);
  assert.match(errs[0]!, /^jitscope: a debug\.callback threw: Error: diverged/);
  refuses(
    () => debugCallback(5 as never, np.array([1])),
    /debug\.callback: the first argument must be a function, got number/,
  );
});

test("on WebGPU a jitted callback gets the values the CPU backend gives", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const got: unknown[] = [];
  const f = jit((a: T) => {
    debugCallback((s: unknown, e: unknown) => void got.push([s, e]), np.sum(a), np.exp(a));
    return a;
  });
  f(np.array([0.5, -1, 2]));
  await effectsBarrier();
  onBackend("webgpu", () => f(np.array([0.5, -1, 2])));
  await effectsBarrier();
  const [[s0, e0], [s1, e1]] = got as [number, number[]][];
  assert.equal(s1, s0);
  e1.forEach((v, i) => assert.ok(Math.abs(v - e0[i]!) <= 1e-6 * Math.abs(e0[i]!), `${e1} vs ${e0}`));
  assert.ok(Math.abs(e0[2]! - Math.exp(2)) < 1e-5);
});
