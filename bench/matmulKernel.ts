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
  /** B shared by a run of this many lanes (one subgroup: wx = the run, wy = runs per
   *  workgroup), see sharedBMatmulWgsl. */
  readonly sharedB?: number;
}

export const blockName = (b: MatmulBlock) =>
  `${b.rows}×${4 * b.cols4} wg ${b.wx}×${b.wy}${b.sharedB ? ` shared B×${b.sharedB}` : ""}`;

export function matmulWgsl(b: MatmulBlock): string {
  if (b.sharedB) return sharedBMatmulWgsl(b, b.sharedB);
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

/** The same block with B shared by a run of `lanes` lanes, one subgroup: the lanes take `lanes`
 *  row blocks of the same columns, each loads its share of the run's B block (4 k-rows of
 *  cols4 vec4s per step) and subgroupBroadcast hands the block round. On lavapipe a lane's load
 *  is a scalar load per component, so lanes that each read the same B pay for it `lanes` times.
 *  Needs subgroups exactly `lanes` wide and 4·cols4 a multiple of `lanes`; rows past M clamp
 *  their loads and skip their stores (every lane must reach the broadcasts). */
function sharedBMatmulWgsl(b: MatmulBlock, lanes: number): string {
  const { rows, cols4 } = b;
  const per = (4 * cols4) / lanes;
  const comp = ["x", "y", "z", "w"];
  const L: string[] = ["enable subgroups;", "override M: u32;", "override N: u32;", "override K: u32;"];
  L.push(`@group(0) @binding(0) var<storage, read> A: array<vec4<f32>>;`);
  L.push(`@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;`);
  L.push(`@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;`);
  L.push(`@compute @workgroup_size(${lanes}, ${b.wy})`);
  L.push(`fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {`);
  L.push(`  let r0 = (wid.y * ${lanes}u + lid.x) * ${rows}u;`, `  let c4 = (wid.x * ${b.wy}u + lid.y) * ${cols4}u;`);
  L.push(`  let k4 = K / 4u;`, `  let n4 = N / 4u;`);
  for (let j = 0; j < per; j++) {
    const p = `${j * lanes}u + lid.x`;
    L.push(`  let bo${j} = (${p}) / ${cols4}u * n4 + c4 + (${p}) % ${cols4}u;`);
  }
  for (let r = 0; r < rows; r++) L.push(`  let ar${r} = min(r0 + ${r}u, M - 1u) * k4;`);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols4; c++) L.push(`  var acc${r}_${c} = vec4<f32>(0.0);`);
  L.push(`  for (var k = 0u; k < k4; k = k + 1u) {`);
  for (let j = 0; j < per; j++) L.push(`    let bl${j} = B[k * 4u * n4 + bo${j}];`);
  for (let p = 0; p < 4 * cols4; p++)
    L.push(
      `    let b${Math.floor(p / cols4)}_${p % cols4} = subgroupBroadcast(bl${Math.floor(p / lanes)}, ${p % lanes}u);`,
    );
  for (let r = 0; r < rows; r++) {
    L.push(`    let a${r} = A[ar${r} + k];`);
    for (let c = 0; c < cols4; c++)
      L.push(
        `    acc${r}_${c} = acc${r}_${c} + ${[0, 1, 2, 3].map((kk) => `a${r}.${comp[kk]} * b${kk}_${c}`).join(" + ")};`,
      );
  }
  L.push(`  }`);
  for (let r = 0; r < rows; r++) {
    L.push(`  if (r0 + ${r}u < M) {`);
    for (let c = 0; c < cols4; c++) L.push(`    C[(r0 + ${r}u) * n4 + c4 + ${c}u] = acc${r}_${c};`);
    L.push(`  }`);
  }
  L.push(`}`);
  return L.join("\n");
}

/** The shared-B blocks for subgroups `lanes` wide that fit an output `n` columns wide: 4×16 and
 *  2×32 in one-run workgroups, 4×16 in two-run ones (bench/dev/matmul_tiles.ts), where the run's
 *  B block divides among the lanes (rows may be ragged, columns may not). */
export function sharedBBlocks(lanes: number, n: number): MatmulBlock[] {
  return [
    { rows: 4, cols4: 4, wy: 1 },
    { rows: 2, cols4: 8, wy: 1 },
    { rows: 4, cols4: 4, wy: 2 },
  ]
    .map((b) => ({ ...b, wx: lanes, sharedB: lanes }))
    .filter((b) => (4 * b.cols4) % lanes === 0 && n % (4 * b.cols4 * b.wy) === 0);
}

/** Workgroups for an M×N output. */
export function matmulGrid(b: MatmulBlock, m: number, n: number): [number, number, number] {
  if (b.sharedB) return [Math.ceil(n / (4 * b.cols4) / b.wy), Math.ceil(m / b.rows / b.sharedB), 1];
  return [Math.ceil(n / (4 * b.cols4) / b.wx), Math.ceil(m / b.rows / b.wy), 1];
}
