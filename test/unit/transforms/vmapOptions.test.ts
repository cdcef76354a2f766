// vmap takes JAX's keywords as an options object, as jit and grad do (README: Names):
// vmap(f, { in_axes, out_axes }) and vmap(f, inAxes, { out_axes }) compute what the positional
// form computes (checked by hand); an unknown option is an error naming it.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

config({ backend: "cpu" });
const w = () => np.array([1, 2, 3]);
const xs = () =>
  np.array([
    [1, 0, 0],
    [0, 1, 0],
    [1, 1, 1],
    [2, 0, 1],
  ]);
const scaled = (w: Tracer, x: Tracer) => np.multiply(w, x);

test("vmap(f, { in_axes }) maps as vmap(f, inAxes): one row per example, w unmapped", async () => {
  const want = [
    [1, 0, 0],
    [0, 2, 0],
    [1, 2, 3],
    [2, 0, 3],
  ];
  assert.deepEqual(await vmap(scaled, { in_axes: [null, 0] })(w(), xs()).toArray(), want);
  assert.deepEqual(await vmap(scaled, [null, 0])(w(), xs()).toArray(), want);
  assert.deepEqual(await jit(vmap(scaled, { in_axes: [null, 0] }))(w(), xs()).toArray(), want);
});

test("out_axes as an option, alone or after positional in_axes, stacks along that axis", async () => {
  const want = [
    [1, 0, 1, 2],
    [0, 2, 2, 0],
    [0, 0, 3, 3],
  ];
  assert.deepEqual(await vmap(scaled, { in_axes: [null, 0], out_axes: 1 })(w(), xs()).toArray(), want);
  assert.deepEqual(await vmap(scaled, [null, 0], { out_axes: 1 })(w(), xs()).toArray(), want);
});

test("vmap's options object refuses a key it does not know, naming it and the ones it takes", () => {
  assert.throws(
    () => vmap(scaled, { in_axis: [null, 0] } as never),
    /vmap: unknown option "in_axis": did you mean "in_axes"\? \(it takes in_axes, out_axes, axis_name, axis_size\)/,
  );
  assert.throws(() => vmap(scaled, { in_axes: [null, 0] }, 1), /give out_axes in the options object/);
});
