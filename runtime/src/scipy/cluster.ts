// `scipy.cluster`, as jax.scipy.cluster: its one submodule, vector quantization.

export * as vq from "./clusterVq.js";
