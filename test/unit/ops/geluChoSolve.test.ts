// nn.gelu in both forms and np.linalg.cho_solve against JAX (test/fixtures/jax/gelu_cho_solve.json,
// scripts/jax/run_jax_gelu_cho_solve.py) on the CPU reference, on WebGPU and under jit on WebGPU:
// gelu over [-6, 6], ±0, |x| up to 1000, ±inf and NaN, with its derivative; cho_solve from lower
// and upper factors with junk in the unread triangle, vector / matrix / batched / broadcast b,
// and its gradient in c and b. Then the option and operand errors.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { grad, nn } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { expectUserError, here, opCases, type Nested, type OpCase } from "./harness.js";

type Raw = number | string | Raw[];
const file = join(import.meta.dirname, "../../fixtures/jax/gelu_cho_solve.json");
const stored = (JSON.parse(readFileSync(file, "utf8")) as { cases: Record<string, { inputs: Raw[]; expect: Raw }> })
  .cases;
const SPECIAL: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity, "-0": -0 };
const decode = (v: Raw): Nested => (Array.isArray(v) ? v.map(decode) : typeof v === "string" ? SPECIAL[v]! : v);

function jaxCase(
  name: string,
  build: (...inputs: Nested[]) => Tracer,
  title: string,
  tol: { rtol?: number; atol?: number } = {},
): OpCase {
  const c = stored[name];
  if (!c) throw new Error(`no case "${name}" in ${file}: run scripts/jax/run_jax_gelu_cho_solve.py`);
  const inputs = c.inputs.map(decode);
  return {
    name: title,
    build: () => build(...inputs),
    expect: decode(c.expect),
    dtype: "float32",
    rtol: tol.rtol ?? 2e-6,
    atol: tol.atol ?? 1e-7,
  };
}

const arr = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const gradEach = (f: (x: Tracer) => Tracer) => grad((x: Tracer) => np.sum(f(x)));
const flat = (...xs: Tracer[]): Tracer => np.concatenate(xs.map((x) => np.ravel(x)));
// Solves lose about n·κ·2⁻²⁴ relative; these SPD matrices have κ < 10.
const SOLVE = { rtol: 2e-5, atol: 2e-6 };

// The tanh form's 1 + tanh(u) cancels for x < -4: each backend's tanh is within an ulp of -1 there,
// so the value is known to x·2⁻²⁴ (JAX's own gelu(-5) is 0; the true value is -2.3e-7), its
// derivative to about 2⁻¹⁸ (test and backend vs backend alike).
const TANH_TAIL = { atol: 1e-6 };
opCases("nn gelu", [
  jaxCase("gelu_tanh", (x) => nn.gelu(arr(x)), "gelu (default: tanh form) = JAX from -inf to inf", TANH_TAIL),
  jaxCase(
    "gelu_tanh",
    (x) => nn.gelu(arr(x), { approximate: true }),
    "gelu { approximate: true } = JAX's approximate=True",
    TANH_TAIL,
  ),
  // atol 1e-12: the left tail, gelu(-6) = -5.9e-9, is kept to 1e-3 relative or better.
  jaxCase(
    "gelu_exact",
    (x) => nn.gelu(arr(x), { approximate: false }),
    "gelu { approximate: false } = JAX's x·Φ(x), tail down to -5.9e-9 at -6",
    { rtol: 4e-6, atol: 1e-12 },
  ),
  jaxCase("grad_gelu_tanh", (x) => gradEach(nn.gelu)(arr(x)), "grad gelu (tanh form) = JAX", {
    rtol: 4e-6,
    atol: 4e-6,
  }),
  jaxCase(
    "grad_gelu_exact",
    (x) => gradEach((v) => nn.gelu(v, { approximate: false }))(arr(x)),
    "grad gelu { approximate: false } = JAX",
    { rtol: 4e-6 },
  ),
]);

