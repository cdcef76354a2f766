// scipy.special.sph_harm_y against JAX (scripts/jax/run_jax_sph_harm.py wrote
// test/fixtures/jax/sph_harm.json): every (n, m) with n ≤ 4, |m| ≤ n at colatitudes over [0, π]
// (both poles) and longitudes over [0, 2π]; scalar angles; n_max below max(n) (clipped); a 2-D φ
// broadcast; θ shorter than n (its last value reused); a scalar m; n < 0 and |m| > n (JAX's
// "undefined" values, as its clipped indexing gives them); and n traced under jit with n_max
// given; the gradient of a real loss in θ and φ. The real and the imaginary part are each a case, on the CPU reference, on WebGPU and under
// jit on WebGPU (harness.ts opCases). Then bad input, refused by name.
//
// Tolerance: |Y| ≤ 0.75 here and the recurrence is at most 4 float32 steps; e^{i|m|φ} takes
// float32 cos/sin of |m|φ up to 8π, where WebGPU's sin/cos may differ from XLA's by a few ulp of
// the argument. Measured: 1.5e-7 on the CPU reference, 4.2e-7 on WebGPU (eager and jit); atol 2e-6.
import { test } from "node:test";
import { grad, jit, scipy } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxParts } = fixtureCases("sph_harm");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
const tol = { rtol: 1e-5, atol: 2e-6 };
const Y = scipy.special.sph_harm_y;

/** Both parts of one stored case; n and m are passed as JS whole numbers, as a user would. */
const parts = (id: string, title: string, nMax?: number): OpCase[] =>
  (["re", "im"] as const).map((p) =>
    jaxOpCase(
      `${id}_${p}`,
      (n, m, th, ph) => {
        const z = Y(n as number[], m as number[], f(th), f(ph), nMax === undefined ? {} : { n_max: nMax });
        return p === "re" ? z.real : z.imag;
      },
      { ...tol, title: `${title} (${p === "re" ? "real" : "imaginary"} part)` },
    ),
  );

const cases: OpCase[] = [
  ...parts("grid", "every n ≤ 4, |m| ≤ n, θ over [0, π] with both poles, φ over [0, 2π]"),
  ...parts("scalar_angles", "scalar θ and φ"),
  ...parts("n_max_clips", "n_max = 2 below max(n) = 4 clips n and |m| to 2", 2),
  ...parts("phi_2d", "φ of shape [3, 1] broadcasts to [3, 5]"),
  ...parts("theta_short", "θ of length 2 for 5 degrees: the last θ is reused"),
  ...parts("m_scalar", "a scalar m = 0"),
  ...parts("undefined_range", "n = −1 (taken as n_max) and |m| > n, with n_max = 3", 3),
  ...(["re", "im"] as const).map((p) =>
    jaxOpCase(
      `grid_${p}`,
      (n, m, th, ph) => {
        const fn = jit((nn: Tracer) => {
          const z = Y(nn, i(m), f(th), f(ph), { n_max: 4 });
          return p === "re" ? z.real : z.imag;
        });
        return fn(i(n)) as Tracer;
      },
      {
        ...tol,
        title: `the grid with n traced under jit and n_max: 4 given (${p === "re" ? "real" : "imaginary"} part)`,
      },
    ),
  ),
];
const gradCases = jaxParts("grad", 2, (n, m, th, ph) => {
  const z = (t: Tracer, p: Tracer) => Y(n as number[], m as number[], t, p);
  const loss = (t: Tracer, p: Tracer): Tracer => np.sum(np.add(z(t, p).real, np.multiply(2, z(t, p).imag)));
  return grad(loss, [0, 1])(f(th), f(ph)) as Tracer[];
}).map((c, k) => ({
  ...c,
  ...tol,
  name: `grad of Σ(Re Y + 2 Im Y) in ${k === 0 ? "theta" : "phi"}, away from the poles`,
}));
opCases("scipy.special.sph_harm_y", [...cases, ...gradCases]);

test("scipy.special.sph_harm_y refuses, by name: n_max unknown under jit, diff_n, float or 2-D n, float m, bad n_max, 2-D theta, an unknown option", () => {
  onBackend("cpu", () => {
    const [n, m] = [
      [0, 1, 2],
      [0, -1, 2],
    ];
    refuses(
      () => jit((nn: Tracer) => Y(nn, m, 0.5, 0.3).real)(i(n)),
      /sph_harm_y: the n_max argument must be statically specified/,
    );
    refuses(() => Y(n, m, 0.5, 0.3, { diff_n: 0 }), /sph_harm_y: the diff_n argument is not supported/);
    refuses(() => Y([0.5, 1], m.slice(0, 2), 0.5, 0.3), /sph_harm_y: n must be integers .* got float32/);
    refuses(() => Y(n, [0, 0.5, 1], 0.5, 0.3), /sph_harm_y: m must be integers .* got float32/);
    refuses(() => Y(2, 1, 0.5, 0.3), /sph_harm_y: n must be a 1-D array of degrees, got shape \[\]/);
    refuses(() => Y([[1, 2]], 1, 0.5, 0.3), /sph_harm_y: n must be a 1-D array of degrees, got shape \[1,2\]/);
    refuses(() => Y(n, m, 0.5, 0.3, { n_max: -1 }), /sph_harm_y: n_max must be a whole JS number ≥ 0 .* got -1/);
    refuses(() => Y(n, m, 0.5, 0.3, { n_max: 2.5 }), /got 2\.5/);
    refuses(
      () => Y(n, m, f([[0.5, 0.6]]), 0.3),
      /sph_harm_y: theta must be a scalar or a non-empty 1-D array, got shape \[1,2\]/,
    );
    refuses(() => Y(n, m, 0.5, 0.3, { nmax: 2 } as never), /unknown option/);
  });
});
