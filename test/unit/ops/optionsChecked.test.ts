// Every options object of the API is checked against the names its function takes (apiOptions.ts):
// a misspelled or camelCase option, or a bare value where the options go, is an error that names
// the function, the key, the spelling it most likely meant and the user's line. Before, each of
// these calls ran and returned a wrong result (the option ignored).
import { test } from "node:test";
import assert from "node:assert/strict";
import { custom_vjp, jit, lax, nn, optim, random } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { likelyMeant } from "../../../runtime/src/apiOptions.js";
import { expectUserError, here, onBackend } from "./harness.js";

const f = "optionsChecked.test.ts";
const x = () =>
  np.array([
    [1, 2, 3],
    [4, 5, 6],
  ]);
const q = () => np.ones([1, 2, 1, 4]);
const [lhs, rhs] = [() => np.ones([1, 1, 4, 4]), () => np.ones([1, 1, 3, 3])];

test("a misspelled or camelCase option is an error naming the function, the key, the name it meant and the line", async (t) => {
  const cases: [number, () => unknown, string[]][] = [];
  const l0 = here() + 1;
  const f0 = () => np.mean(x(), -1, { keepDims: true } as never);
  cases.push([l0, f0, ["mean", 'unknown option "keepDims"', 'did you mean "keepdims"']]);
  const l1 = here() + 1;
  const f1 = () => np.var(x(), 0, { dof: 1 } as never);
  cases.push([l1, f1, ["var", '"dof"', '"ddof"', "it takes ddof, keepdims"]]);
  const l2 = here() + 1;
  const f2 = () => random.uniform(random.key(0), [3], { minVal: 5, maxval: 6 } as never);
  cases.push([l2, f2, ["random.uniform", '"minVal"', '"minval"']]);
  const l3 = here() + 1;
  const f3 = () => nn.dot_product_attention(q(), q(), q(), { isCausal: true } as never);
  cases.push([l3, f3, ["nn.dot_product_attention", '"isCausal"', '"is_causal"']]);
  const l4 = here() + 1;
  const f4 = () => nn.dot_product_attention(q(), q(), q(), null, null, { is_casual: true } as never);
  cases.push([l4, f4, ['"is_casual"', 'did you mean "is_causal"']]);
  const l5 = here() + 1;
  const f5 = () => optim.adamw(1e-3, { weightDecay: 0.1 } as never);
  cases.push([l5, f5, ["optim.adamw", '"weightDecay"', '"weight_decay"']]);
  const l6 = here() + 1;
  const f6 = () => optim.adam(1e-3, { weight_decay: 0.1 } as never);
  cases.push([l6, f6, ["optim.adam", '"weight_decay"', "optim.adamw(learning_rate, { weight_decay })"]]);
  const l7 = here() + 1;
  const f7 = () => lax.scan((c: np.ArrayLike, y: np.ArrayLike) => [c, y], 0, x(), { Reverse: true } as never);
  cases.push([l7, f7, ["lax.scan", '"Reverse"', '"reverse"']]);
  const l8 = here() + 1;
  const f8 = () => np.pad(x(), 1, { constantValues: 7 } as never);
  cases.push([l8, f8, ["pad", '"constant_values"']]);
  const l9 = here() + 1;
  const f9 = () => nn.one_hot(np.array([0, 1], { dtype: "int32" }), 3, { dtyp: "int32" } as never);
  cases.push([l9, f9, ["one_hot", '"dtyp"', '"dtype"']]);
  const l10 = here() + 1;
  const f10 = () => np.quantile(x(), 0.5, { interpolation: "linear" } as never);
  cases.push([l10, f10, ["quantile", 'unknown option "interpolation" (it takes axis, method, keepdims)']]);
  const l11 = here() + 1;
  const f11 = () => np.isclose(x(), x(), { equalNan: true } as never);
  cases.push([l11, f11, ["isclose", '"equal_nan"']]);
  const l12 = here() + 1;
  const f12 = () => optim.exponential_decay(1, 10, 0.5, { transitionBegin: 5 } as never);
  cases.push([l12, f12, ["optim.exponential_decay", '"transition_begin"']]);
  const l13 = here() + 1;
  const f13 = () => custom_vjp((a: np.ArrayLike) => a, { nondiffArgnums: [1] } as never);
  cases.push([l13, f13, ["custom_vjp", '"nondiff_argnums"']]);
  const l14 = here() + 1;
  const f14 = () => jit((a: np.ArrayLike) => a, { staticArgNums: [0] } as never);
  cases.push([l14, f14, ["jit", '"staticArgNums"', '"static_argnums"']]);
  const l15 = here() + 1;
  const f15 = () => lax.conv_general_dilated(lhs(), rhs(), [1, 1], "SAME", { rhsDilation: [2, 2] } as never);
  cases.push([l15, f15, ["lax.conv_general_dilated", '"rhs_dilation"']]);
  for (const [line, fn, fragments] of cases) await expectUserError(t, fn, f, line, ...fragments);
});

