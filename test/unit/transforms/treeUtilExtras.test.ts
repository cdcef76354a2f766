// The rest of jax.tree_util (runtime/src/treeExtras.ts), checked against JAX on the same trees
// (scripts/jax/run_jax_tree_util.py wrote test/fixtures/jax/tree_util.json): tree.all,
// all_leaves, is_tree_node, treedef questions and printing, flatten_one_level, transpose,
// broadcast, reduce_associative's pairing order, keystr of JAX's key classes, and
// register_pytree_with_keys_class / register_static nodes; then the same functions on trees of
// our arrays, eagerly and under jit on the CPU and WebGPU, and the inputs they refuse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import * as tree from "../../../runtime/src/tree.js";
import * as api from "../../../runtime/src/index.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { Complex } from "../../../runtime/src/trace/complexValue.js";
import { refuses, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });
type T = Tracer;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const fx = (
  JSON.parse(readFileSync(new URL("../../fixtures/jax/tree_util.json", import.meta.url), "utf8")) as {
    cases: Record<string, never>;
  }
).cases as unknown as {
  all: { tree: Json; expect: boolean }[];
  all_leaves: { items: Json[]; expect: boolean }[];
  structures: {
    tree: Json;
    str: string;
    num_leaves: number;
    num_nodes: number;
    is_leaf: boolean;
    children: string[];
    paths: string[];
  }[];
  treedef_tuple: { trees: Json[]; str: string };
  compose: string;
  flatten_one_level: { tree: Json; children: Json[]; meta: Json; keys: string[] }[];
  flatten_one_level_leaf: string;
  transpose: { outer: Json; inner: Json; tree: Json; expect: Json }[];
  transpose_mismatch: { outer: Json; inner: Json; tree: Json; message: string };
  broadcast: { prefix: Json; full: Json; expect: Json }[];
  broadcast_errors: { prefix: Json; full: Json; message: string }[];
  reduce_associative: { leaves: string[]; expect: string }[];
  reduce_associative_empty: { identity: string; message: string };
  keystr: { plain: string; simple: string; dict_key: [string, string]; sequence_key: [string, number] };
  registered: {
    paths: string[];
    leaves: number[];
    num_leaves: number;
    num_nodes: number;
    op_num_nodes: number;
    op_is_leaf: boolean;
    pair_one_level_keys: string[];
    pair_one_level_meta: string;
    jit_add: number;
    jit_sub: number;
  };
  is_tree_node: Record<"list" | "dict" | "none" | "int" | "pair" | "op", boolean>;
  names: { tree: string[]; tree_util: string[] };
};

// The fixture's two classes, written as a JS user would write JAX's.
class Pair {
  constructor(
    public x: unknown,
    public y: unknown,
  ) {}
  tree_flatten_with_keys(): [[tree.KeyEntry, unknown][], string] {
    return [
      [
        [new tree.GetAttrKey("x"), this.x],
        [new tree.DictKey("yy"), this.y],
      ],
      "aux",
    ];
  }
  static tree_unflatten(_aux: string, [x, y]: unknown[]): Pair {
    return new Pair(x, y);
  }
}
tree.register_pytree_with_keys_class(Pair);

class Op {
  constructor(readonly name: string) {}
}
tree.register_static(Op);

const def = (t: Json) => new tree.PyTreeDef(tree.structure(t));

test("tree.all is JAX's all() of the leaves on each fixture tree (0 false, null no leaf, booleans leaves)", () => {
  for (const c of fx.all) assert.equal(tree.all(c.tree), c.expect, JSON.stringify(c.tree));
  assert.equal(tree.tree_all, tree.all);
  // is_leaf: an empty list taken as a leaf is false, as Python's all() has it.
  assert.equal(tree.all([[], [1]], { is_leaf: (x) => Array.isArray(x) && x.length < 2 }), false);
});

