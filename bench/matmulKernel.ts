// Register-blocked matmul C = A @ B (row-major M×K @ K×N) written out for one block shape: each
// invocation computes `rows` × (4·`cols4`) outputs in vec4 accumulators, reading A four k at a
// time and B four columns at a time, both as vec4. No workgroup memory: on a CPU-backed adapter
// (lavapipe) the caches serve the reuse and barriers cost more than they save. Shapes: K a
// multiple of 4, N of 4·cols4, M of rows (the bench uses only such shapes).

export interface MatmulBlock {
  readonly rows: number;
  readonly cols4: number;
  readonly wx: number;
  readonly wy: number;
}

export const blockName = (b: MatmulBlock) => `${b.rows}×${4 * b.cols4} wg ${b.wx}×${b.wy}`;

export function matmulWgsl(b: MatmulBlock): string {
  const { rows, cols4 } = b;
  const R = [...Array(rows).keys()],
    Cs = [...Array(cols4).keys()],
    Ks = [0, 1, 2, 3];
  const comp = ["x", "y", "z", "w"];
  const lines: string[] = [];
  lines.push(`override M: u32;`, `override N: u32;`, `override K: u32;`);
  lines.push(`@group(0) @binding(0) var<storage, read> A: array<vec4<f32>>;`);
  lines.push(`@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;`);
  lines.push(`@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;`);
  lines.push(`@compute @workgroup_size(${b.wx}, ${b.wy})`);
  lines.push(`fn main(@builtin(global_invocation_id) gid: vec3<u32>) {`);
  lines.push(`  let c4 = gid.x * ${cols4}u;`, `  let r0 = gid.y * ${rows}u;`);
  lines.push(`  if (c4 * 4u >= N || r0 >= M) { return; }`);
  lines.push(`  let k4 = K / 4u;`, `  let n4 = N / 4u;`);
  for (const r of R) for (const c of Cs) lines.push(`  var acc${r}_${c} = vec4<f32>(0.0);`);
  lines.push(`  for (var k = 0u; k < k4; k = k + 1u) {`);
  for (const r of R) lines.push(`    let a${r} = A[(r0 + ${r}u) * k4 + k];`);
  for (const kk of Ks) {
    for (const c of Cs) lines.push(`    let b${kk}_${c} = B[(k * 4u + ${kk}u) * n4 + c4 + ${c}u];`);
  }
  for (const r of R)
    for (const c of Cs)
      lines.push(`    acc${r}_${c} = acc${r}_${c} + ${Ks.map((kk) => `a${r}.${comp[kk]} * b${kk}_${c}`).join(" + ")};`);
  lines.push(`  }`);
  for (const r of R) for (const c of Cs) lines.push(`  C[(r0 + ${r}u) * n4 + c4 + ${c}u] = acc${r}_${c};`);
  lines.push(`}`);
  return lines.join("\n");
}

/** Workgroups for an M×N output. */
export function matmulGrid(b: MatmulBlock, m: number, n: number): [number, number, number] {
  return [Math.ceil(n / (4 * b.cols4) / b.wx), Math.ceil(m / b.rows / b.wy), 1];
}
