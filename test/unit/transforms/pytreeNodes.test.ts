// Registered pytree nodes (tree_util.register_dataclass / register_pytree_node /
// register_pytree_with_keys / register_pytree_node_class) and flatten_util.ravel_pytree, checked
// against JAX (scripts/jax/run_jax_pytree_nodes.py wrote test/fixtures/jax/pytree_nodes.json):
// the leaves' keystr paths; grad of an MLP whose layers are class instances, returned as the
// same classes; three jitted Adam steps over it, on the CPU and WebGPU; vmap, scan and tree.map
// over instances; jit's cache keyed by a node's aux; ravel_pytree over mixed dtypes; bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import * as optim from "../../../runtime/src/optim.js";
import * as tree from "../../../runtime/src/tree.js";
import { ravel_pytree } from "../../../runtime/src/flattenUtil.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { DType } from "../../../runtime/src/ir/types.js";
import { assertClose, refuses, webgpuOrSkip, type Nested } from "../ops/harness.js";

config({ backend: "cpu" });
type T = Tracer;
const fx: {
  paths: Record<string, string[]>;
  inputs: Record<"w1" | "b1" | "w2" | "b2" | "x" | "y", Nested>;
  grad: Nested[];
  adam_losses: number[];
  adam_params: Nested[];
  ravel: Record<string, { flat: Nested; dtype: DType; back: Nested[]; back_dtypes: DType[] }>;
} = JSON.parse(readFileSync(new URL("../../fixtures/jax/pytree_nodes.json", import.meta.url), "utf8"));

// The fixture's model, written as a JS user would: a layer class with a method, a meta field
// (`act`, compared, never traced) and a container class registered with flat-index children.
class Linear {
  constructor(
    public w: T,
    public b: T,
    public act = "tanh",
  ) {}
  apply(x: T): T {
    const y = np.add(np.matmul(x, this.w), this.b);
    return this.act === "tanh" ? np.tanh(y) : y;
  }
}
tree.register_dataclass(Linear, ["w", "b"], ["act"]);

class MLP {
  constructor(public layers: Linear[]) {}
  apply(x: T): T {
    return this.layers.reduce((h, l) => l.apply(h), x);
  }
}
tree.register_pytree_node(
  MLP,
  (m) => [[m.layers], null],
  (_aux, [layers]) => new MLP(layers as Linear[]),
);

class Pair {
  constructor(
    public first: unknown,
    public second: unknown,
  ) {}
}
tree.register_pytree_with_keys(
  Pair,
  (p) => [
    [
      [new tree.GetAttrKey("first"), p.first],
      ["second", p.second],
    ],
    null,
  ],
  (_aux, [a, b]) => new Pair(a, b),
);

const a = (v: Nested) => np.array(v as never);
const model = () => {
  const i = fx.inputs;
  return new MLP([new Linear(a(i.w1), a(i.b1)), new Linear(a(i.w2), a(i.b2), "none")]);
};
const loss = (m: MLP, x: T, y: T) => np.mean(np.square(np.subtract(m.apply(x), y)));

test("keystr paths of a dataclass, a node without keys and a node with keys read as JAX writes them", () => {
  const paths = (t: unknown) => tree.leaves_with_path(t).map(([p]) => tree.keystr(p));
  assert.deepEqual(paths({ l: new Linear(np.ones([2]), np.ones([1])) }), fx.paths.dataclass_in_dict);
  assert.deepEqual(paths(model()), fx.paths.node_flat_index);
  assert.deepEqual(paths(new Pair(np.ones([2]), [np.ones([1]), 3])), fx.paths.with_keys);
  // A dataclass field's key is a GetAttrKey whose name is the field's.
  const [[path]] = tree.leaves_with_path(new Linear(np.ones([2]), np.ones([1]))) as [[tree.KeyPath, unknown]];
  assert.ok(path[0] instanceof tree.GetAttrKey);
  assert.equal((path[0] as tree.GetAttrKey).name, "w");
});

