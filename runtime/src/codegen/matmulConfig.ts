// The knobs of the matmul code generator: how many outputs each invocation computes (a tm×tn
// block held in registers), the workgroup's shape, and whether global loads are vec4 where the
// operands' layout allows. The autotuner (runtime/src/codegen/tune/) searches over these; without a
// tuned choice the kernel uses `defaultMatmulConfig`, which is what the untuned compiler emits.

import { isHardwareAdapter, RUN_LANES, sharedRunsAvailable } from "./subgroupSupport.js";

export interface MatmulConfig {
  /** Output rows per invocation. */
  readonly tm: 1 | 2 | 4 | 8;
  /** Output columns per invocation (a multiple of 4: one vec4 accumulator per 4 columns; 16
   *  and 32 only with `sharedB`). */
  readonly tn: 4 | 8 | 16 | 32;
  /** Workgroup size in x (columns) and y (rows); with `sharedB`, x is the run of 8 lanes. */
  readonly wgx: number;
  readonly wgy: number;
  /** 4: vec4 loads where the layout allows (K, and N or M, multiples of 4); 1: scalar loads. */
  readonly vec: 1 | 4;
  /** Each run of 8 lanes (a subgroup, on a CPU adapter one SIMD batch) takes 8 row blocks of the
   *  same columns: the lanes read their B block once between them and hand it round with
   *  subgroupBroadcast (lowerMatmul.ts). Only where every subgroup is exactly 8 lanes. */
  readonly sharedB?: true;
}

/** The matmul's shape class, as the tuner keys it: dtype, batch, sizes and operand layouts. */
export interface MatmulShape {
  readonly dtype: string;
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** The operand is the transpose of a kernel input, read in place. */
  readonly aTransposed: boolean;
  readonly bTransposed: boolean;
}

/** On a CPU adapter, or with none attached (a GPU takes hardwareDefault, below). Where runs of 8
 *  lanes can share B (lavapipe), a shared-B block per lane, one run per workgroup (on lavapipe a
 *  lane's load of memory is a scalar load per component, so 8 lanes reading the same B block paid
 *  for it 8 times): 2×32, 4×16 or 4×8, whichever pads the output least, weighed by how fast each
 *  block runs (sharedBlock). Measured with bench/dev/matmul_tiles.ts (5–7 rounds): 1024² 2.0–3.6×
 *  the best hand kernel of the bench then, the MLP's x@w, xᵀ@g and g@wᵀ 2.7–3.0×; between shared
 *  blocks (9 rounds), 2×32 ran 1.06× faster than 4×16 at 1024², 1.10× at 512², level on x@w and
 *  g@wᵀ, and the autotuner picked it in two bench runs. Small outputs take a shared block too,
 *  however few workgroups that leaves: on lavapipe a workgroup is one core's task, and a run of 8
 *  lanes is a smaller workgroup than the unshared 8×8 (`--shapes small,wgrad,narrow`, 5–7 rounds):
 *  64×64@64×64 0.06 ms against 0.14–0.17 for the unshared 4×4, a GRU step's 48×32@32×96 0.03
 *  against 0.06, x@w 64×1024@1024×64 0.56 against 1.71, NeRF's weight gradient xᵀ@g
 *  48×4096@4096×48 1.38 against 3.44, and its 4096×48@48×4 4×8 0.14 against 2×32's 0.29.
 *  Without shared runs: 4×8 per invocation in 8×8 workgroups, with each A row
 *  loaded beside its updates (lowerMatmul.ts), led at 1024² and 512² and on the MLP's x@w
 *  (1.06–1.08× the best hand kernel, 8×4 0.88–0.92×) and xᵀ@g (1.01–1.02× against 0.90–0.91×);
 *  where B is read transposed (g@wᵀ) 8×4 led (1.00× against 0.96×). Smaller outputs get
 *  smaller blocks so the device still has enough invocations for its cores. */
