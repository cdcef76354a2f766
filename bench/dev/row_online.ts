// The autotuner's row-kernel choice measured by hand: each row program below as the jit emits it
// by default (a row's max, then its sum of exp(x − max): two loops) and with the two in one loop
// (codegen/rowOnline.ts), interleaved in one process on the same buffers. Softmax on [4096,
// 1024] holds its row in registers by default; log-softmax reads it three times; attention's
// masked softmax (x/8 + a causal mask) reads two inputs; a GPT block's attention scores [4·4,
// 128, 128] are short rows. Both kernels of each pair are first checked equal to the CPU backend.
//   node --import tsx bench/dev/row_online.ts [rounds]

import { acquireDevice } from "../../runtime/src/backend/webgpuDevice.js";
import { deviceWaitMode, deviceWaiter } from "../../runtime/src/backend/deviceWait.js";
import { config, jit, nn, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { setRowOnline } from "../../runtime/src/codegen/rowDevKnobs.js";
import { storageBuffer } from "../handKernels.js";
import { rankKernels, timedDispatches } from "./timedDispatches.js";

type A = ConcreteArray;
const rounds = Number(process.argv[2] ?? 9);

const PROGRAMS: readonly { name: string; shape: number[]; masked: boolean; f: (x: A, m: A) => unknown }[] = [
  { name: "softmax [4096,1024]", shape: [4096, 1024], masked: false, f: (x) => nn.softmax(x, -1) },
  { name: "log_softmax [4096,1024]", shape: [4096, 1024], masked: false, f: (x) => nn.log_softmax(x, -1) },
  {
    name: "masked softmax [4096,1024]",
    shape: [4096, 1024],
    masked: true,
    f: (x, m) => nn.softmax(np.add(np.multiply(x, 0.125), m), -1),
  },
  {
    name: "masked softmax [16,128,128]",
    shape: [16, 128, 128],
    masked: true,
    f: (x, m) => nn.softmax(np.add(np.multiply(x, 0.125), m), -1),
  },
];

const ctx = await acquireDevice();
const wait = deviceWaiter(deviceWaitMode(ctx.software, process.env));
config({ backend: "webgpu" });
console.log(ctx.description);
for (const p of PROGRAMS) {
  const n = p.shape.reduce((a, b) => a * b, 1);
  const cols = p.shape[p.shape.length - 1]!;
  const xs = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 20);
  const ms = Float32Array.from({ length: n }, (_, i) => (i % cols <= Math.floor(i / cols) % cols ? 0 : -Infinity));
  const arrays = () => [np.reshape(np.array(xs), p.shape) as A, np.reshape(np.array(ms), p.shape) as A] as const;
  config({ backend: "cpu" });
  const want = await (p.f(...arrays()) as A).data();
  config({ backend: "webgpu" });
  const [x, m] = arrays();
  const kernels = [];
  for (const online of [false, true]) {
    const was = setRowOnline(online);
    const fn = jit((a: A, b: A) => p.f(a, b)); // a fresh jit: its own compile
    const got = await (fn(x, m) as A).data();
    const k = (await fn.lower(x, m)).kernels;
    setRowOnline(was);
    if (k.length !== 1 || /online softmax/.test(k[0]!.plan) !== online || k[0]!.inputs.length !== (p.masked ? 2 : 1))
      throw new Error(`${p.name}: ${k.length} kernels, online ${online}: ${k[0]?.plan}`);
    let off = 0;
    for (let i = 0; i < n; i++)
      off = Math.max(
        off,
        Number.isNaN(want[i]!) ? (Number.isNaN(got[i]!) ? 0 : Infinity) : Math.abs(got[i]! - want[i]!),
      );
    if (!(off < 1e-4)) throw new Error(`${p.name} (online ${online}) is off the CPU by ${off}`);
    const bufs = [storageBuffer(ctx.device, xs), ...(p.masked ? [storageBuffer(ctx.device, ms)] : [])];
    bufs.push(storageBuffer(ctx.device, new Float32Array(n)));
    kernels.push({
      name: online ? "online (one loop)" : "default (two loops)",
      run: timedDispatches(
        ctx.device,
        wait,
        { code: k[0]!.wgsl, entryPoint: k[0]!.entryPoint, grid: k[0]!.dispatch },
        bufs,
      ),
    });
  }
  await rankKernels(p.name, kernels, rounds, 5);
}