test("grad of an MLP of class instances equals JAX's gradient and comes back as the same classes, meta fields kept", async () => {
  const i = fx.inputs;
  const g = grad(loss)(model(), a(i.x), a(i.y));
  assert.ok(g instanceof MLP && g.layers.every((l) => l instanceof Linear));
  assert.deepEqual(
    g.layers.map((l) => l.act),
    ["tanh", "none"],
  );
  const leaves = tree.leaves(g) as T[];
  assert.equal(leaves.length, fx.grad.length);
  for (let k = 0; k < leaves.length; k++)
    assertClose(await leaves[k]!.toArray(), fx.grad[k]!, "float32", 1e-5, 1e-6, `grad leaf ${k}`);
  // The instance's method still works on the gradient: it is a real Linear.
  assert.deepEqual(g.layers[1]!.apply(np.zeros([1, 4])).shape, [1, 1]);
});

for (const backend of ["cpu", "webgpu"] as const) {
  test(`three jitted Adam steps over the class-based MLP match JAX's losses and parameters [${backend}]`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const prev = config({ backend });
    try {
      const i = fx.inputs;
      const opt = optim.adam(0.05);
      const step = jit((m: MLP, s: unknown, x: T, y: T) => {
        const l = loss(m, x, y);
        const [u, s2] = opt.update(grad(loss)(m, x, y), s as never, m);
        return [optim.apply_updates(m, u), s2, l] as const;
      });
      let m = model();
      let s: unknown = opt.init(m);
      const losses: number[] = [];
      for (let k = 0; k < 3; k++) {
        const r = step(m, s, a(i.x), a(i.y));
        m = r[0] as MLP;
        s = r[1];
        losses.push((await (r[2] as T).toArray()) as number);
      }
      assert.equal(step.cacheSize, 1);
      assert.ok(m instanceof MLP && m.layers[1]!.act === "none");
      assertClose(losses, fx.adam_losses, "float32", 1e-5, 1e-6, "losses");
      const leaves = tree.leaves(m) as T[];
      for (let k = 0; k < leaves.length; k++)
        assertClose(await leaves[k]!.toArray(), fx.adam_params[k]!, "float32", 1e-4, 1e-5, `param leaf ${k}`);
    } finally {
      config({ backend: prev.backend });
    }
  });
}

test("jit keys its cache by a node's aux: another meta value retraces and says so; the same one does not", async () => {
  let traces = 0;
  const f = jit((l: Linear, x: T) => (traces++, l.apply(x)));
  const x = np.array([[1, 2]]);
  const w = np.array([[1], [0.5]]);
  const b = np.array([0.25]);
  assert.deepEqual(await f(new Linear(w, b, "none"), x).toArray(), [[2.25]]);
  assert.deepEqual(await f(new Linear(w, b, "none"), x).toArray(), [[2.25]]);
  assert.equal(traces, 1);
  const lo = await f.lower(new Linear(w, b, "tanh"), x);
  assert.match(lo.reason, /argument 0: a Linear whose aux data differs/);
  assertClose(await f(new Linear(w, b, "tanh"), x).toArray(), [[Math.tanh(2.25)]], "float32");
  assert.equal(traces, 2);
});

test("vmap over instances (in_axes [null, 0]) and a scan whose carry is an instance equal the loops written out", async () => {
  const m = model();
  const x = a(fx.inputs.x) as T;
  const per = vmap((mm: MLP, xi: T) => mm.apply(np.reshape(xi, [1, 3])), [null, 0])(m, x);
  assertClose(await np.reshape(per, [5, 1]).toArray(), (await m.apply(x).toArray()) as Nested, "float32", 1e-6);
  const [carry, sums] = lax.scan(
    (c: Linear, k: T) => [new Linear(np.multiply(c.w, 0.5), np.add(c.b, k), c.act), np.sum(c.w)] as const,
    new Linear(np.ones([2, 2]), np.zeros([2]), "none"),
    np.arange(3),
  ) as unknown as [Linear, T];
  assert.ok(carry instanceof Linear && carry.act === "none");
  assert.deepEqual(await sums.toArray(), [4, 2, 1]);
  assert.deepEqual(await carry.w.toArray(), [
    [0.125, 0.125],
    [0.125, 0.125],
  ]);
  assert.deepEqual(await carry.b.toArray(), [3, 3]);
});

