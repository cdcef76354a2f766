// Moves the T rows of a stacked array between its packed layout (row t at t × R words, as the
// program holds it) and a padded one (row t at t × S words, S ≥ R), in one dispatch. A scan binds
// row t of a stacked xs / ys at a dynamic offset, which WebGPU wants aligned to the adapter's
// minStorageBufferOffsetAlignment; a row whose size is not a multiple of it is read from / written
// to a padded stack instead, moved once per run here rather than copied once per iteration.

import { gridFor, threadIndex } from "../codegen/module.js";

const WORKGROUP = 64;

/** pad: packed → padded; unpad: padded → packed; merge: the rows of one padded stack whose
 *  iteration (row t, or T-1-t reversed) is odd into another of the same stride (a carry kept in
 *  two stacks used in turn, webgpuLoop.ts). */
export type RestrideDirection = "pad" | "unpad" | "mergeOdd" | "mergeOddReversed";

export interface RowRestride {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly dispatch: [number, number, number];
}

/** WGSL of the move of `rows` rows of `rowWords` 4-byte words, padded stride `strideWords`. */
export function restrideWgsl(dir: RestrideDirection, rows: number, rowWords: number, strideWords: number): string {
  const n = rows * rowWords;
  const grid = gridFor(Math.ceil(n / WORKGROUP));
  const padded = `(i / ${rowWords}u) * ${strideWords}u + i % ${rowWords}u`;
  // Iteration parity of row t: t forwards, T-1-t reversed (same parity as t + T - 1).
  const odd = `((i / ${rowWords}u + ${dir === "mergeOddReversed" ? rows - 1 : 0}u) & 1u) == 1u`;
  const move =
    dir === "pad"
      ? `dst[${padded}] = src[i];`
      : dir === "unpad"
        ? `dst[i] = src[${padded}];`
        : `if (${odd}) { dst[${padded}] = src[${padded}]; }`;
  return `// ${dir}: ${rows} rows of ${rowWords} words, stride ${strideWords}
@group(0) @binding(0) var<storage, read> src: array<u32>;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(${WORKGROUP})
fn restride(@builtin(workgroup_id) wid: vec3<u32>, @builtin(global_invocation_id) gid: vec3<u32>) {
  let i = ${threadIndex(grid, WORKGROUP)};
  if (i >= ${n}u) { return; }
  ${move}
}
`;
}

const cache = new WeakMap<GPUDevice, Map<string, RowRestride>>();

/** The pipeline of one move (both bindings take dynamic offsets: the stack may itself be a row
 *  of an enclosing scan). Cached per device by its WGSL. */
export function rowRestride(
  device: GPUDevice,
  dir: RestrideDirection,
  rows: number,
  rowWords: number,
  strideWords: number,
): RowRestride {
  let byWgsl = cache.get(device);
  if (!byWgsl) cache.set(device, (byWgsl = new Map()));
  const code = restrideWgsl(dir, rows, rowWords, strideWords);
  const hit = byWgsl.get(code);
  if (hit) return hit;
  const layout = device.createBindGroupLayout({
    label: "row_restride",
    entries: [
      { binding: 0, visibility: 4 /* COMPUTE */, buffer: { type: "read-only-storage", hasDynamicOffset: true } },
      { binding: 1, visibility: 4 /* COMPUTE */, buffer: { type: "storage", hasDynamicOffset: true } },
    ],
  });
  const pipeline = device.createComputePipeline({
    label: `row_restride_${dir}`,
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module: device.createShaderModule({ code, label: "row_restride" }), entryPoint: "restride" },
  });
  const made: RowRestride = { pipeline, layout, dispatch: gridFor(Math.ceil((rows * rowWords) / WORKGROUP)).dispatch };
  byWgsl.set(code, made);
  return made;
}
