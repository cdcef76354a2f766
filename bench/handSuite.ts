// The hand kernels the bench times, each in a few variants (the best of them, by median in the
// same run, is the baseline): elementwise kernels over vec4s with 64- or 256-wide workgroups and
// 1, 4 or 16 vec4s per invocation; register-blocked matmuls of 4×4 to 8×8 outputs per
// invocation; row softmax and layer norm with a workgroup per row.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { handKernel, storageBuffer, type HandKernel } from "./handKernels.js";
import { blockName, matmulGrid, matmulWgsl, type MatmulBlock } from "./matmulKernel.js";

/** [workgroup size, vec4s per invocation, neighbouring vec4s per invocation]. */
const EW_VARIANTS: readonly (readonly [number, number, boolean])[] = [
  [256, 1, false],
  [64, 4, false],
  [64, 4, true],
  [64, 16, false],
];

/** One variant of an elementwise kernel (scale_copy.wgsl or chain_vec4.wgsl) per EW_VARIANTS row. */
export function elementwiseVariants(device: GPUDevice, file: string, input: GPUBuffer, n: number): HandKernel[] {
  return EW_VARIANTS.map(([wg, per, blocked]) =>
    handKernel(
      device,
      file,
      [input],
      n * 4,
      [Math.ceil(n / 4 / wg / per), 1, 1],
      { WG: wg, PER: per, BLOCKED: blocked ? 1 : 0 },
      `${file.replace(".wgsl", "")} wg${wg}×${per}${blocked ? "b" : ""}`,
    ),
  );
}

const MATMUL_BLOCKS: readonly MatmulBlock[] = [
  { rows: 4, cols4: 1, wx: 8, wy: 8 },
  { rows: 4, cols4: 2, wx: 8, wy: 8 },
  { rows: 8, cols4: 1, wx: 8, wy: 8 },
  { rows: 8, cols4: 2, wx: 8, wy: 8 },
];

/** The 8×8 kernel of bench/dev (accumulators in an array, rows in a loop): one more variant. */
const DEV_8X8 = join(dirname(fileURLToPath(import.meta.url)), "dev", "matmul_hand_8x8.wgsl");

/** C = A @ B for row-major A [m,k] and B [k,n], one kernel per block shape that fits. */
export function matmulVariants(
  device: GPUDevice,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): HandKernel[] {
  const [ab, bb] = [storageBuffer(device, a), storageBuffer(device, b)];
  const blocks = MATMUL_BLOCKS.filter((bl) => m % bl.rows === 0 && n % (4 * bl.cols4) === 0 && k % 4 === 0);
  const kernels = blocks.map((bl) =>
    handKernel(
      device,
      matmulWgsl(bl),
      [ab, bb],
      m * n * 4,
      matmulGrid(bl, m, n),
      { M: m, N: n, K: k },
      `matmul ${blockName(bl)}`,
    ),
  );
  if (m % 8 === 0 && n % 8 === 0 && k % 4 === 0)
    kernels.push(
      handKernel(
        device,
        readFileSync(DEV_8X8, "utf8"),
        [ab, bb],
        m * n * 4,
        [Math.ceil(n / 8 / 8), Math.ceil(m / 8 / 8), 1],
        { M: m, N: n, K: k },
        "matmul 8×8 loop (bench/dev)",
      ),
    );
  return kernels;
}

/** softmax_rows.wgsl or layernorm_rows.wgsl on an r×c matrix, with 64- and 256-wide workgroups. */
export function rowVariants(device: GPUDevice, file: string, input: GPUBuffer, r: number, c: number): HandKernel[] {
  return [64, 256]
    .filter((wg) => c % (4 * wg) === 0 && c / 4 / wg <= 16)
    .map((wg) =>
      handKernel(device, file, [input], r * c * 4, [r, 1, 1], { WG: wg, C: c }, `${file.replace(".wgsl", "")} wg${wg}`),
    );
}

/** Row-major transpose on the host (hand kernels get their operands in the layout they read best). */
export function transposed(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
  return out;
}
