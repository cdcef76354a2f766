// The `random` namespace: the keys and core samplers (random.ts) and the other distributions
// (randomDistributions.ts).
export * from "./random.js";
export * from "./randomDistributions.js";