export function defaultMatmulConfig(s: MatmulShape, allowShared = true): MatmulConfig {
  if (isHardwareAdapter()) return hardwareDefault(s);
  const shared = allowShared && sharedBApplies(s) ? sharedBlock(s) : null;
  if (shared) return shared;
  const blocks = (tm: number, tn: number) => s.batch * Math.ceil(s.m / tm) * Math.ceil(s.n / tn);
  if (blocks(4, 8) >= 512 && !s.bTransposed) return fitted(s, 4, 8);
  if (blocks(8, 4) >= 512) return fitted(s, 8, 4);
  // A transposed operand loads four rows at a time: blocks of fewer rows would read it scalar.
  if (blocks(4, 4) >= 256 || s.aTransposed) return fitted(s, 4, 4);
  return fitted(s, 2, 4);
}

/** A tm×tn block in an 8×8 workgroup, narrowed to the output's blocks where it has fewer than 8
 *  across (or down), with the rows taking the lanes the columns leave: attention's batched
 *  p@v [64×] 31×31@31×8 has one column block, so an 8×8 workgroup left 56 of its 64 lanes idle
 *  in each of 64 workgroups. */
function fitted(s: MatmulShape, tm: MatmulConfig["tm"], tn: MatmulConfig["tn"]): MatmulConfig {
  const pow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));
  const wgx = Math.min(8, pow2(Math.ceil(s.n / tn)));
  const wgy = Math.min(64 / wgx, pow2(Math.ceil(s.m / tm)));
  return { tm, tn, wgx, wgy, vec: 4 };
}

/** The shared-B blocks a default may take, with how fast each computes a padded output relative
 *  to 2×32 (matmul_tiles.ts: 4×16 level to 0.94×, 4×8 0.7–0.9× on outputs both fill). NeRF's
 *  4096×48@48×48, where 2×32 pads 48 columns to 64, ran 1.51 ms in 4×16 against 1.98. A
 *  transposed A is read four rows at a time, so it skips 2×32. */
const SHARED_BLOCKS: readonly { tm: 2 | 4; tn: 8 | 16 | 32; speed: number }[] = [
  { tm: 2, tn: 32, speed: 1 },
  { tm: 4, tn: 16, speed: 0.97 },
  { tm: 4, tn: 8, speed: 0.75 },
];

/** The shared-B block with the least padded output per unit of speed: a run covers 8·tm rows
 *  and tn columns, so 48 columns waste a third of 2×32's and none of 4×16's, and 4 columns
 *  waste seven eighths of 2×32's. Ties go to the earlier (faster) block. None where fewer than
 *  half a run's lanes would have rows: a decode step's 1×512@512×2048 ran 1.66 ms in 2×32 against
 *  1.02 unshared, 4×256@256×1024 level, 8×512@512×2048 2.29 against 3.68 (matmul_tiles.ts). */
function sharedBlock(s: MatmulShape): MatmulConfig | null {
  let best: MatmulConfig | null = null;
  let bestCost = Infinity;
  for (const { tm, tn, speed } of SHARED_BLOCKS) {
    if ((s.aTransposed && tm < 4) || Math.ceil(s.m / tm) < RUN_LANES / 2) continue;
    const rows = Math.ceil(s.m / (RUN_LANES * tm)) * RUN_LANES * tm;
    const cost = (rows * Math.ceil(s.n / tn) * tn) / speed;
    if (cost < bestCost) [best, bestCost] = [{ tm, tn, wgx: RUN_LANES, wgy: 1, vec: 4, sharedB: true }, cost];
  }
  return best;
}

/** Whether a shape can take a `sharedB` configuration: runs of exactly 8 lanes, and the vec4
 *  path (float32, K a multiple of 4, N too unless B is read transposed; lowerMatmul.ts also
 *  needs both operands to be kernel inputs, and falls back where they are not). */
export function sharedBApplies(s: MatmulShape): boolean {
  return sharedRunsAvailable() && s.dtype === "float32" && s.k % 4 === 0 && (s.bTransposed || s.n % 4 === 0);
}

