// debug.print, as jax.debug.print: the lines it prints eagerly and inside jit (each call its own
// values), under grad and vmap, in predicated cond/switch branches (the taken one only), nothing
// but a warning inside a while_loop body (scan bodies: debugPrintLoops.test.ts), and the text of its values and format specs (Python's, checked
// against CPython's format() on the same specs).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { cond, while_loop } from "../../../runtime/src/lax.js";
import { switch_ } from "../../../runtime/src/lax/branches.js";
import { debugPrint } from "../../../runtime/src/trace/debugPrint.js";
import { formatNumber } from "../../../runtime/src/trace/debugFormat.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";
import { printed } from "./printed.js";

config({ backend: "cpu" });
type T = Tracer;

test("eagerly, debug.print writes arrays as NumPy does and scalars through Python's format specs", async () => {
  const { out } = await printed(() => {
    const x = np.array([1.5, 2, 3]);
    debugPrint("x = {} sum {:.3f} n {} max {:>6.1e}", x, np.sum(x), 7, np.max(x));
    debugPrint(
      "{} {} {} {{braces}}",
      np.array(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: "int32" },
      ),
      np.array(0.1),
      np.array(true),
    );
  });
  assert.deepEqual(out, ["x = [1.5 2.  3. ] sum 6.500 n 7 max 3.0e+00", "[[1 2]\n [3 4]] 0.1 True {braces}"]);
});

test("inside jit each call prints its own values, the results are unchanged, and the printed value is an extra output of the program", async () => {
  const f = jit((a: T) => {
    const y = np.multiply(a, 2);
    debugPrint("y = {}", y);
    return np.sum(y);
  });
  const sums: unknown[] = [];
  const { out } = await printed(async () => {
    sums.push(await f(np.array([1, 2, 3])).toArray(), await f(np.array([0, -1, 1])).toArray());
  });
  assert.deepEqual(out, ["y = [2. 4. 6.]", "y = [ 0. -2.  2.]"]);
  assert.deepEqual(sums, [12, 0]);
  const lowered = await f.lower(np.array([1, 2, 3]));
  assert.equal(lowered.program.outputs.length, 2, "the sum, then the printed y");
  assert.equal(f.compileCount, 1);
});

test("named fields read the options object given last; a pytree prints as JS writes it, its arrays as NumPy does", async () => {
  const { out } = await printed(() =>
    jit((a: T) => {
      debugPrint("{y:.2f} then {} and {n}", { w: a, k: [3] }, { y: np.max(a), n: "text" });
      return a;
    })(np.array([0.5, 1.25])),
  );
  assert.deepEqual(out, ["1.25 then { w: [0.5  1.25], k: [3] } and text"]);
});

test("under grad, eager and in jit, a print shows the primal values once", async () => {
  const loss = (w: T) => {
    debugPrint("w = {}", w);
    return np.sum(np.square(w));
  };
  const { out } = await printed(async () => {
    assert.deepEqual(await grad(loss)(np.array([1, 2])).toArray(), [2, 4]);
    assert.deepEqual(await jit(grad(loss))(np.array([3, 4])).toArray(), [6, 8]);
  });
  assert.deepEqual(out, ["w = [1. 2.]", "w = [3. 4.]"]);
});

test("under vmap a print writes one line per element, eagerly and in jit, and one per pair under two vmaps", async () => {
  const row = (r: T) => {
    debugPrint("row {} first {:d}", r, np.take(r, 0));
    return np.sum(r);
  };
  const rows = () => np.reshape(np.arange(6), [3, 2]);
  const { out } = await printed(() => {
    vmap(row)(rows());
    jit(vmap(row))(rows());
    vmap(
      vmap(
        (a: T, b: T) => {
          debugPrint("{} {}", a, b);
          return np.add(a, b);
        },
        [null, 0],
      ),
      [0, null],
    )(np.array([1, 2], { dtype: "int32" }), np.array([10, 20, 30], { dtype: "int32" }));
  });
  const three = ["row [0 1] first 0", "row [2 3] first 2", "row [4 5] first 4"];
  assert.deepEqual(out, [...three, ...three, "1 10", "1 20", "1 30", "2 10", "2 20", "2 30"]);
});

