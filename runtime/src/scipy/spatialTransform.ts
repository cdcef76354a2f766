// `scipy.spatial.transform`, as jax.scipy.spatial.transform: Rotation (scipy/rotation.ts, its
// quaternion arithmetic in scipy/rotationMath.ts) and Slerp (scipy/slerp.ts), both pytree nodes.

export { Rotation } from "./rotation.js";
export type { Flag, RotationInput } from "./rotation.js";
export { Slerp } from "./slerp.js";