/** On a GPU, occupancy decides: a 1024² output in 4×8 blocks is 32,768 invocations, a fraction
 *  of what an H200's 132 multiprocessors keep in flight, and the 2×4 block's four times as many
 *  ran faster at every size measured there (bench/dev/matmul_tiles.ts, 9 rounds, NVIDIA H200
 *  over Vulkan): 1024² 14.9 TFLOP/s against 10.2 for 4×8 (1.03× and 0.70× the best hand
 *  kernel), 512² 1.33× against 0.74×, the MLP's x@w 1.47× against 0.72× and g@wᵀ 1.28× against
 *  0.85×. A transposed A is read four rows at a time, so it takes 4×4 (xᵀ@g: 1.06× against
 *  0.99× for 8×4). The autotuner still searches the rest per shape. */
function hardwareDefault(s: MatmulShape): MatmulConfig {
  return s.aTransposed ? { tm: 4, tn: 4, wgx: 8, wgy: 8, vec: 4 } : { tm: 2, tn: 4, wgx: 8, wgy: 8, vec: 4 };
}

/** Reuse from which a matmul copies a transposed operand (a transpose kernel) rather than
 *  reading it in place: each element of Aᵀ serves N outputs, each of Bᵀ serves M, and the copy
 *  costs one read and write per element. At the MLP's sizes (reuse 128 or 256) the in-place read
 *  wins; at 1024² the copy does, for Aᵀ and Bᵀ alike. */
export const COPY_TRANSPOSED_FROM_REUSE = 512;

/** Whether a matmul reads its operand `side`, the transpose (last two axes swapped) of a value
 *  in memory, in place rather than after a transpose kernel copies it. `s` is the shape as the
 *  matmul sees it (m×k @ k×n); `bInPlace` (for side "a"): B is itself a transpose read in place.
 *  In place only where the vec4 path reads it (float32, K a multiple of 4; for Aᵀ, M too, and N
 *  unless B is read transposed): a scalar in-place read lost to the copy (0.74×); and only below
 *  COPY_TRANSPOSED_FROM_REUSE. Measured on lavapipe, interleaved in one process
 *  (bench/dev/matmul_transposed_ab.ts, CPU-time medians against the best hand kernel on operands
 *  already transposed), in place vs copied: xᵀ@dh [784,128]@[128,256] 0.94× vs 0.81×; dh@w1ᵀ
 *  [128,256]@[256,784] 0.93× vs 0.67×; 1024² x@wᵀ 0.76× vs 0.89×; 1024² xᵀ@w 0.79× vs 0.92×.
 *  Where runs of 8 lanes share B on a CPU adapter, in place at any reuse: the same script, 7 rounds, wall-clock
 *  medians against the best hand kernel (a shared-B one), in place vs copied: 1024² x@wᵀ 0.98×
 *  vs 0.90×, 1024² xᵀ@w 1.15× vs 0.91×. JITSCOPE_MATMUL_TRANSPOSED=copy|in-place (config matmulTransposed) overrides the choice. */
export function transposedOperandInPlace(
  s: Pick<MatmulShape, "dtype" | "m" | "k" | "n">,
  side: "a" | "b",
  bInPlace: boolean,
  mode: "auto" | "copy" | "in-place" = "auto",
): boolean {
  if (mode === "copy") return false;
  if (s.dtype !== "float32" || s.k % 4 !== 0) return false;
  const vec4 = side === "b" || (s.m % 4 === 0 && (bInPlace || s.n % 4 === 0));
  const reuse = side === "a" ? s.n : s.m;
  const sharedOnCpu = sharedRunsAvailable() && !isHardwareAdapter(); // the only place measured
  return vec4 && (mode === "in-place" || reuse < COPY_TRANSPOSED_FROM_REUSE || sharedOnCpu);
}

/** "8×8 vec4 wg8×8": what the report and the panel call a configuration. */
export function describeMatmulConfig(c: MatmulConfig): string {
  return `${c.tm}×${c.tn}${c.vec === 4 ? " vec4" : " scalar"} wg${c.wgx}×${c.wgy}${c.sharedB ? " shared B" : ""}`;
}

