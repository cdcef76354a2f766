// The Memory view's data, DOM-free: a compilation's memory plan laid out as stacked bars. At each
// step the live buffers stack in one fixed order (inputs and constants at the bottom, then by the
// step that writes them), so a column's height is exactly the bytes live at that step and the
// tallest column is the peak. A buffer is drawn as the runs of steps where its offset stays put:
// one bar for most, a few where a buffer below it was freed.

import { formatLineRef, type Compilation, type MemoryBuffer, type MemoryPlan } from "@jitscope/contract";

export interface MemorySegment {
  buffer: number;
  /** Steps [from, to], inclusive. */
  from: number;
  to: number;
  /** Bytes below it in its column. */
  offset: number;
}

export interface MemoryLayout {
  plan: MemoryPlan;
  /** The buffers in stacking order (bottom first). */
  buffers: MemoryBuffer[];
  segments: MemorySegment[];
  /** Bytes live at each step. */
  liveBytes: number[];
  /** The buffers live at the peak, largest first (indices into `buffers`). */
  atPeak: number[];
  /** What runs at each step: the kernel's name, "scan", "while_loop". */
  stepLabels: string[];
}

const KIND_ORDER: Record<MemoryBuffer["kind"], number> = { input: 0, constant: 1, intermediate: 2, output: 2 };

export function memoryLayout(c: Compilation, kernelNames: ReadonlyMap<string, string>): MemoryLayout | null {
  const plan = c.memory;
  if (!plan) return null;
  const buffers = [...plan.buffers].sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.start - b.start || a.end - b.end,
  );
  const steps = Math.max(1, plan.steps);
  const segments: MemorySegment[] = [];
  const open = new Map<number, MemorySegment>();
  const liveBytes: number[] = [];
  for (let t = 0; t < steps; t++) {
    let offset = 0;
    buffers.forEach((b, i) => {
      if (b.start > t || b.end < t) {
        open.delete(i);
        return;
      }
      const seg = open.get(i);
      if (seg && seg.offset === offset && seg.to === t - 1) seg.to = t;
      else {
        const s = { buffer: i, from: t, to: t, offset };
        segments.push(s);
        open.set(i, s);
      }
      offset += b.bytes;
    });
    liveBytes.push(offset);
  }
  const atPeak = buffers
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.start <= plan.peakStep && plan.peakStep <= b.end)
    .sort((a, b) => b.b.bytes - a.b.bytes)
    .map(({ i }) => i);
  const decisions = c.fusion.decisions;
  const stepLabels = Array.from({ length: plan.steps }, (_, t) => {
    const d = decisions[t];
    if (!d) return `step ${t}`;
    if (d.kind === "loop") return d.reason.startsWith("while") ? "while_loop" : "scan";
    return kernelNames.get(d.kernel) ?? d.kernel;
  });
  return { plan, buffers, segments, liveBytes, atPeak, stepLabels };
}

/** "steps 3–7", "step 4", "the whole call". */
export function lifetimeText(b: MemoryBuffer, steps: number): string {
  if (b.start === 0 && b.end >= steps - 1 && (b.kind === "input" || b.kind === "constant")) return "the whole call";
  return b.start === b.end ? `step ${b.start}` : `steps ${b.start}–${b.end}`;
}

/** Where a buffer's bytes come from: the line that wrote it, or, with none, a captured constant
 *  (uploaded with the compiled program) or an argument of the call. */
export function writtenAtText(b: MemoryBuffer): string {
  if (b.location) return formatLineRef(b.location.file, b.location.line);
  return b.kind === "constant" ? "a constant the function captured" : "argument of the call";
}
