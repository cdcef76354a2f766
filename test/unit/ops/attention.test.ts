// nn.dot_product_attention against JAX (scripts/jax/run_jax_attention.py wrote
// test/fixtures/jax/attention.json): plain, causal, grouped-query heads with a mask and a bias,
// no batch axis with a scale, query and key/value sequence lengths, a local window with the
// logsumexp residual, and a fully masked query row; outputs and the gradients of sum(out · w) in
// query, key, value (and bias), on the CPU backend and on WebGPU, eagerly and under jit.
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { grad, jit, nn, np } from "../../../runtime/src/index.js";
import type { DotProductAttentionOptions } from "../../../runtime/src/nnAttention.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested, refuses } from "./harness.js";

interface Case {
  inputs: { q: Nested; k: Nested; v: Nested; bias: Nested | null; mask: Nested | null };
  opts: Record<string, unknown>;
  out: Nested;
  residual?: Nested;
  grads?: Nested[];
}
const fixture = JSON.parse(readFileSync(new URL("../../fixtures/jax/attention.json", import.meta.url), "utf8")) as {
  jax: string;
  cases: Record<string, Case>;
};

const f32 = (v: Nested) => np.array(v as never, { dtype: "float32" });
function optionsOf(c: Case): DotProductAttentionOptions {
  const o: DotProductAttentionOptions = {};
  const { scale, is_causal, local_window_size, return_residual, query_seq_lengths, key_value_seq_lengths } = c.opts;
  if (scale !== undefined) o.scale = scale as number;
  if (is_causal !== undefined) o.is_causal = is_causal as boolean;
  if (local_window_size !== undefined) o.local_window_size = local_window_size as [number, number];
  if (return_residual !== undefined) o.return_residual = return_residual as boolean;
  if (query_seq_lengths) o.query_seq_lengths = np.array(query_seq_lengths as number[], { dtype: "int32" });
  if (key_value_seq_lengths) o.key_value_seq_lengths = np.array(key_value_seq_lengths as number[], { dtype: "int32" });
  return o;
}

for (const backend of ["cpu", "webgpu"] as const) {
  for (const mode of ["eager", "jit"] as const) {
    test(`on ${backend} ${mode}, dot_product_attention's outputs, residual and gradients match JAX ${fixture.jax} in every case`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      for (const [name, c] of Object.entries(fixture.cases)) {
        const results = onBackend(backend, () => {
          const { q, k, v, bias, mask } = c.inputs;
          const opts = optionsOf(c);
          const m = mask === null ? null : np.array(mask as never, { dtype: "bool" });
          const attend = (qq: Tracer, kk: Tracer, vv: Tracer, bb: Tracer | null) =>
            nn.dot_product_attention(qq, kk, vv, bb, m, opts);
          const args = [f32(q), f32(k), f32(v), bias === null ? null : f32(bias)] as const;
          const run = mode === "jit" ? jit(attend) : attend;
          const out = run(...args) as Tracer | [Tracer, Tracer];
          if (!c.grads) return { out };
          const w = (shape: readonly number[]) =>
            np.reshape(np.cos(np.arange(shape.reduce((a, b) => a * b, 1))), shape as number[]);
          const loss = (qq: Tracer, kk: Tracer, vv: Tracer, bb: Tracer | null) => {
            const o = attend(qq, kk, vv, bb) as Tracer;
            return np.sum(np.multiply(o, w(o.shape)));
          };
          const argnums = bias === null ? [0, 1, 2] : [0, 1, 2, 3];
          const g = grad(loss, argnums);
          const grads = (mode === "jit" ? jit(g) : g)(...args) as Tracer[];
          return { out, grads };
        });
        const [out, residual] = Array.isArray(results.out) ? results.out : [results.out, null];
        assertClose(await out.toArray(), c.out, "float32", 1e-4, 1e-5, `${name} output`);
        if (c.residual) assertClose(await residual!.toArray(), c.residual, "float32", 1e-4, 1e-5, `${name} residual`);
        for (const [i, want] of (c.grads ?? []).entries())
          assertClose(await results.grads![i]!.toArray(), want, "float32", 1e-4, 1e-5, `${name} gradient ${i}`);
      }
    });
  }
}

test("with bias and mask among the options (dot_product_attention(q, k, v, { bias, mask, ... })), every case matches JAX on the CPU", async () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    const out = onBackend("cpu", () => {
      const { q, k, v, bias, mask } = c.inputs;
      return nn.dot_product_attention(f32(q), f32(k), f32(v), {
        ...optionsOf(c),
        bias: bias === null ? null : f32(bias),
        mask: mask === null ? null : np.array(mask as never, { dtype: "bool" }),
      }) as Tracer | [Tracer, Tracer];
    });
    const [o, residual] = Array.isArray(out) ? out : [out, null];
    assertClose(await o.toArray(), c.out, "float32", 1e-4, 1e-5, `${name} output`);
    if (c.residual) assertClose(await residual!.toArray(), c.residual, "float32", 1e-4, 1e-5, `${name} residual`);
  }
  const x = np.zeros([1, 2, 1, 4]);
  refuses(
    () => nn.dot_product_attention(x, x, x, { is_causal: true } as never, null, { scale: 1 }),
    /options given twice; pass either \(q, k, v, \{ bias, mask, \.\.\. \}\) or \(q, k, v, bias, mask, \{ \.\.\. \}\)/,
  );
});

test("dot_product_attention refuses shapes that do not fit, query heads not a multiple of key heads, a float mask, bad sequence lengths and an unknown implementation, naming the problem", () => {
  const q = np.zeros([1, 3, 4, 8]);
  const kv = np.zeros([1, 5, 3, 8]);
  refuses(
    () => nn.dot_product_attention(q, kv, kv),
    /query heads \(4\) must be a multiple of the key\/value heads \(3\)/,
  );
  refuses(
    () => nn.dot_product_attention(q, np.zeros([1, 5, 4, 8]), np.zeros([1, 5, 4, 6])),
    /value of shape \[1,5,4,6\] does not fit \[1,5,4,8\]/,
  );
  const k4 = np.zeros([1, 5, 4, 8]);
  refuses(() => nn.dot_product_attention(q, k4, k4, null, np.zeros([1, 1, 3, 5])), /mask must be bool, got float32/);
  refuses(
    () =>
      nn.dot_product_attention(q, k4, k4, null, null, { key_value_seq_lengths: np.array([2, 3], { dtype: "int32" }) }),
    /key_value_seq_lengths must be int32 \[1\], got int32\[2\]/,
  );
  refuses(
    () => nn.dot_product_attention(q, k4, k4, null, null, { implementation: "cudnn" as never }),
    /implementation "cudnn" is not available/,
  );
});
