// Arguments that are not arrays, as JAX passes them: grad differentiates only its argnums and
// hands the other arguments to f as they are (a training flag, a string, a config object), and
// vmap does the same for an argument whose in_axes is null; both inside jit with the flag static.
// Checked by hand (d/dx of x²·k is 2xk) and against the same function without the flag.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad, valueAndGrad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, refuses } from "../ops/harness.js";

config({ backend: "cpu" });
type T = Tracer;

const loss = (x: T, scale: { k: number }, train: boolean, tag: string) =>
  np.sum(np.multiply(np.square(x), train ? scale.k * tag.length : 1));

test("grad passes a boolean, a string and a config object through to f: d/dx Σ x²·k·|tag| = 2x·k·|tag|", async () => {
  const x = np.array([1, -2, 0.5]);
  assertClose(await grad(loss)(x, { k: 3 }, true, "ab").toArray(), [12, -24, 6], "float32");
  assertClose(await grad(loss)(x, { k: 3 }, false, "ab").toArray(), [2, -4, 1], "float32");
  const [value, g] = valueAndGrad(loss, 0)(x, { k: 1 }, true, "abc");
  assert.equal(await value.toArray(), 15.75);
  assertClose(await (g as T).toArray(), [6, -12, 3], "float32");
  // argnums past a non-array argument: d/dw of Σ (w·x)² at a flag.
  const f = (x: T, train: boolean, w: T) => np.sum(np.square(np.multiply(w, train ? x : 0)));
  assertClose(await (grad(f, { argnums: 2 })(x, true, np.array(2)) as T).toArray(), 2 * 2 * 5.25, "float32");
});

test("vmap passes an argument with in_axes null through to f as it is; inside jit the flag is a static argument", async () => {
  const layer = (w: T, x: T, train: boolean) => (train ? np.multiply(np.matmul(x, w), 0.5) : np.matmul(x, w));
  const w = np.array([[1], [2]]);
  const xs = np.array([
    [1, 1],
    [2, 0],
    [0, 3],
  ]);
  const mapped = vmap(layer, [null, 0, null]);
  assertClose(await mapped(w, xs, true).toArray(), [[1.5], [1], [3]], "float32");
  assertClose(await mapped(w, xs, false).toArray(), [[3], [2], [6]], "float32");
  const jitted = jit((w: T, xs: T, train: boolean) => mapped(w, xs, train), { static_argnames: ["train"] });
  assertClose(await jitted(w, xs, true).toArray(), [[1.5], [1], [3]], "float32");
  assertClose(await jitted(w, xs, false).toArray(), [[3], [2], [6]], "float32");
  assert.equal(jitted.cacheSize, 2);
  // A mapped axis on a boolean still says what is wrong.
  refuses(
    () => vmap(layer, [null, 0, 0])(w, xs, true),
    /vmap\(layer\): argument 2 is a boolean \(true\); .*an argument that is no array maps with in_axes null/,
  );
});
