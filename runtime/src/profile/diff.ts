// diffReports(old, new): what moved between two runs of a script, per function, kernel and line.
// Pure: no I/O. The CLI (diff, check) computes it; the extension gets the same ReportDiff from the
// CLI's `diff --json`, and the panel from the extension.

import { countDelta, estimateOf, isSignificant, measuredDelta, sumOf, withinTick } from "./diffStats.js";
import { alignLines } from "./diffLines.js";
import { matchKernels, sideKernels, type SideKernel } from "./diffKernels.js";
import { Provenance } from "./diffProvenance.js";
import {
  briefSummary,
  DIFF_METHOD,
  REPORT_DIFF_VERSION,
  type Estimate,
  type FunctionDiffEntry,
  type KernelChange,
  type KernelDiffEntry,
  type LineDiffEntry,
  type ReportDiff,
} from "@jitscope/contract";
import type { FunctionReport, Report } from "@jitscope/contract";

const CHANGES: readonly KernelChange[] = ["same", "changed", "split", "merged", "regrouped", "added", "removed"];

export function emptyChangeCounts(): Record<KernelChange, number> {
  return Object.fromEntries(CHANGES.map((c) => [c, 0])) as Record<KernelChange, number>;
}

export function diffReports(oldR: Report, newR: Report): ReportDiff {
  const oldP = new Provenance(oldR, newR.script);
  const newP = new Provenance(newR);

  // Line alignment, file by file.
  const oldSigs = oldP.lineSignatures();
  const newSigs = newP.lineSignatures();
  const maps = new Map<string, Map<number, number>>();
  for (const [file, sigs] of oldSigs) maps.set(file, alignLines(sigs, newSigs.get(file) ?? new Map()));
  const mapLine = (file: string, line: number): number | null => maps.get(file)?.get(line) ?? null;

  const oldK = sideKernels(oldP, mapLine);
  const newK = sideKernels(newP, (_f, l) => l);
  const kernels = matchKernels(oldR, newR, oldK, newK);
  const functions = diffFunctions(oldR, newR, kernels, oldP, mapLine);
  const lines = diffLines(kernels, oldK, newK);

  const kernelChanges = emptyChangeCounts();
  for (const k of kernels) kernelChanges[k.change]++;
  const significant =
    functions.filter((f) => f.status !== "matched" || functionMoved(f)).length +
    kernels.filter((k) => k.change !== "same" || isSignificant(k.gpuMsPerCall)).length +
    lines.filter((l) => l.significant).length;
  const info = (r: Report) => ({
    script: r.script,
    createdAt: r.createdAt,
    adapter: r.device.adapter,
    status: r.status,
  });
  const lineMap = [...maps].flatMap(([file, m]) => [...m].map(([o, n]) => ({ file, old: o, new: n })));
  const diff: ReportDiff = {
    version: REPORT_DIFF_VERSION,
    tool: "jitscope-diff",
    method: DIFF_METHOD,
    old: info(oldR),
    new: info(newR),
    lineMap,
    functions,
    kernels,
    lines,
    summary: { significant, kernelChanges, text: "" },
  };
  diff.summary.text = briefSummary(diff);
  return diff;
}

/** A matched function whose numbers moved: significant time, or any count. */
export function functionMoved(f: FunctionDiffEntry): boolean {
  return (
    isSignificant(f.cost) ||
    isSignificant(f.gpuMsPerCall) ||
    f.kernelsPerCall.delta !== 0 ||
    f.compilations.delta !== 0 ||
    f.peakBytes.delta !== 0 ||
    CHANGES.some((c) => c !== "same" && f.kernelChanges[c] > 0)
  );
}

/** Each call's own time, from the timeline's call spans; the median alone when there are none. */
export function callSamples(r: Report, f: FunctionReport): number[] {
  const spans = r.timeline.spans.filter((s) => s.cat === "call" && s.name === `call:${f.name}`).map((s) => s.dur);
  return spans.length > 0 ? spans : [f.msPerCall];
}

function diffFunctions(
  oldR: Report,
  newR: Report,
  kernels: KernelDiffEntry[],
  oldP: Provenance,
  mapLine: (file: string, line: number) => number | null,
): FunctionDiffEntry[] {
  const sameSite = (o: FunctionReport, n: FunctionReport) => {
    if (!o.location || !n.location) return o.location === n.location;
    return (
      oldP.file(o.location.file) === n.location.file && mapLine(n.location.file, o.location.line) === n.location.line
    );
  };
  const unmatchedOld = [...oldR.functions];
  const pairs: [FunctionReport | null, FunctionReport | null][] = [];
  const byName: FunctionReport[] = [];
  for (const n of newR.functions) {
    const i = unmatchedOld.findIndex((o) => o.name === n.name && sameSite(o, n));
    if (i >= 0) pairs.push([unmatchedOld.splice(i, 1)[0]!, n]);
    else byName.push(n);
  }
  // A function whose site moved in a way the alignment missed: by name, when that is unambiguous.
  for (const n of byName) {
    const candidates = unmatchedOld.filter((o) => o.name === n.name);
    if (candidates.length === 1) pairs.push([unmatchedOld.splice(unmatchedOld.indexOf(candidates[0]!), 1)[0]!, n]);
    else pairs.push([null, n]);
  }
  for (const o of unmatchedOld) pairs.push([o, null]);

  return pairs.map(([o, n]) => {
    const name = (n ?? o)!.name;
    const kernelChanges = emptyChangeCounts();
    for (const k of kernels) if (k.function === name) kernelChanges[k.change]++;
    const side = (r: Report, f: FunctionReport | null) => (f ? functionFigures(r, f) : null);
    const a = side(oldR, o);
    const b = side(newR, n);
    return {
      name,
      status: o && n ? "matched" : n ? "added" : "removed",
      oldLocation: o?.location ?? null,
      newLocation: n?.location ?? null,
      cost: measuredDelta(a?.cost ?? null, b?.cost ?? null),
      msPerCall: measuredDelta(a?.msPerCall ?? null, b?.msPerCall ?? null),
      gpuMsPerCall: measuredDelta(a?.gpuMsPerCall ?? null, b?.gpuMsPerCall ?? null),
      kernelsPerCall: countDelta(o?.kernelsPerCall ?? 0, n?.kernelsPerCall ?? 0),
      compilations: countDelta(o?.compilations.length ?? 0, n?.compilations.length ?? 0),
      compileMs: countDelta(a?.compileMs ?? 0, b?.compileMs ?? 0),
      peakBytes: countDelta(a?.peakBytes ?? 0, b?.peakBytes ?? 0),
      kernelChanges,
    } satisfies FunctionDiffEntry;
  });
}

