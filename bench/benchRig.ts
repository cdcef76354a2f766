// The bench's rig: how contenders are built, checked and timed on one adapter, and how their
// rows are logged (bench/run.ts holds the sections that use it). Every hand kernel and peer is
// checked against our output before it is timed; a wrong one is dropped and noted.

import type { ConcreteArray } from "../runtime/src/array.js";
import type { WebGpuBackend } from "../runtime/src/backend/webgpu.js";
import type { HandKernel } from "./handKernels.js";
import { best, formatRow, median, ratioRow, timeAll, type Comparison, type Contender, type Side } from "./measure.js";
import { checkClose } from "./check.js";
import { ours } from "./peers/ours.js";
import { jaxjs } from "./peers/jaxjs.js";
import { tfjs } from "./peers/tfjs.js";
import type * as W from "./workloadData.js";

type A = ConcreteArray;
export const JAX_OUR_WAIT = "jax-js (our device wait)";
/** Runs that choose the best variant of each hand kernel before the timed comparison. */
const SELECTION_RUNS = 3;

export type BenchRig = ReturnType<typeof createRig>;

export function createRig(gpu: WebGpuBackend) {
  const device = gpu.device;
  const rows: Comparison[] = [];
  const notes: string[] = [];
  const log = (c: Comparison) => {
    rows.push(c);
    console.log(formatRow(c));
  };
  const note = (s: string) => {
    notes.push(s);
    console.log(`  ${s}`);
  };
  const side = (t: Map<string, number[]>, name: string): Side => ({ name, ms: t.get(name)! });
  const flat = async (a: A) => Float32Array.from((await a.data()) as ArrayLike<number>);

  function arrays(name: string, iters: number, f: () => A): Contender & { last(): A } {
    let last: A | null = null;
    return {
      name,
      iters,
      step() {
        last?.dispose();
        last = f();
      },
      async wait() {
        await last!.blockUntilReady();
      },
      last: () => last!,
    };
  }
  // The device's queue, emptied as the runtime waits (backend/deviceWait.ts: on a software adapter
  // Dawn's busy polling would take a core from the kernels). Before each timed block, so no
  // contender's leftover work lands in the next one's block; and a hand kernel's wait.
  const drain = () => gpu.wait(() => device.queue.onSubmittedWorkDone());
  // Hand kernels and our side of a comparison with them run each timed block on freshly compiled
  // pipelines (Contender.redraw in bench/measure.ts): a pipeline compiled once is one draw, and on
  // lavapipe identical pipelines ran 1.1-1.5× apart in one process, each keeping its speed. The
  // peers compile their own pipelines once; their rows compare single draws with our draws.
  const raw = (k: HandKernel, iters: number): Contender => ({
    name: k.name,
    iters,
    step: () => k.submit(),
    wait: drain,
    async redraw() {
      k.redraw();
      k.submit();
      await drain();
    },
  });
  /** `c` (running our runtime) on pipelines compiled anew before each timed block. */
  function drawn<C extends Contender>(c: C): C {
    return {
      ...c,
      async redraw() {
        gpu.dropPipelines();
        c.step();
        await c.wait();
      },
    };
  }
  const work = (name: string, iters: number, w: W.Work): Contender => ({
    name,
    iters,
    step: () => w.step(),
    wait: () => w.wait(),
  });

  /**
   * timeAll, with TensorFlow.js timed apart: in one rotation with it, the block right after a tfjs
   * block ran slower even on a drained device and an idle process (our CNN step 9.3 ms there, 3.9
   * ms elsewhere; cause not found). So each tfjs contender is timed in a second rotation beside its
   * workload's "ours", recorded as "<label> ours (beside tfjs)", which its row compares with; no
   * other row sees a block that followed tfjs.
   */
  async function timeSection(contenders: readonly Contender[], runs: number): Promise<Map<string, number[]>> {
    const isTf = (c: Contender) => c.name.endsWith(" tfjs");
    const t = await timeAll(
      contenders.filter((c) => !isTf(c)),
      runs,
      drain,
    );
    const tf = contenders.filter(isTf);
    const beside = tf.flatMap((c) => {
      const mine = contenders.find((o) => o.name === c.name.replace(/ tfjs$/, " ours"));
      return mine ? [{ ...mine, name: `${mine.name} (beside tfjs)` }, c] : [c];
    });
    if (beside.length > 0) for (const [name, ms] of await timeAll(beside, runs, drain)) t.set(name, ms);
    return t;
  }

  /**
   * The fastest of several variants of a hand kernel, chosen in runs of their own before the timed
   * comparison: picking the lowest median among k variants in the same runs that give the ratio
   * favours the variant that was luckiest there (the winner's curse), biasing every ratio against
   * jit. Returns a one-element list, so the comparison's own runs time only the chosen one.
   */
  async function pickBest(ks: HandKernel[], iters: number): Promise<HandKernel[]> {
    if (ks.length <= 1) return ks;
    const t = await timeAll(
      ks.map((k) => raw(k, iters)),
      SELECTION_RUNS,
      drain,
    );
    const chosen = best(ks.map((k) => side(t, k.name)));
    return ks.filter((k) => k.name === chosen.name);
  }

  /** Hand kernels whose output matches `want` (to `tol` of its largest magnitude); others dropped. */
  async function checkedHand(ks: HandKernel[], want: Float32Array, tol: number): Promise<HandKernel[]> {
    const ok: HandKernel[] = [];
    for (const k of ks) {
      k.submit();
      const err = checkClose(await k.read(), want, tol);
      if (err) note(`${k.name}: wrong result (${err}), not timed`);
      else ok.push(k);
    }
    if (ok.length === 0) throw new Error("bench: no hand kernel variant computed the right result");
    return ok;
  }

  /** Each framework's version of a workload, checked against ours (its first); wrong ones dropped. */
  async function checkedPeers(
    label: string,
    make: (f: W.Framework) => W.Work,
    iters: number,
    tol: number,
    base: Float32Array[] | null = null,
    /** Compared with hand kernels: our side runs on fresh pipelines each block (`drawn`). */
    oursDrawn = false,
  ): Promise<Contender[]> {
    const out: Contender[] = [];
    let want: Float32Array[] = [];
    for (const f of [ours, jaxjs, tfjs]) {
      let w: W.Work;
      try {
        w = make(f);
        w.step();
        await w.wait();
      } catch (e) {
        note(`${label} ${f.name}: failed (${e instanceof Error ? e.message.split("\n")[0] : String(e)}), not timed`);
        continue;
      }
      const got = await w.read();
      if (f === ours) want = got;
      else {
        const err = got.length !== want.length ? "different outputs" : checkDelta(got, want, base, tol);
        if (err) {
          note(`${label} ${f.name}: wrong result (${err}), not timed`);
          continue;
        }
      }
      const c = work(`${label} ${f.name}`, iters, w);
      out.push(f === ours && oursDrawn ? drawn(c) : c);
      // jax-js as shipped waits with Dawn's busy polling; timed again given our wait, the table
      // shows how much of the gap is the wait and how much the kernels.
      if (f === jaxjs && gpu.waitMode === "sleep")
        out.push({ ...work(`${label} ${JAX_OUR_WAIT}`, iters, w), wait: () => gpu.wait(() => w.wait()) });
    }
    return out;
  }

  /** For training steps (`base` = the parameters before): the updates must agree, not just the
   *  parameters (which a zero gradient would leave close). */
  function checkDelta(
    got: Float32Array[],
    want: Float32Array[],
    base: Float32Array[] | null,
    tol: number,
  ): string | null {
    for (let i = 0; i < want.length; i++) {
      const b = base?.[i];
      const delta = (x: Float32Array) => (b ? x.map((v, j) => v - b[j]!) : x);
      const err = checkClose(delta(got[i]!), delta(want[i]!), tol);
      if (err) return `output ${i}: ${err}`;
    }
    return null;
  }

  function geometricMean(
    match: string,
    a: string,
    target: { text: string; ok: (ratio: number, lowest: number) => boolean } | null,
  ): void {
    const jaxRows = rows.filter((r) => r.title.includes(match));
    if (jaxRows.length === 0) return;
    const perRun = jaxRows[0]!.ratios.map((_, r) =>
      Math.exp(jaxRows.reduce((s, row) => s + Math.log(row.ratios[r]!), 0) / jaxRows.length),
    );
    const lowest = Math.min(...jaxRows.map((row) => median(row.ratios)));
    log({
      title: `${match}: geometric mean over ${jaxRows.length} workloads (lowest workload ${lowest.toFixed(2)}×)`,
      a,
      b: "ours",
      msA: NaN,
      msB: NaN,
      ratios: perRun,
      target: target?.text ?? "",
      met: target ? target.ok(median(perRun), lowest) : null,
    });
  }

  function peerRows(title: string, t: Map<string, number[]>, label: string): void {
    const mine = side(t, `${label} ours`);
    for (const p of ["jax-js", JAX_OUR_WAIT, "tfjs"]) {
      const name = `${label} ${p}`;
      if (!t.has(name)) continue;
      log(
        ratioRow(
          `${title}: ${p} vs ours (time)`,
          side(t, name),
          p === "tfjs" && t.has(`${label} ours (beside tfjs)`) ? side(t, `${label} ours (beside tfjs)`) : mine,
          p === "jax-js" ? { text: "≥ 1.2×", ok: (r) => r >= 1.2 } : null,
        ),
      );
    }
  }

  async function peerOutput(w: W.Work): Promise<Float32Array> {
    w.step();
    await w.wait();
    return (await w.read())[0]!;
  }

  return {
    rows,
    notes,
    log,
    note,
    side,
    flat,
    arrays,
    drain,
    raw,
    drawn,
    work,
    timeSection,
    pickBest,
    checkedHand,
    checkedPeers,
    geometricMean,
    peerRows,
    peerOutput,
  };
}
