// A pad or concatenate whose pieces take more than a load to compute puts each piece behind a
// branch on its index range (codegen/valueWriter.ts, `choose`), so an element computes only its
// own piece; cheap pieces stay selects of clamped loads. The gradient of a recurrent cell's gates
// through np.split is the case that matters: it adds one padded piece per gate, and as selects
// every element computed all of them. Each case is checked against the CPU reference and reads
// the kernel's WGSL for where its transcendentals are.

import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, lax, nn, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip } from "../ops/harness.js";

type A = Tracer;

/** A [rows, cols] array of smooth values in about [−2, 2], the same on every backend. */
const data = (rows: number, cols: number, seed: number): A =>
  np.reshape(np.array(Float32Array.from({ length: rows * cols }, (_, i) => 2 * Math.sin(i * 0.37 + seed))), [
    rows,
    cols,
  ]) as A;

/** The kernel body's lines (past the bounds check), and how deep each is indented. */
function bodyLines(wgsl: string): { text: string; depth: number }[] {
  const lines = wgsl.split("\n");
  const start = lines.findIndex((l) => /return; }$/.test(l));
  return lines.slice(start + 1).map((l) => ({ text: l.trim(), depth: l.length - l.trimStart().length }));
}

/** Lines calling a transcendental at the kernel body's top level, outside every branch. */
const unguardedTranscendentals = (wgsl: string): string[] =>
  bodyLines(wgsl)
    .filter((l) => l.depth === 2 && /\b(exp|tanh|log|sin)\(/.test(l.text))
    .map((l) => l.text);

const branchCount = (wgsl: string): number => bodyLines(wgsl).filter((l) => /^(\} else )?if \(/.test(l.text)).length;

async function compareWithCpu(name: string, f: (...xs: A[]) => A, inputs: () => A[], tol = 2e-5): Promise<string[]> {
  const lowered = await onBackend("webgpu", () => jit(f).lower(...inputs()));
  const want = await onBackend("cpu", () => f(...inputs())).data();
  const got = await onBackend("webgpu", () => jit(f)(...inputs()) as A).data();
  assertClose(Array.from(got), Array.from(want), "float32", tol, tol, name);
  return lowered.kernels.map((k) => k.wgsl);
}

function gruGates(x: A, h: A): A {
  const [xz, xr, xn] = np.split(x, 3, -1) as A[];
  const z = nn.sigmoid(xz!),
    r = nn.sigmoid(xr!);
  const n = np.tanh(np.add(xn!, np.multiply(r, h)));
  return np.sum(np.add(np.multiply(np.subtract(1, z), n), np.multiply(z, h))) as A;
}

test("the gradient of a GRU's gates through np.split: each element computes only its own gate's piece, as the CPU", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const dx = (x: A, h: A) => grad(gruGates)(x, h) as A;
  const wgsl = await compareWithCpu("GRU gates' gradient", dx, () => [data(48, 96, 1), data(48, 32, 2)]);
  const pieces = wgsl.filter((w) => /\bvar piece\d+/.test(w));
  assert.equal(pieces.length, 1, "one kernel assembles dx from its three pieces");
  assert.equal(branchCount(pieces[0]!), 3, "a branch per gate's piece");
  assert.deepEqual(unguardedTranscendentals(pieces[0]!), [], "no exp or tanh computed outside its piece's branch");
});

test("np.concatenate of four computed pieces (an LSTM's gates) is one kernel with one if/else-if chain, as the CPU", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const gates = (x: A, c: A) =>
    np.concatenate(
      [
        nn.sigmoid(np.add(x, 1)),
        nn.sigmoid(np.multiply(x, c)),
        np.tanh(np.subtract(x, c)),
        np.exp(np.multiply(c, 0.5)),
      ],
      -1,
    ) as A;
  const wgsl = await compareWithCpu("LSTM-like concatenate", gates, () => [data(16, 24, 3), data(16, 24, 4)]);
  assert.equal(wgsl.length, 1, "the gates are computed where the concatenate reads them");
  const chain = wgsl[0]!;
  assert.equal(bodyLines(chain).filter((l) => /^\} else if \(/.test(l.text)).length, 2, "if, 2 else-ifs, else");
  assert.deepEqual(unguardedTranscendentals(chain), []);
});

test("a pad or concatenate of plain loads stays a branch-free select, as the CPU", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const inputs = () => [data(5, 7, 5), data(3, 7, 6)];
  const padded = (x: A) =>
    np.add(
      np.pad(x, [
        [1, 2],
        [0, 3],
      ]),
      1,
    ) as A;
  const joined = (x: A, y: A) => np.multiply(np.concatenate([x, y, x], 0), 2) as A;
  const wgsl = [
    ...(await compareWithCpu("pad of a load", padded, inputs)),
    ...(await compareWithCpu("concatenate of loads", joined, inputs)),
  ];
  for (const w of wgsl) {
    assert.doesNotMatch(w, /\bvar piece\d+/);
    assert.equal(branchCount(w), 0);
    assert.match(w, /select\(/);
  }
});

test("computed pieces of bool and int32 dtype, a NaN fill and a cropping lax.pad: the CPU's values", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const inputs = () => [data(6, 10, 7)];
  // Bool pieces, then read as numbers.
  await compareWithCpu(
    "bool pieces",
    (x) => np.astype(np.concatenate([np.greater(np.exp(x), 1.5), np.less(np.tanh(x), 0.2)], 1), np.float32) as A,
    inputs,
  );
  // Int32 pieces with a fill of 7 around them.
  await compareWithCpu(
    "int32 pieces filled with 7",
    (x) =>
      np.astype(
        np.pad(
          np.astype(np.multiply(np.exp(x), 10), np.int32),
          [
            [2, 1],
            [1, 1],
          ],
          { constant_values: 7 },
        ),
        np.float32,
      ) as A,
    inputs,
  );
  // NaN around a computed piece: NaN on the CPU is NaN here (assertClose matches NaN with NaN).
  await compareWithCpu(
    "NaN fill",
    (x) =>
      np.pad(
        np.tanh(np.exp(x)),
        [
          [1, 0],
          [0, 2],
        ],
        { constant_values: NaN },
      ) as A,
    inputs,
  );
  // Negative low padding crops, positive high pads: lax.pad with a computed operand.
  await compareWithCpu(
    "cropping lax.pad",
    (x) =>
      lax.pad(np.exp(np.multiply(x, 0.5)), -1, [
        [-2, 3, 0],
        [1, -3, 0],
      ]) as A,
    inputs,
  );
});
