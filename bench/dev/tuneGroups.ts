// The fusion groups the autotuner dev scripts search: the bench CNN's forward conv and the
// elementwise chain of the bench on 2^20 floats, built by hand (no trace needed).
import type { FusionGroup } from "../../runtime/src/codegen/kernelPlan.js";
import type { Eqn, Var, ConvParams } from "../../runtime/src/ir/types.js";

let next = 1;
const v = (shape: number[]): Var => ({ kind: "var", id: next++, aval: { shape, dtype: "float32" } });
const eqn = (prim: Eqn["prim"], inputs: Eqn["inputs"], params: unknown, out: Var): Eqn =>
  ({ id: next++, prim, params, inputs, outputs: [out], location: null, nameStack: [] }) as Eqn;

const [x, w, y] = [v([32, 3, 16, 16]), v([16, 3, 3, 3]), v([32, 16, 16, 16])];
const p: ConvParams = {
  strides: [1, 1],
  padLow: [1, 1],
  padHigh: [1, 1],
  lhsDilation: [1, 1],
  rhsDilation: [1, 1],
  groups: 1,
};
export const conv: FusionGroup = {
  id: "k0",
  kind: "conv",
  eqns: [eqn("conv", [x, w], p, y)],
  inputs: [x, w],
  outputs: [y],
  reason: "ab",
};
const n = 1 << 20;
const c = v([n]);
const lit = (value: number) => ({ kind: "lit" as const, value, aval: { shape: [], dtype: "float32" as const } });
const t1 = v([n]),
  t2 = v([n]),
  t3 = v([n]),
  t4 = v([n]),
  e1 = v([n]),
  e2 = v([n]),
  e3 = v([n]),
  out = v([n]);
export const chain: FusionGroup = {
  id: "k1",
  kind: "elementwise",
  eqns: [
    eqn("mul", [c, lit(1.5)], {}, t1),
    eqn("add", [t1, lit(0.5)], {}, t2),
    eqn("tanh", [t2], {}, t3),
    eqn("mul", [t3, c], {}, t4),
    eqn("mul", [c, c], {}, e1),
    eqn("neg", [e1], {}, e2),
    eqn("exp", [e2], {}, e3),
    eqn("sub", [t4, e3], {}, out),
  ],
  inputs: [c],
  outputs: [out],
  reason: "ab",
};

const [ma, mb, mc] = [v([512, 512]), v([512, 512]), v([512, 512])];
/** A 512² f32 matmul, A·B. */
export const matmul512: FusionGroup = {
  id: "k2",
  kind: "matmul",
  eqns: [eqn("matmul", [ma, mb], {}, mc)],
  inputs: [ma, mb],
  outputs: [mc],
  reason: "ab",
};
