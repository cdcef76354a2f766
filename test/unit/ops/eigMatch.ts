// Matching eigenvalues (or roots) as a multiset, for eigGeneral.test.ts and eigRoots.test.ts:
// their order is not specified, so each of JAX's is paired with our nearest. NaN stands as 1e6,
// as the fixture stores it, so a NaN root matches a NaN root.
import * as np from "../../../runtime/src/np.js";
import type { Complex } from "../../../runtime/src/trace/complexValue.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

const noNan = (x: Tracer): Tracer => np.where(np.isnan(x), 1e6, x);

/** [JAX's eigenvalues' nearest of ours (re), (im), each of ours' distance to JAX's nearest]. */
export function matched(got: Complex, wre: Tracer, wim: Tracer): Tracer {
  const [gr, gi] = [noNan(got.re), noNan(got.im)];
  const dr = np.subtract(np.expand_dims(wre, -1), np.expand_dims(gr, -2)); // [..., jax, ours]
  const di = np.subtract(np.expand_dims(wim, -1), np.expand_dims(gi, -2));
  const dist = np.sqrt(np.add(np.square(dr), np.square(di)));
  const idx = np.argmin(dist, -1);
  const back = np.min(dist, -2);
  return np.stack([np.take_along_axis(gr, idx, -1), np.take_along_axis(gi, idx, -1), back], 0);
}