test("all_leaves and is_tree_node answer as JAX's on the fixture's lists and types", () => {
  for (const c of fx.all_leaves) assert.equal(tree.all_leaves(c.items), c.expect, JSON.stringify(c.items));
  assert.equal(
    tree.all_leaves([null, 1], (x) => x === null),
    true,
  );
  const n = fx.is_tree_node;
  assert.deepEqual(
    [Array, Object, null, Number, Pair, Op].map((c) => tree.is_tree_node(c)),
    [n.list, n.dict, n.none, n.int, n.pair, n.op],
  );
  // A complex array is one leaf to tree.*, though jit carries it as a node of its two parts.
  assert.equal(tree.is_tree_node(Complex), false);
  assert.deepEqual(tree.all_leaves([new Complex(np.ones([2]), np.zeros([2]))]), true);
});

test("PyTreeDef prints, counts leaves and nodes, and lists children as JAX's; keystr paths match", () => {
  for (const c of fx.structures) {
    const d = def(c.tree);
    assert.equal(String(d), c.str);
    assert.deepEqual(
      [d.num_leaves, d.num_nodes, tree.treedef_is_leaf(d), tree.treedef_is_leaf(tree.structure(c.tree))],
      [c.num_leaves, c.num_nodes, c.is_leaf, c.is_leaf],
      c.str,
    );
    assert.deepEqual(d.children().map(String), c.children);
    assert.deepEqual(
      tree.treedef_children(tree.structure(c.tree)).map((t) => String(new tree.PyTreeDef(t))),
      c.children,
    );
    assert.deepEqual(
      tree.leaves_with_path(c.tree).map(([p]) => tree.keystr(p)),
      c.paths,
    );
  }
  // JAX's tuple is our list: the same text with brackets for its parentheses.
  const tup = tree.treedef_tuple(fx.treedef_tuple.trees.map((t) => tree.structure(t)));
  assert.equal(
    String(new tree.PyTreeDef(tup)),
    fx.treedef_tuple.str.replace(/^PyTreeDef\(\((.*)\)\)$/, "PyTreeDef([$1])"),
  );
  assert.ok(new tree.PyTreeDef(tup).equals(tree.structure(fx.treedef_tuple.trees)));
  assert.equal(String(def([0, 0]).compose(tree.structure({ a: 0, b: null }))), fx.compose);
});

test("a PyTreeDef unflattens and flattens up to itself; tree.unflatten takes it; tree.structure stays plain data", () => {
  const d = def({ a: [1, 2], b: null });
  assert.deepEqual(d.unflatten([5, 6]), { a: [5, 6], b: null });
  assert.deepEqual(tree.unflatten(d, [7, 8]), { a: [7, 8], b: null });
  assert.deepEqual(d.flatten_up_to({ b: null, a: [[1, 2], { k: 3 }] }), [[1, 2], { k: 3 }]);
  refuses(() => d.flatten_up_to({ a: [1] }), /^PyTreeDef\.flatten_up_to: tree: expected an object with keys \[a, b\]/);
  assert.deepEqual(tree.structure([1]), { kind: "list", children: [{ kind: "number" }] });
});

