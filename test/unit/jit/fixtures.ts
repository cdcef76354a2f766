// Functions the jit tests compile, written with the np front end. Each np call sits on a line
// marked `// @name` so tests can check that ops map back to this file's lines.
import { np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

type A = Tracer;

export function geluChain(x: A): A {
  const inner = np.tanh(np.add(np.multiply(x, 1.5), 0.5)); // @gelu-tanh
  return np.subtract(np.multiply(inner, x), np.exp(np.negative(np.multiply(x, x)))); // @gelu-sub
}

export function rowSoftmax(x: A): A {
  const m = np.max(x, 1, { keepdims: true }); // @softmax-max
  const e = np.exp(np.subtract(x, m)); // @softmax-exp
  return np.divide(e, np.sum(e, 1, { keepdims: true })); // @softmax-div
}

export function mlpLayer(x: A, w: A, b: A): A {
  const h = np.add(np.matmul(x, w), b); // @mlp-affine
  return np.maximum(h, 0); // @mlp-relu
}

export const FIXTURE_FILE = fileURLToPath(import.meta.url);

/** The 1-based line of the `// @name` marker in this file. */
export function markerLine(name: string): number {
  const lines = readFileSync(FIXTURE_FILE, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(`// @${name}`) && !l.includes("markerLine"));
  if (i < 0) throw new Error(`no marker @${name}`);
  return i + 1;
}