/** The inverse of describeMatmulConfig (a cached entry names its winner this way); null when
 *  the text is not a configuration this generator can emit. */
export function parseMatmulConfig(text: string): MatmulConfig | null {
  const m = /^(\d+)×(\d+) (vec4|scalar) wg(\d+)×(\d+)( shared B)?$/.exec(text);
  if (!m) return null;
  const [tm, tn, wgx, wgy] = [m[1], m[2], m[4], m[5]].map(Number) as [number, number, number, number];
  const c = { tm, tn, wgx, wgy, vec: m[3] === "vec4" ? 4 : 1, ...(m[6] ? { sharedB: true } : {}) } as MatmulConfig;
  return isValidMatmulConfig(c) ? c : null;
}

export function isValidMatmulConfig(c: MatmulConfig): boolean {
  return (
    [1, 2, 4, 8].includes(c.tm) &&
    (c.sharedB ? [8, 16, 32].includes(c.tn) && c.vec === 4 && c.wgx === RUN_LANES : [4, 8].includes(c.tn)) &&
    [1, 4].includes(c.vec) &&
    Number.isInteger(c.wgx) &&
    Number.isInteger(c.wgy) &&
    c.wgx >= 1 &&
    c.wgy >= 1 &&
    c.wgx * c.wgy <= 256
  );
}

/** The search space for one shape, default first, then the rest in the order worth trying
 *  (shared-B blocks where they apply: on lavapipe they won at every shape measured; then bigger
 *  register blocks first: they win on CPU-backed and discrete adapters alike). */
export function matmulCandidates(s: MatmulShape): MatmulConfig[] {
  const out: MatmulConfig[] = [defaultMatmulConfig(s)];
  if (sharedBApplies(s)) {
    const shared: [MatmulConfig["tm"], MatmulConfig["tn"]][] = [
      [4, 16],
      [2, 32],
      [4, 8],
    ];
    for (const [tm, tn] of shared) {
      if (s.aTransposed && tm < 4) continue; // would fall back: a transposed A is read 4 rows at a time
      for (const wgy of [1, 2, 8]) {
        if (wgy * tn > 2 * Math.max(8, s.n) || RUN_LANES * tm > 2 * Math.max(4, s.m)) continue;
        out.push({ tm, tn, wgx: RUN_LANES, wgy, vec: 4, sharedB: true });
      }
    }
  }
  const blocks: [MatmulConfig["tm"], MatmulConfig["tn"]][] = [
    [8, 8],
    [4, 8],
    [8, 4],
    [4, 4],
    [2, 4],
  ];
  const groups: [number, number][] = [
    [8, 8],
    [16, 4],
  ];
  for (const [tm, tn] of blocks) {
    for (const [wgx, wgy] of groups) {
      // A workgroup much larger than the output only adds idle invocations.
      if (wgx * tn > 2 * Math.max(4, s.n) || wgy * tm > 2 * Math.max(4, s.m)) continue;
      if (s.aTransposed && tm < 4) continue; // would read the transposed operand scalar
      out.push({ tm, tn, wgx, wgy, vec: 4 });
    }
    // The block in a workgroup narrowed to the output (where it is narrower than 8 blocks).
    if (!(s.aTransposed && tm < 4)) out.push(fitted(s, tm, tn));
  }
  out.push({ ...defaultMatmulConfig(s, false), vec: 1 });
  const seen = new Set<string>();
  return out.filter((c) => {
    const key = describeMatmulConfig(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The autotuner's key for a matmul's shape class: what a search's result depends on (dtype,
 *  batch, sizes, operand layouts) and nothing it does not (the epilogue, names, ids), so every
 *  kernel of that shape on one adapter shares one search. */
export function matmulTuneKey(s: MatmulShape): string {
  return `matmul ${s.dtype} [${s.batch}×] ${s.m}×${s.k}@${s.k}×${s.n} ${s.aTransposed ? "Aᵀ" : "A"}·${s.bTransposed ? "Bᵀ" : "B"}`;
}