test("tree.map: the other trees may be deeper than the first (JAX's flatten_up_to); is_leaf stops the walk", async () => {
  const got = tree.map((p: unknown, q: unknown) => [p, q], [1, 2] as unknown, [[np.ones([2]), 3], 4]) as unknown[][];
  assert.equal(got[0]![0], 1);
  assert.equal((got[0]![1] as unknown[])[1], 3);
  assert.deepEqual(got[1], [2, 4]);
  // null counts as a leaf only where is_leaf says so.
  assert.deepEqual(tree.leaves([null, 1, { a: null }], { is_leaf: (v) => v === null }), [null, 1, null]);
  assert.deepEqual(tree.leaves([null, 1, { a: null }]), [1]);
  const scaled = tree.map(
    (l: unknown) => (l instanceof Linear ? new Linear(np.multiply(l.w, 2), l.b, l.act) : l),
    { first: new Linear(np.ones([1]), np.zeros([1])) },
    { is_leaf: (v: unknown) => v instanceof Linear },
  ) as { first: Linear };
  assert.deepEqual(await scaled.first.w.toArray(), [2]);
  refuses(
    () => tree.map((p: unknown) => p, [1, 2], [1]),
    /tree\.map: tree 1 has a different structure from the first: tree 1: expected a list of 2, got a list of 1/,
  );
});

test("ravel_pytree gives JAX's flat vector and dtype, and unravel gives back JAX's leaves and dtypes", async () => {
  const trees: Record<string, () => unknown> = {
    floats: () => ({ a: np.array([0, 1, 2]), b: np.ones([2, 2]) }),
    int_and_float: () => ({ a: np.arange(3), b: np.multiply(np.ones([2, 2]), 0.3) }),
    int_and_bool: () => [np.array([4, -1, 2], { dtype: "int32" }), np.array(true)],
    bools: () => [np.array([true, false]), np.array([[false], [true]])],
    dataclass: () =>
      new Linear(np.slice(a(fx.inputs.w1) as T, [0, 0], [2, 2]), np.slice(a(fx.inputs.b1) as T, [0], [2])),
    empty: () => [],
  };
  for (const [name, make] of Object.entries(trees)) {
    const want = fx.ravel[name]!;
    const [flat, unravel] = ravel_pytree(make());
    assert.equal(flat.dtype, want.dtype, `${name}: dtype`);
    assertClose(await flat.toArray(), want.flat, want.dtype, 1e-6, 1e-7, `${name}: flat`);
    const doubled = want.dtype === "bool" ? np.logical_not(flat) : np.astype(np.multiply(flat, 2.5), want.dtype);
    const back = tree.leaves(unravel(doubled)) as T[];
    assert.deepEqual(
      back.map((l) => l.dtype),
      want.back_dtypes,
      `${name}: dtypes`,
    );
    for (let k = 0; k < back.length; k++)
      assertClose(await back[k]!.toArray(), want.back[k]!, want.back_dtypes[k]!, 1e-6, 1e-7, `${name}: leaf ${k}`);
  }
  const [, unravel] = ravel_pytree({ a: np.ones([2]) });
  refuses(() => unravel(np.ones([3])), /unravel expected an array of shape \[2\], got shape \[3\]/);
  refuses(() => unravel(np.ones([2], { dtype: "int32" })), /given an array of dtype int32 but expected dtype float32/);
});

test("ravel_pytree under jit and grad: a Newton step on a dict of parameters through one flat Hessian", async () => {
  // f(p) = Σ (a·u - 1)² + (v·w)² with p = { u: [2], v: [1] } → the minimum is u = 1/a, v = 0.
  const aw = np.array([2, 4]);
  const f = (p: { u: T; v: T }) =>
    np.add(np.sum(np.square(np.subtract(np.multiply(aw, p.u), 1))), np.sum(np.square(np.multiply(p.v, 3))));
  const newton = jit((p: { u: T; v: T }) => {
    const [flat, unravel] = ravel_pytree(p);
    const fFlat = (v: T) => f(unravel(v));
    const g = grad(fFlat)(flat);
    const h = vmap((e: T) => grad((v: T) => np.sum(np.multiply(grad(fFlat)(v), e)))(flat))(np.eye(3));
    return unravel(np.subtract(flat, np.linalg.solve(h, g)));
  });
  const p = newton({ u: np.array([5, -3]), v: np.array([7]) });
  assertClose(await p.u.toArray(), [0.5, 0.25], "float32", 1e-5, 1e-6);
  assertClose(await p.v.toArray(), [0], "float32", 1e-5, 1e-6);
});