function functionFigures(
  r: Report,
  f: FunctionReport,
): {
  cost: Estimate | null;
  msPerCall: Estimate | null;
  gpuMsPerCall: Estimate | null;
  compileMs: number;
  peakBytes: number;
} {
  const comps = r.compilations.filter((c) => f.compilations.includes(c.id));
  const latest = comps.find((c) => c.id === f.compilations.at(-1));
  const byId = new Map(r.kernels.map((k) => [k.id, k]));
  const gpu = latest
    ? sumOf(
        latest.kernels.map((id) => {
          const e = withinTick(estimateOf(byId.get(id)?.gpuTimesNs ?? []), r.device.timestampTickNs);
          return e ? { median: e.median / 1e6, low: e.low / 1e6, high: e.high / 1e6, samples: e.samples } : null;
        }),
      )
    : null;
  const host = estimateOf(callSamples(r, f));
  return {
    cost: sumOf([host, gpu]),
    msPerCall: host,
    gpuMsPerCall: gpu,
    compileMs: comps.reduce((t, c) => t + c.compileMs.total, 0),
    peakBytes: Math.max(0, ...comps.map((c) => c.peakBytes)),
  };
}

/** Per line: each kernel's time per call split evenly among its lines, summed per side. */
function diffLines(
  kernels: KernelDiffEntry[],
  oldK: Map<string, SideKernel[]>,
  newK: Map<string, SideKernel[]>,
): LineDiffEntry[] {
  interface Acc {
    file: string;
    oldLine: number | null;
    newLine: number | null;
    old: Estimate[];
    now: Estimate[];
    oldKernels: number;
    newKernels: number;
    changes: Set<KernelChange>;
  }
  const lines = new Map<string, Acc>();
  const acc = (lineKey: string): Acc => {
    let a = lines.get(lineKey);
    if (!a) {
      const cut = lineKey.lastIndexOf(":");
      const file = lineKey.slice(0, cut);
      const l = lineKey.slice(cut + 1);
      const isOldOnly = l.startsWith("old");
      const num = Number(isOldOnly ? l.slice(3) : l);
      // A line in both runs gets its old number from the kernels' own atoms below.
      a = {
        file,
        oldLine: isOldOnly ? num : null,
        newLine: isOldOnly ? null : num,
        old: [],
        now: [],
        oldKernels: 0,
        newKernels: 0,
        changes: new Set(),
      };
      lines.set(lineKey, a);
    }
    return a;
  };
  const add = (scopes: Map<string, SideKernel[]>, fromOld: boolean) => {
    for (const list of scopes.values()) {
      for (const s of list) {
        for (const lk of s.lineKeys) {
          const a = acc(lk);
          if (fromOld) a.oldKernels++;
          else a.newKernels++;
          if (s.time)
            (fromOld ? a.old : a.now).push({
              ...s.time,
              median: s.time.median / s.lineKeys.length,
              low: s.time.low / s.lineKeys.length,
              high: s.time.high / s.lineKeys.length,
            });
        }
      }
    }
  };
  add(oldK, true);
  add(newK, false);
  // Old line numbers for lines that exist in both runs: read back from the kernels' own atoms.
  for (const list of oldK.values()) {
    for (const s of list) {
      s.atoms.forEach((atom, i) => {
        const key = s.keys[i]!;
        const a = lines.get(key.slice(0, key.lastIndexOf(":")));
        if (a && a.oldLine === null) a.oldLine = atom.line;
      });
    }
  }
  for (const k of kernels) {
    if (k.change === "same") continue;
    for (const l of k.lines) lines.get(`${k.file}:${l}`)?.changes.add(k.change);
  }
  return [...lines.values()]
    .map((a) => {
      const gpu = measuredDelta(a.oldKernels ? sumOf(a.old) : null, a.newKernels ? sumOf(a.now) : null);
      const changes = [...a.changes];
      return {
        file: a.file,
        oldLine: a.oldLine,
        newLine: a.newLine,
        gpuMsPerCall: gpu,
        kernels: countDelta(a.oldKernels, a.newKernels),
        changes,
        significant: changes.length > 0 || isSignificant(gpu) || a.oldKernels !== a.newKernels,
      };
    })
    .sort((x, y) =>
      x.file === y.file ? (x.newLine ?? x.oldLine ?? 0) - (y.newLine ?? y.oldLine ?? 0) : x.file < y.file ? -1 : 1,
    );
}
