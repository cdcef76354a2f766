// A spectral filter y = irfft(rfft(x) · H) along the last axis of x [rows, n], ours under jit
// against jax-js (jit, np.fft) and TensorFlow.js (tf.spectral, no jit) on the same Dawn device:
// results checked against a float64 direct filter first, then timed in interleaved runs
// (bench/measure.ts timeAll). Prints ms per call, each peer / ours (median, lowest–highest run).
// n = 1024 is one level of 32×32 products here; n = 256 one 256×256 product. Not a test: on a
// shared machine the figures move with the others' load.
//   node --expose-gc --import tsx bench/dev/fft_vs_peers.ts [--runs 7] [--iters 20] [--rows 64] [--n 1024]

import "../peers/setup.js";
import { loadavg } from "node:os";
import * as tf from "@tensorflow/tfjs";
import {
  blockUntilReady,
  defaultDevice,
  getWebGPUDevice,
  init as initJax,
  jit as jjit,
  numpy as jnp,
  type Array as J,
} from "@jax-js/jax";
import { currentBackend, jit, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { checkClose } from "../check.js";
import { median, timeAll, type Contender } from "../measure.js";
import { initTfjs } from "../peers/tfjs.js";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const runs = Number(arg("--runs", "7")),
  iters = Number(arg("--iters", "20")),
  rows = Number(arg("--rows", "64")),
  n = Number(arg("--n", "1024"));
if (currentBackend().name !== "webgpu") throw new Error("fft_vs_peers: needs the WebGPU backend");
await initJax("webgpu");
defaultDevice("webgpu");
await initTfjs();

const m = n / 2 + 1;
const x = Float32Array.from({ length: rows * n }, (_, i) => Math.sin(i * 0.37) + ((i * 7919) % 101) / 101 - 0.5);
// A smooth low-pass response over the kept frequencies.
const H = Float32Array.from({ length: m }, (_, k) => 1 / (1 + (k / 40) ** 4));

// The float64 reference: the filter applied as a circular convolution with its impulse response.
const h = new Float64Array(n);
for (let j = 0; j < n; j++)
  for (let k = 0; k < m; k++)
    h[j]! += ((k === 0 || 2 * k === n ? 1 : 2) * H[k]! * Math.cos((2 * Math.PI * j * k) / n)) / n;
const want = new Float32Array(rows * n);
for (let r = 0; r < rows; r++)
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += x[r * n + t]! * h[(j - t + n) % n]!;
    want[r * n + j] = s;
  }

interface Runner {
  name: string;
  step(): void;
  wait(): Promise<void>;
  read(): Promise<Float32Array>;
}

const ours = (): Runner => {
  const xs = np.reshape(np.array(x), [rows, n]) as ConcreteArray;
  const hs = np.array(H) as ConcreteArray;
  const f = jit((a: ConcreteArray, b: ConcreteArray) => np.fft.irfft(np.multiply(np.fft.rfft(a), b), n));
  let last: ConcreteArray | null = null;
  return {
    name: "ours",
    step() {
      last?.dispose();
      last = f(xs, hs) as ConcreteArray;
    },
    wait: async () => void (await last!.blockUntilReady()),
    read: async () => Float32Array.from((await last!.data()) as ArrayLike<number>),
  };
};

const jaxjs = (): Runner => {
  const xs = jnp.array(x).reshape([rows, n]);
  const hs = jnp.array(H);
  const f = jjit((a: J, b: J) => {
    const z = jnp.fft.rfft(a);
    return jnp.fft.irfft({ real: jnp.multiply(z.real, b.ref), imag: jnp.multiply(z.imag, b) });
  });
  let block: J[] = [];
  return {
    name: "jax-js",
    step() {
      block.push(f(xs.ref, hs.ref));
    },
    async wait() {
      await blockUntilReady(block);
      await getWebGPUDevice().queue.onSubmittedWorkDone();
      const last = block[block.length - 1]!;
      for (const r of block) if (r !== last) r.dispose();
      block = [last];
    },
    read: async () => Float32Array.from(await block[block.length - 1]!.ref.data()),
  };
};

const tfjs = (): Runner => {
  const xs = tf.tensor2d(x, [rows, n]);
  const hs = tf.tensor1d(H);
  let last: tf.Tensor | null = null;
  return {
    name: "tfjs",
    step() {
      last?.dispose();
      last = tf.tidy(() => {
        const z = tf.spectral.rfft(xs);
        return tf.spectral.irfft(tf.complex(tf.mul(tf.real(z), hs), tf.mul(tf.imag(z), hs)));
      });
    },
    async wait() {
      await last!.data(); // tfjs has no way to wait without reading back; counted for it
    },
    read: async () => Float32Array.from((await last!.data()) as Float32Array),
  };
};

const load0 = loadavg()[0]!;
const runners = [ours(), jaxjs(), tfjs()];
for (const r of runners) {
  r.step();
  await r.wait();
  const err = checkClose(await r.read(), want, 2e-3);
  if (err) throw new Error(`${r.name} disagrees with the float64 filter: ${err}`);
}
const contenders: Contender[] = runners.map((r) => ({
  name: r.name,
  iters,
  step: () => r.step(),
  wait: () => r.wait(),
}));
const t = await timeAll(contenders, runs);
const o = t.get("ours")!;
console.log(
  `spectral filter irfft(rfft(x)·H), x [${rows}, ${n}], ${runs} interleaved runs of ${iters} calls (load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`,
);
for (const r of runners)
  console.log(
    `  ${r.name.padEnd(6)} ms/call: ${t
      .get(r.name)!
      .map((v) => v.toFixed(3))
      .join(" ")}`,
  );
for (const r of runners.slice(1)) {
  const ratios = t.get(r.name)!.map((v, i) => v / o[i]!);
  console.log(
    `  ${r.name} / ours = ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); medians ${median(t.get(r.name)!).toFixed(3)} vs ${median(o).toFixed(3)} ms`,
  );
}