test("bad registrations and aux data name the class and what to do", () => {
  class Twice {
    constructor(public w: T) {}
  }
  tree.register_dataclass(Twice);
  refuses(() => tree.register_dataclass(Twice), /Twice is already registered as a pytree node/);
  refuses(
    () =>
      tree.register_pytree_node(
        Object as never,
        () => [[], null],
        () => ({}),
      ),
    /Object is a built-in pytree type/,
  );
  refuses(() => tree.register_dataclass(42 as never), /the first argument must be a class, got number/);
  class NoMethods {}
  refuses(
    () => tree.register_pytree_node_class(NoMethods),
    /NoMethods needs a tree_flatten\(\) method and a static tree_unflatten/,
  );
  class BadFlatten {
    constructor(public w: T) {}
  }
  tree.register_pytree_node(
    BadFlatten,
    (b) => [b.w] as never,
    () => new BadFlatten(np.ones([1])),
  );
  refuses(
    () => tree.leaves(new BadFlatten(np.ones([1]))),
    /BadFlatten's flatten must return \[children, aux\], got a list of 1/,
  );
  class ArrayAux {
    constructor(public w: T) {}
  }
  tree.register_pytree_node(
    ArrayAux,
    (b) => [[], b.w],
    (aux) => new ArrayAux(aux as T),
  );
  refuses(
    () => jit((v: ArrayAux) => v)(new ArrayAux(np.ones([1]))),
    /ArrayAux's aux data holds an array; return arrays among the children/,
  );
  // An instance of an unregistered class says how to register it.
  class Plain {
    constructor(public w: T) {}
  }
  assert.throws(
    () => jit((p: Plain) => p.w)(new Plain(np.ones([1]))),
    (e: unknown) =>
      e instanceof Error &&
      /an object of class Plain.*register it: tree_util\.register_dataclass\(Plain\)/.test(e.message),
  );
  // A registered class's own tree_flatten / tree_unflatten work too, and a dataclass inferring its fields.
  class Own {
    constructor(
      public a: T,
      public tag: string,
    ) {}
    tree_flatten(): [T[], string] {
      return [[this.a], this.tag];
    }
    static tree_unflatten(tag: string, [a]: T[]) {
      return new Own(a!, tag);
    }
  }
  tree.register_pytree_node_class(Own);
  const own = tree.map((x: T) => np.multiply(x, 3), new Own(np.ones([1]), "t")) as Own;
  assert.ok(own instanceof Own && own.tag === "t");
  assert.deepEqual(
    tree.leaves_with_path(new Twice(np.ones([1]))).map(([p]) => tree.keystr(p)),
    [".w"],
  );
  assert.ok(JitScopeError);
});

test("tree_util.Partial binds leading arguments, is a pytree (its arrays traced by jit, the function its aux), and calls through", async () => {
  const weighted = (w: T, x: T) => np.sum(np.multiply(w, x));
  const p = tree.Partial(weighted, np.array([1, 2]));
  assert.equal(await (p(np.array([3, 4])) as T).toArray(), 11);
  assert.equal(tree.leaves(p).length, 1);
  let traces = 0;
  const apply = jit((f: tree.Partial, x: T) => (traces++, f(x) as T));
  assert.equal(await apply(p, np.array([1, 1])).toArray(), 3);
  // Other bound values of the same shape reuse the compilation; another function retraces.
  assert.equal(await apply(tree.Partial(weighted, np.array([5, 5])), np.array([1, 1])).toArray(), 10);
  assert.equal(traces, 1);
  assert.equal(
    await apply(
      tree.Partial((w: T, x: T) => np.sum(np.subtract(w, x)), np.array([5, 5])),
      np.array([1, 1]),
    ).toArray(),
    8,
  );
  assert.equal(traces, 2);
  // grad through the bound arrays: d/dw Σ w·x = x.
  const g = grad((q: tree.Partial) => q(np.array([3, 4])) as T)(p) as tree.Partial;
  assert.deepEqual(await (g.args[0] as T).toArray(), [3, 4]);
  assert.equal(g.func, weighted);
  refuses(() => tree.Partial(3 as never), /Partial: the first argument must be a function, got number/);
});