opCases("np.linalg.cho_solve", [
  jaxCase(
    "cho_lower_vector",
    (c, b) => np.linalg.cho_solve([arr(c), true], arr(b)),
    "lower factor, b [4] = JAX",
    SOLVE,
  ),
  jaxCase(
    "cho_upper_vector",
    (c, b) => np.linalg.cho_solve([arr(c), false], arr(b)),
    "upper factor, b [4] = JAX",
    SOLVE,
  ),
  jaxCase(
    "cho_lower_matrix",
    (c, b) => np.linalg.cho_solve([arr(c), true], arr(b)),
    "lower factor, b [4, 2] = JAX",
    SOLVE,
  ),
  jaxCase(
    "cho_upper_matrix",
    (c, b) => np.linalg.cho_solve([arr(c), false], arr(b)),
    "upper factor, b [4, 2] = JAX",
    SOLVE,
  ),
  jaxCase(
    "cho_solve_a",
    (a, b) => np.linalg.cho_solve([np.linalg.cholesky(arr(a)), true], arr(b)),
    "cho_solve([cholesky(a), true], b) = JAX's solve(a, b)",
    SOLVE,
  ),
  jaxCase(
    "cho_batch_matrix",
    (c, b) => np.linalg.cho_solve([arr(c), true], arr(b)),
    "a batch of factors [2, 3, 3], b [2, 3, 2] = JAX",
    SOLVE,
  ),
  jaxCase(
    "cho_broadcast_b",
    (c, b) => np.linalg.cho_solve([arr(c), true], arr(b)),
    "one factor, b [3, 4, 2]: batch axes broadcast = JAX",
    SOLVE,
  ),
  ...(["lower", "upper"] as const).map((tag) =>
    jaxCase(
      `grad_cho_${tag}`,
      (c, b, w) => {
        const loss = (cc: Tracer, bb: Tracer) =>
          np.sum(np.multiply(np.linalg.cho_solve([cc, tag === "lower"], bb), arr(w)));
        const [gc, gb] = grad(loss, [0, 1])(arr(c), arr(b)) as Tracer[];
        return flat(gc!, gb!);
      },
      `grad of a weighted sum in c (0 in the unread triangle) and b, ${tag} factor = JAX`,
      SOLVE,
    ),
  ),
]);

test("nn.gelu and np.linalg.cho_solve: bad options and operands are errors naming the problem", async (t) => {
  const f = "geluChoSolve.test.ts";
  const c = np.eye(3);
  // Each thunk on one line; here() - 1 is that line (where the error must point).
  const f1 = () => nn.gelu(np.ones([2]), { approximate: "no" as unknown as boolean });
  const l1 = here() - 1;
  const f2 = () => nn.gelu(np.ones([2]), { approx: false } as never);
  const l2 = here() - 1;
  const f3 = () => np.linalg.cho_solve([c, 1 as unknown as boolean], np.ones([3]));
  const l3 = here() - 1;
  const f4 = () => np.linalg.cho_solve(c as never, np.ones([3]));
  const l4 = here() - 1;
  const f5 = () => np.linalg.cho_solve([c, true], np.ones([4]));
  const l5 = here() - 1;
  const f6 = () => np.linalg.cho_solve([np.ones([2, 3, 3]), true], np.ones([2, 3]));
  const l6 = here() - 1;
  await expectUserError(t, f1, f, l1, "gelu", "approximate must be true or false", '"no"');
  await expectUserError(t, f2, f, l2, "gelu", 'unknown option "approx"');
  await expectUserError(t, f3, f, l3, "cho_solve", "lower", "true or false", "got 1");
  await expectUserError(t, f4, f, l4, "cho_solve", "[c, lower]");
  await expectUserError(t, f5, f, l5, "cho_solve", "b must be [3]", "float32[4]");
  // JAX 0.10 deprecates reading b [2, 3] as a batch of vectors; we ask for b[..., None].
  await expectUserError(t, f6, f, l6, "cho_solve", "b[..., None]");
});
