// When two kernels may share one compiled pipeline. The code generator names a computed value
// after its IR value (`v652_0` holds %652), so a reader can follow the WGSL back to the IR; but
// then the kernels of an unrolled loop, of a model's repeated layers, or of a forward pass and the
// backward pass that recomputes it, are one shader under other names, and each compiled a pipeline
// of its own. On lavapipe a compile takes 0.1 to 5 s (Mesa compiles at a pipeline's first
// dispatch; a matmul with a fused epilogue costs the most), so a cold profile of the unrolled-RNN
// fixture spent its minute compiling 145 shaders 396 times. Two kernels share a pipeline when
// their WGSL is the same after dropping comments, closing up white space and renaming those value
// names in order of first appearance: a renaming one-to-one onto names nothing else uses, so the
// two shaders compute the same thing.

/** The value names valueWriter.ts gives: `v<IR value id>_<counter>`. */
const VALUE_NAME = /\bv\d+_\d+\b/g;
/** Line and block comments (the generator writes no nested block comments; WGSL has no strings,
 *  so `//` always begins a comment). */
const COMMENT = /\/\/[^\n]*|\/\*[\s\S]*?\*\//g;

/** `wgsl` without comments, each run of white space one space (WGSL has no strings), its value
 *  names renamed `v_0`, `v_1`, … in order of first appearance (no generated name begins `v_`).
 *  Equal results are the same shader up to naming. */
export function shaderIdentity(wgsl: string): string {
  const names = new Map<string, string>();
  return wgsl
    .replace(COMMENT, " ")
    .replace(/\s+/g, " ")
    .replace(VALUE_NAME, (name) => {
      let renamed = names.get(name);
      if (renamed === undefined) names.set(name, (renamed = `v_${names.size}`));
      return renamed;
    });
}
