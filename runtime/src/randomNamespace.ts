// The `random` namespace: the keys and core samplers (random.ts) and the other distributions
// (randomDistributions.ts, randomBall.ts, randomTransformed.ts), and key_data / wrap_key_data
// (randomKeyData.ts), binomial and multinomial (randomBinomial.ts).
export * from "./random.js";
export * from "./randomDistributions.js";
export * from "./randomKeyData.js";
export * from "./randomBall.js";
export * from "./randomTransformed.js";
export * from "./randomBinomial.js";