test("in a predicated lax.cond or lax.switch only the taken branch prints, in jit and under vmap per element", async () => {
  const f = jit((c: T) =>
    cond(
      np.greater(c, 1),
      (q: T) => (debugPrint("true {}", q), q),
      (q: T) => (debugPrint("false {}", q), np.negative(q)),
      c,
    ),
  );
  const g = jit((i: T, x: T) =>
    switch_(i, [(q: T) => (debugPrint("b0 {}", q), q), (q: T) => (debugPrint("b1 {}", q), np.add(q, 1))], x),
  );
  const { out } = await printed(async () => {
    assert.equal(await f(np.array(0.5)).toArray(), -0.5);
    assert.equal(await f(np.array(5)).toArray(), 5);
    assert.equal(await g(np.array(1, { dtype: "int32" }), np.array(2)).toArray(), 3);
    await vmap(f)(np.array([3, 0])).toArray();
  });
  assert.deepEqual(out, ["false 0.5", "true 5.0", "b1 2.0", "true 3.0", "false 0.0"]);
});

test("inside a lax.while_loop body in jit it prints nothing and warns once on stderr; the loop's result is right", async () => {
  const f = jit((x: T) =>
    while_loop(
      (v: T) => np.less(v, 10),
      (v: T) => {
        debugPrint("in while {}", v);
        return np.add(v, 3);
      },
      x,
    ),
  );
  const { out, err } = await printed(async () => {
    assert.equal(await f(np.array(0)).toArray(), 12);
    assert.equal(await f(np.array(2)).toArray(), 11);
  });
  assert.deepEqual(out, []);
  assert.equal(err.length, 1);
  assert.match(err[0]!, /debug\.print\("in while \{\}"\) inside a lax\.while_loop body .* prints nothing yet/);
});

test("a bad format string or a field not given is a JitScopeError naming it", () => {
  const x = np.array([1]);
  const refuses = (fn: () => void, re: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof JitScopeError && re.test(e.message));
  refuses(() => debugPrint("{", x), /debug\.print: the format string "\{" has a "\{" with no closing "\}"/);
  refuses(() => debugPrint("{} {0}", x), /has both \{\} and numbered fields/);
  refuses(() => debugPrint("{:q}", x), /the format spec ":q"/);
  refuses(() => debugPrint("{} {}", x), /reads argument 1, which was not given/);
  refuses(() => debugPrint("{loss}", x), /reads a field "loss" in the options object given last/);
});

test("format specs read as Python's format() reads them (values from CPython 3.11)", () => {
  const cases: [number, string, boolean, string][] = [
    [3.14159, ".2f", false, "3.14"],
    [12345.678, ".3e", false, "1.235e+04"],
    [2, "+.1f", false, "+2.0"],
    [3.14159, ">8.2f", false, "    3.14"],
    [3, "d", true, "3"],
    [0.256, ".1%", false, "25.6%"],
    [0.000123456, ".3g", false, "0.000123"],
    [1234567, ".3g", false, "1.23e+06"],
    [1234567, "g", false, "1.23457e+06"],
    [0.5, "<6", false, "0.5   "],
    [7, "^7d", true, "   7   "],
    [1e-7, "", false, "1e-07"],
    [2.5, "E", false, "2.500000E+00"],
    [100, ".2g", false, "1e+02"],
    [-0.0001, ".1e", false, "-1.0e-04"],
  ];
  for (const [v, spec, integer, want] of cases) assert.equal(formatNumber(v, spec, integer), want, `${v}:${spec}`);
});

test("on WebGPU a jitted print writes the values the CPU backend writes", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const f = jit((a: T) => {
    debugPrint("{:.4f} {}", np.sum(np.exp(a)), np.tanh(a));
    return a;
  });
  const cpu = await printed(() => f(np.array([0.5, -1, 2])));
  const gpu = await printed(() => onBackend("webgpu", () => f(np.array([0.5, -1, 2]))));
  // The same text but for the last digits (the device's tanh is not the CPU's to the ulp).
  const numbers = (line: string) => line.replace(/[[\]]/g, " ").trim().split(/\s+/).map(Number);
  assert.equal(gpu.out.length, 1);
  const [want, got] = [numbers(cpu.out[0]!), numbers(gpu.out[0]!)];
  assert.equal(got.length, 4);
  got.forEach((v, i) =>
    assert.ok(Math.abs(v - want[i]!) <= 1e-6 * Math.max(1, Math.abs(want[i]!)), `${got} vs ${want}`),
  );
  assert.match(cpu.out[0]!, /^9\.4057 \[ 0\.4621\d* -0\.7615\d*\s+0\.9640\d* *\]$/);
});
