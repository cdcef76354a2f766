// `scipy.spatial`, as jax.scipy.spatial: its one submodule, rotations.

export * as transform from "./spatialTransform.js";
