// simplify, cse and dce, each seen through the snapshot it leaves, plus the pytree helpers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { flatten, treedefDiff, unflatten } from "../../../runtime/src/trace/pytree.js";
import { bind1, lit, type Tracer } from "../../../runtime/src/trace/core.js";

config({ backend: "cpu" });
const strip = (text: string): string =>
  text
    .split("\n")
    .map((l) => l.replace(/\s+# [\w.-]+:\d+$/, ""))
    .join("\n");

test("simplify removes x+0, x-0, x*1, x/1, double transposes and same-shape reshapes", async () => {
  const f = (x: Tracer) => {
    const a = np.divide(np.multiply(np.subtract(np.add(x, 0), 0), 1), 1);
    const t = np.transpose(np.transpose(x));
    return [np.sin(np.reshape(a, [2, 3])), t];
  };
  const lo = await jit(f).lower(np.ones([2, 3]));
  const simplify = lo.passes.find((p) => p.name === "simplify")!;
  assert.equal(simplify.changed, true);
  assert.equal(
    strip(simplify.text),
    `{ lambda a:f32[2,3] .
  let b:f32[3,2] = transpose[perm=[1,0]] a
      c:f32[2,3] = sin a
  in (c, a) }`,
  );
  // The first transpose is left for dce; sin's input was rewritten, so its node is marked changed.
  const sin = simplify.graph.nodes.find((n) => n.label === "sin")!;
  assert.equal(sin.changed, true, "its input was rewritten");
});

test("simplify folds elementwise ops on literals only and keeps x*0 (NaN and Inf stay honest)", async () => {
  const f = (x: Tracer) => np.add(np.multiply(x, 0), np.multiply(np.sqrt(np.full([], 4)), 1));
  const lo = await jit(f).lower(np.ones([3]));
  const text = strip(lo.text("dce"));
  assert.match(text, /= mul a 0\.0/, "x*0 is not folded");
  assert.doesNotMatch(text, /mul \w 1\.0/);
});

test("cse merges equal ops; dce drops what no output needs", async () => {
  const f = (x: Tracer) => {
    np.cos(x); // dead
    return np.add(np.exp(x), np.exp(x));
  };
  const lo = await jit(f).lower(np.ones([5]));
  const [trace, , cse, dce] = lo.passes;
  assert.equal(
    strip(trace!.text),
    `{ lambda a:f32[5] .
  let b:f32[5] = cos a
      c:f32[5] = exp a
      d:f32[5] = exp a
      e:f32[5] = add c d
  in (e) }`,
  );
  assert.equal(cse!.changed, true);
  assert.equal(
    strip(cse!.text),
    `{ lambda a:f32[5] .
  let b:f32[5] = cos a
      c:f32[5] = exp a
      d:f32[5] = add c c
  in (d) }`,
  );
  assert.equal(dce!.changed, true);
  assert.equal(
    strip(dce!.text),
    `{ lambda a:f32[5] .
  let b:f32[5] = exp a
      c:f32[5] = add b b
  in (c) }`,
  );
});

test("pytrees flatten and unflatten nested lists and objects, and say where two differ", () => {
  const a = np.ones([2]);
  const b = np.zeros([3]);
  const tree = { w: [a, 2], b: { c: b, d: null } };
  const { leaves, treedef } = flatten(tree);
  assert.deepEqual(leaves, [a, 2, b]);
  assert.deepEqual(unflatten(treedef, ["x", "y", "z"]), { w: ["x", "y"], b: { c: "z", d: null } });
  const other = flatten({ w: [a], b: { c: b, d: null } }).treedef;
  assert.equal(treedefDiff(treedef, other, "argument 0"), "argument 0.w: expected a list of 2, got a list of 1");
  assert.equal(
    treedefDiff(treedef, flatten({ w: [a, 2], b: b }).treedef, "x"),
    "x.b: expected an object with keys [c, d], got an array",
  );
  assert.equal(treedefDiff(treedef, treedef), null);
  assert.throws(() => flatten({ f: "str" }, "argument 1"), /argument 1\.f is a string/);
});

test("simplify inlines a broadcast literal read by binary ops, but not one that is an output", async () => {
  const f = (x: Tracer) => {
    const half = bind1("broadcast", { shape: [4], dims: [] }, [lit(0.5, "float32")]);
    return [np.multiply(half, x), np.add(x, half), half];
  };
  const lo = await jit(f).lower(np.ones([4]));
  assert.equal(
    strip(lo.text("dce")),
    `{ lambda a:f32[4] .
  let b:f32[4] = broadcast[shape=[4], dims=[]] 0.5
      c:f32[4] = mul b a
      d:f32[4] = add a b
  in (c, d, b) }`,
    "kept: the broadcast is also a program output",
  );
  const g = (x: Tracer) => np.multiply(bind1("broadcast", { shape: [4], dims: [] }, [lit(0.5, "float32")]), x);
  assert.equal(
    strip((await jit(g).lower(np.ones([4]))).text("dce")),
    `{ lambda a:f32[4] .
  let b:f32[4] = mul 0.5 a
  in (b) }`,
  );
});