test("a bare value where the options go is an error saying which option it stands for", async (t) => {
  const l1 = here() + 1;
  const f1 = () => np.sum(x(), -1, true as never);
  const l2 = here() + 1;
  const f2 = () => np.zeros([2], "int32" as never);
  const l3 = here() + 1;
  const f3 = () => np.linalg.norm(x(), 2, -1, true as never);
  const l4 = here() + 1;
  const f4 = () => optim.adam(1e-3, 0.9 as never);
  await expectUserError(t, f1, f, l1, "sum: options must be an object", "got true; write { keepdims: true }");
  await expectUserError(t, f2, f, l2, "zeros: options must be an object", 'write { dtype: "int32" }');
  await expectUserError(t, f3, f, l3, "norm", "write { keepdims: true }");
  await expectUserError(t, f4, f, l4, "optim.adam: options must be an object such as { b1: … }, got 0.9");
});

test("options where the axis goes are an error showing the call with the axis first", async (t) => {
  const l1 = here() + 1;
  const f1 = () => np.sum(x(), { keepdims: true } as never);
  const l2 = here() + 1;
  const f2 = () => nn.softmax(x(), { axis: 0 } as never);
  const l3 = here() + 1;
  const f3 = () => np.mean(x(), "rows" as never);
  await expectUserError(
    t,
    f1,
    f,
    l1,
    "sum: got an object { keepdims } where the axis goes",
    "sum(x, null, { keepdims })",
  );
  await expectUserError(t, f2, f, l2, "softmax", "pass the axis itself: softmax(x, 0)");
  await expectUserError(t, f3, f, l3, "mean: axis must be a number, a list of numbers or null", '"rows"');
});

test("the right spellings still compute: keepdims keeps the axis, minval/maxval bound the samples, dtype sets the type, an undefined option is absent", async () => {
  const [m, u, z, s] = onBackend("cpu", () => [
    np.mean(x(), -1, { keepdims: true }),
    random.uniform(random.key(3), [64], { minval: 5, maxval: 6, ...{ unused: undefined } } as never),
    np.zeros([2], { dtype: "int32" }),
    np.sum(x(), 0, { keepdims: undefined }),
  ]);
  assert.deepEqual(m.shape, [2, 1]);
  assert.deepEqual(await m.toArray(), [[2], [5]]);
  const samples = (await u.data()) as Float32Array;
  assert.ok(
    samples.every((v) => v >= 5 && v < 6),
    `samples in [5, 6): ${[...samples].slice(0, 4)}`,
  );
  assert.equal(z.dtype, "int32");
  assert.deepEqual(await s.toArray(), [5, 7, 9]);
});

test("likelyMeant: case and underscores ignored first, then at most two edits; none beyond", () => {
  assert.equal(likelyMeant("keepDims", ["keepdims"]), "keepdims");
  assert.equal(likelyMeant("isCausal", ["scale", "is_causal"]), "is_causal");
  assert.equal(likelyMeant("is_casual", ["scale", "is_causal"]), "is_causal");
  assert.equal(likelyMeant("dof", ["ddof", "keepdims"]), "ddof");
  assert.equal(likelyMeant("interpolation", ["axis", "method", "keepdims"]), undefined);
});
