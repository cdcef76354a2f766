// A loop bound the shader compiler cannot see through, for the loops of small kernels.
//
// Mesa (lavapipe) unrolls a loop whose trip count it knows, or can bound, whole when the count
// and body are small, and LLVM then compiles the long straight line superlinearly. A 16×32 @
// 32×32 matmul (A·Bᵀ, 2×4 outputs per invocation) took 0.9 s to compile with a 4-step K loop, 3.2 s
// with 8 steps, 4.4 s with 9, and 0.15–0.2 s from 10 steps up, where it stays a loop; a layer
// norm's gradient over [16, 32] 3.3 s, against 0.5 s with its row loops' bounds hidden: a small
// model's first run spent most of its minute there (lavapipe, 2-core VM, Mesa's cache off).
// Hiding the bound costs run time where the kernel is large: [4096,32] @ [32,256] ran 0.89–0.96×
// as fast with it hidden (and compiled as fast either way, its larger block never unrolled); a
// row kernel's register arrays need the unrolled loop (softmax over [4096, 1024] ran 0.56× as
// fast, log-softmax over [1024, 64] 0.67×). So the bound is hidden only where the kernel's work
// is too small for that to matter against seconds of compile: a matmul or convolution of at
// most 2^20 multiply-adds, a row kernel of at most 16,384 elements. A convolution's loop over
// its input features is the same case: a weight gradient's 16-feature loop unrolled took 2.8 s
// to compile, 0.12 s hidden; so is a row kernel's loop to the end of a scalar row. The ViT
// fixture's 544×32 @ 32×64 matmul with an erfc epilogue (1.1M multiply-adds) took 2.7 s plain,
// 2.5 s hidden: its epilogue, not its loop, so the limit stayed where it is.
// `bench/dev/loop_bounds.ts` times workloads with bounds hidden and plain (`setTripCountsHidden`)
// and sweeps an A·B matmul's K steps (`--sweep`: 8 steps 2.1 s plain, 0.15 s hidden); the other
// compile times are of single kernels from the fixtures' reports, each compiled alone.

/** Most multiply-adds a matmul or convolution kernel may do for its loops' bounds to be hidden. */
export const HIDDEN_BOUNDS_MAX_MULTIPLY_ADDS = 1 << 20;
/** Most elements (its full shape) a row kernel may have for its loops' bounds to be hidden. */
export const HIDDEN_BOUNDS_MAX_ROW_ELEMENTS = 16384;

type Hiding = "small kernels" | "every loop" | "none";
let HIDING: Hiding = "small kernels";
/** Dev measurement only: which loops hide their bounds. Returns the previous setting. */
export function setTripCountsHidden(h: Hiding): Hiding {
  const was = HIDING;
  HIDING = h;
  return was;
}

/**
 * A loop's trip count as a WGSL expression of `type`; in a kernel the caller judged `small`,
 * one no compiler can fold or bound. `arrayLength(&out0)` (every kernel has an out0, of
 * elements of at least 2 bytes, bound under 4 GiB) is below 2^31, so its top bit is 0 at run
 * time but unknown at compile time.
 */
export function tripCount(count: number, type: "u32" | "i32", small: boolean): string {
  const hide = HIDING === "every loop" || (HIDING === "small kernels" && small);
  if (!hide) return type === "u32" ? `${count}u` : `${count}`;
  const hidden = `${count}u | (arrayLength(&out0) & 0x80000000u)`;
  return type === "u32" ? hidden : `i32(${hidden})`;
}