test("flatten_one_level gives children and node data as JAX's (an object's keys, null for a list); with keys, the keys keystr writes as JAX's", () => {
  for (const c of fx.flatten_one_level) {
    const [children, meta] = tree.flatten_one_level(c.tree);
    assert.deepEqual([children, meta], [c.children, c.meta]);
    const [keyed] = tree.flatten_one_level_with_keys(c.tree);
    assert.deepEqual(
      keyed.map(([k]) => tree.keystr([k])),
      c.keys,
    );
    assert.deepEqual(
      keyed.map(([, v]) => v),
      c.children,
    );
  }
  assert.match(fx.flatten_one_level_leaf, /can't tree-flatten/);
  refuses(
    () => tree.flatten_one_level(1),
    /^tree_util\.flatten_one_level: can't tree-flatten a number \(1\): it is a leaf/,
  );
  refuses(
    () => tree.flatten_one_level_with_keys(np.ones([2])),
    /^tree_util\.flatten_one_level_with_keys: can't tree-flatten an array, Array\(f32\[2\]\): it is a leaf/,
  );
  refuses(() => tree.flatten_one_level("s"), /can't tree-flatten a string \("s"\): it is not a pytree node/);
});

test("transpose gives JAX's trees for given and inferred inner treedefs, an outer leaf, and null in the outer tree", () => {
  for (const c of fx.transpose) {
    const inner = c.inner === null ? null : tree.structure(c.inner);
    assert.deepEqual(tree.transpose(tree.structure(c.outer), inner, c.tree), c.expect, JSON.stringify(c.tree));
  }
  assert.equal(tree.tree_transpose, tree.transpose);
});

test("transpose refuses a tree whose structure is not outer composed with inner, naming both as JAX prints them", () => {
  const m = fx.transpose_mismatch;
  const [, actual, expected] = /Mismatch\n(.*)\n != \n(.*)/.exec(m.message)!;
  const call = () => tree.transpose(tree.structure(m.outer), tree.structure(m.inner), m.tree);
  refuses(call, /^tree\.transpose: Mismatch: /);
  assert.throws(call, (e: Error) => e.message.includes(`${actual} != ${expected}`));
  // JAX counts leaves only and would take {a, c} for {a, b}; here the keys must match.
  refuses(
    () =>
      tree.transpose(tree.structure([0, 0]), tree.structure({ a: 0, b: 0 }), [
        { a: 1, b: 2 },
        { a: 3, c: 4 },
      ]),
    /pytree_to_transpose\[1\]: expected an object with keys \[a, b\]/,
  );
  refuses(
    () =>
      tree.transpose(tree.structure([0, 0]), null, [
        [1, 2],
        [3, [4, 5]],
      ]),
    /pytree_to_transpose\[1\]\[1\]: expected a leaf, got an object of class Array/,
  );
  refuses(() => tree.transpose(tree.structure([]), null, []), /outer_treedef has no leaves, so pass inner_treedef/);
  refuses(() => tree.transpose([0] as never, null, [1]), /^tree\.transpose: outer_treedef must be a treedef/);
});

test("broadcast repeats each prefix leaf over its subtree as JAX's, and refuses the trees JAX refuses", () => {
  for (const c of fx.broadcast) assert.deepEqual(tree.broadcast(c.prefix, c.full), c.expect, JSON.stringify(c));
  for (const c of fx.broadcast_errors) {
    assert.match(c.message, /pytree structure error/);
    refuses(
      () => tree.broadcast(c.prefix, c.full),
      /^tree\.broadcast: prefix_tree is not a prefix of full_tree: at prefix_tree/,
    );
  }
  refuses(
    () => tree.broadcast([null, 1], [[4], [2, 3]]),
    /at prefix_tree\[0\], prefix_tree has null but full_tree has a list of 1/,
  );
  // An object's keys may come in another order in the full tree; is_leaf applies to the prefix.
  assert.deepEqual(tree.broadcast({ a: 1, b: 2 }, { b: [0, 0], a: 0 }), { b: [2, 2], a: 1 });
  const isPair = (x: unknown) => Array.isArray(x) && x[0] === 1;
  assert.deepEqual(
    tree.broadcast(
      [[1, 2], 3],
      [
        [4, 5],
        [6, 7],
      ],
      { is_leaf: isPair },
    ),
    [
      [
        [1, 2],
        [1, 2],
      ],
      [3, 3],
    ],
  );
});

test("reduce_associative pairs the leaves as JAX's for 1 to 8 leaves; no leaves give the identity or a refusal", () => {
  const op = (a: string, b: string) => `(${a}+${b})`;
  const isStr = { is_leaf: (x: unknown) => typeof x === "string" };
  for (const c of fx.reduce_associative) assert.equal(tree.reduce_associative(op, c.leaves, isStr), c.expect);
  assert.equal(tree.reduce_associative(op, [], { identity: fx.reduce_associative_empty.identity }), "e");
  assert.equal(
    tree.reduce_associative((a: number, b: number) => a + b, [], { identity: 0 }),
    0,
  );
  assert.match(fx.reduce_associative_empty.message, /Must specify identity/);
  refuses(
    () => tree.reduce_associative(op, []),
    /^tree\.reduce_associative: a tree with no leaves needs \{ identity \}/,
  );
});

test("keystr writes DictKey, SequenceKey, GetAttrKey and FlattenedIndexKey as JAX's, plain and simple with a separator", () => {
  const path = [
    new tree.DictKey("w"),
    new tree.SequenceKey(0),
    new tree.GetAttrKey("x"),
    new tree.FlattenedIndexKey(2),
    new tree.DictKey(1),
    new tree.DictKey("it's"),
  ];
  assert.equal(tree.keystr(path), fx.keystr.plain);
  assert.equal(tree.keystr(path, { simple: true, separator: "/" }), fx.keystr.simple);
  assert.deepEqual([String(new tree.DictKey("w")), new tree.DictKey("w").key], fx.keystr.dict_key);
  assert.deepEqual([String(new tree.SequenceKey(3)), new tree.SequenceKey(3).idx], fx.keystr.sequence_key);
  // Our own paths stay bare strings and numbers, and keystr writes those as JAX writes its keys.
  assert.equal(tree.keystr(["w", 0, "it's"]), "['w'][0][\"it's\"]");
});

test("register_pytree_with_keys_class and register_static nodes: JAX's paths, leaves, node counts and one-level keys", () => {
  const r = fx.registered;
  const keyed = { p: new Pair(1, [2, 3]), op: new Op("add") };
  assert.deepEqual(
    tree.leaves_with_path(keyed).map(([p]) => tree.keystr(p)),
    r.paths,
  );
  assert.deepEqual(tree.leaves(keyed), r.leaves);
  const d = new tree.PyTreeDef(tree.structure(keyed));
  assert.deepEqual([d.num_leaves, d.num_nodes], [r.num_leaves, r.num_nodes]);
  assert.equal(new tree.PyTreeDef(tree.structure(new Op("add"))).num_nodes, r.op_num_nodes);
  assert.equal(tree.treedef_is_leaf(tree.structure(new Op("add"))), r.op_is_leaf);
  const [kids, meta] = tree.flatten_one_level_with_keys(new Pair(1, [2]));
  assert.deepEqual(
    kids.map(([k]) => tree.keystr([k])),
    r.pair_one_level_keys,
  );
  assert.equal(meta, r.pair_one_level_meta);
  // map rebuilds both: a Pair with mapped leaves, the very same Op instance.
  const mapped = tree.map((x: number) => x * 10, keyed);
  assert.ok(mapped.p instanceof Pair && mapped.op === keyed.op);
  assert.deepEqual([mapped.p.x, mapped.p.y], [10, [20, 30]]);
  // The key classes flow through register_pytree_with_keys too, with SequenceKey.
  class Seq {
    constructor(readonly items: unknown[]) {}
  }
  tree.register_pytree_with_keys(
    Seq,
    (s) => [s.items.map((c, i) => [new tree.SequenceKey(i), c] as const), null],
    (_aux, items) => new Seq(items),
  );
  assert.deepEqual(
    tree.leaves_with_path({ s: new Seq([1, 2]) }).map(([p]) => tree.keystr(p)),
    ["['s'][0]", "['s'][1]"],
  );
  assert.deepEqual(
    tree.leaves_with_path(new Seq([1])).map(([p]) => tree.keystr(p, { simple: true })),
    ["0"],
  );
});

test("register_pytree_with_keys_class and register_static refuse what JAX's refuse or cannot use", () => {
  class NoKeys {
    static tree_unflatten(): NoKeys {
      return new NoKeys();
    }
  }
  refuses(
    () => tree.register_pytree_with_keys_class(NoKeys),
    /^tree_util\.register_pytree_with_keys_class: NoKeys needs a tree_flatten_with_keys\(\) method/,
  );
  refuses(() => tree.register_static(Op), /^tree_util\.register_static: Op is already registered/);
  refuses(() => tree.register_static(Array), /^tree_util\.register_static: Array is a built-in pytree type/);
  class HoldsArray {
    constructor(readonly w: T) {}
  }
  tree.register_static(HoldsArray);
  refuses(() => tree.structure(new HoldsArray(np.ones([1]))), /HoldsArray's aux data holds an array/);
});

test("tree.all refuses array leaves: several elements are ambiguous as in JAX; one needs an await in JS", () => {
  refuses(
    () => tree.all({ a: [np.ones([2])] }),
    /^tree\.all: the leaf at \.a\[0\] is an array, Array\(f32\[2\]\); the truth value of an array with more than one element is ambiguous/,
  );
  refuses(
    () => tree.all([1, np.ones([])]),
    /^tree\.all: the leaf at \[1\] is an array, Array\(f32\[\]\), whose truth value JS cannot read without an await.*await x\.item\(\)/,
  );
  // all() stops at the first false leaf, as Python's does, before reaching the array.
  assert.equal(tree.all([0, np.ones([2])]), false);
  refuses(() => jit((x: T) => (tree.all([x]) ? x : x))(np.ones([])), /^tree\.all: the leaf at \[0\] is an array/);
});

for (const backend of ["cpu", "webgpu"] as const) {
  test(`transpose, broadcast and reduce_associative over trees of arrays, eager and under jit, give the values computed by hand [${backend}]`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const prev = config({ backend });
    try {
      // Per-example records turned into a record of lists, summed pairwise, scaled per key.
      const f = (recs: { w: T; b: T }[], scale: { w: number; b: number }) => {
        const cols = tree.transpose<{ w: T[]; b: T[] }>(tree.structure([0, 0, 0]), null, recs);
        const sums = { w: tree.reduce_associative(np.add, cols.w), b: tree.reduce_associative(np.add, cols.b) };
        const scales = tree.broadcast(scale, { w: [0, 0], b: 0 });
        return {
          w: [np.multiply(sums.w, scales.w[0]!), np.multiply(sums.w, scales.w[1]!)],
          b: np.multiply(sums.b, scales.b),
        };
      };
      const recs = [1, 2, 3].map((k) => ({ w: np.full([2], k), b: np.full([], 10 * k) }));
      for (const g of [f, jit(f)]) {
        const out = g(recs, { w: 2, b: 0.5 });
        assert.deepEqual(await out.w[0]!.toArray(), [12, 12]);
        assert.deepEqual(await out.w[1]!.toArray(), [12, 12]);
        assert.equal(await out.b.toArray(), 30);
      }
    } finally {
      config(prev);
    }
  });

  test(`register_static through jit: the node's field is a JS constant in the trace (JAX's x + 1 for "add": ${fx.registered.jit_add}, x - 1 otherwise: ${fx.registered.jit_sub}); an equal new instance reuses the trace, another value retraces [${backend}]`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const prev = config({ backend });
    try {
      let traces = 0;
      const f = jit((op: Op, x: T) => {
        traces++;
        assert.ok(op instanceof Op);
        return op.name === "add" ? np.add(x, 1) : np.subtract(x, 1);
      });
      assert.equal(await f(new Op("add"), np.array(1)).toArray(), fx.registered.jit_add);
      assert.equal(await f(new Op("add"), np.array(1)).toArray(), fx.registered.jit_add);
      assert.equal(traces, 1);
      assert.equal(await f(new Op("sub"), np.array(1)).toArray(), fx.registered.jit_sub);
      assert.equal(traces, 2);
      assert.equal(f.cacheSize, 2);
    } finally {
      config(prev);
    }
  });
}

test("every public name of jax.tree and jax.tree_util (0.10) is exported by tree and tree_util, but for four left out on purpose", () => {
  // KeyEntry and KeyPath are types here; default_registry is JAX's C++ registry object (ours is
  // reached through the register_* functions); jax.tree.static is a dataclasses.field helper.
  const leftOut = new Set(["KeyEntry", "KeyPath", "default_registry", "static"]);
  const exported = (ns: object, names: string[]) => names.filter((n) => !leftOut.has(n) && !(n in ns));
  assert.deepEqual(exported(api.tree, fx.names.tree), []);
  assert.deepEqual(exported(api.tree_util, fx.names.tree_util), []);
  assert.equal(
    fx.names.tree_util.filter((n) => leftOut.has(n)).length + fx.names.tree.filter((n) => leftOut.has(n)).length,
    4,
  );
});
