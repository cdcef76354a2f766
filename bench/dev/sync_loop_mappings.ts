// Loops that never yield to the event loop, on WebGPU: how many arrays stay live, how many memory
// mappings the process holds (lavapipe maps one per bind group, and Dawn frees bind groups only
// from the event loop), and whether the runtime refuses an op before Linux's vm.max_map_count.
// An MLP update step written eagerly, jitted, and jitted with its weights donated; one variant
// per process (a variant's mappings stay with Dawn, and would count against the next):
//   for v in eager jit donated; do XDG_RUNTIME_DIR=/tmp VARIANT=$v \
//     node --import tsx bench/dev/sync_loop_mappings.ts [steps]; done
import { readFileSync } from "node:fs";
import { initWebGpu, jit, nn, np, random } from "../../runtime/src/index.js";
import { trackedStats } from "../../runtime/src/arrayMemory.js";
import { linuxMappings } from "../../runtime/src/backend/mappingHeadroom.js";

const steps = Number(process.argv[2] ?? 12_000);
await initWebGpu();
const x = random.normal(random.key(1), [32, 64]);
const update = (w: np.ArrayLike, x: np.ArrayLike) => {
  const h = nn.relu(np.matmul(x, w));
  return np.subtract(w, np.multiply(1e-4, np.add(w, np.mean(np.square(h)))));
};
const all: [string, (w: np.ArrayLike, x: np.ArrayLike) => np.ArrayLike][] = [
  ["eager", update],
  ["jit", jit(update)],
  ["donated", jit(update, { donate_argnums: 0 })],
];
const variants = all.filter(([name]) => (process.env.VARIANT ?? name) === name);
const limit = Number(readFileSync("/proc/sys/vm/max_map_count", "utf8"));
for (const [name, step] of variants) {
  let w: np.ArrayLike = random.normal(random.key(0), [64, 64]);
  await new Promise((r) => setTimeout(r, 100));
  const before = linuxMappings()!.used;
  let peakArrays = 0;
  let done = 0;
  let refused = "";
  const t0 = performance.now();
  try {
    for (; done < steps; done++) {
      w = step(w, x);
      if (done % 100 === 0) peakArrays = Math.max(peakArrays, trackedStats().liveArrays);
    }
  } catch (e) {
    refused = ` · refused at step ${done}: ${String(e).slice(0, 60)}…`;
  }
  const ms = performance.now() - t0;
  const after = linuxMappings()!.used;
  console.log(
    `${name}: ${done} steps in ${ms.toFixed(0)} ms · mappings ${before} → ${after} (of ${limit}) · ` +
      `live arrays at most ${peakArrays}${refused}`,
  );
  // Then the same loop yielding every 200 steps: the bind groups it made are freed, and Dawn
  // reuses their sets, so the count should stop growing and nothing be refused.
  await (w as { blockUntilReady(): Promise<unknown> }).blockUntilReady();
  const again = linuxMappings()!.used;
  let refusals = 0;
  for (let i = 0; i < 3000; i++) {
    try {
      w = step(w, x);
    } catch {
      refusals++;
    }
    if (i % 200 === 199) await (w as { blockUntilReady(): Promise<unknown> }).blockUntilReady();
  }
  await (w as { blockUntilReady(): Promise<unknown> }).blockUntilReady();
  console.log(
    `  then 3000 steps yielding every 200: mappings ${again} → ${linuxMappings()!.used} · ${refusals} refused`,
  );
}
