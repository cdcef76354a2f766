// fuse's decisions on the scaling bench's programs, as plain data: every kernel's kind, ops (by
// equation id), reason, and every boundary. fuseGolden.test.ts compares them with the snapshot
// in golden/ (taken from the one-split-per-round algorithm before fuse was made near-linear; the
// AdamW step's from the sweep that rebuilt every kernel before each count, before it read counts
// from an older build); `node --import tsx test/unit/jit/fuseGolden.ts` rewrites that snapshot.
import { writeFileSync } from "node:fs";
import { config, jit } from "../../../runtime/src/index.js";
import { generated, gptAdamwStep, gptStep } from "../../../bench/scalingPrograms.js";
import { forceSubgroupFallback } from "../../../runtime/src/codegen/subgroupSupport.js";
import { setSplitMinElements } from "../../../runtime/src/passes/fuseSplitReductions.js";

export const GOLDEN_PATH = new URL("./golden/fuseDecisions.json", import.meta.url);

/** Decisions as on a device without subgroups and without split whole-array reductions (the
 *  same on every machine): the row-local merge and the split that a hardware adapter adds on top
 *  are checked in test/unit/codegen/rowFused.test.ts and reductionMultiWorkgroup.test.ts. */
export async function fuseDecisions(): Promise<Record<string, unknown>> {
  config({ backend: "cpu" });
  const was = forceSubgroupFallback(true);
  const split = setSplitMinElements(Infinity);
  try {
    return await decisions();
  } finally {
    forceSubgroupFallback(was);
    setSplitMinElements(split);
  }
}

async function decisions(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, make] of [
    ["gen-30b", () => generated(30)],
    ["gpt-step", gptStep],
    ["gpt-adamw-step", gptAdamwStep],
  ] as const) {
    const { f, args } = make();
    const lo = await jit(f as (...a: never[]) => unknown, { name }).lower(...(args as never[]));
    out[name] = {
      kernels: lo.fusion.decisions.map((d) => ({ kind: d.kind, ops: d.ops, reason: d.reason })),
      boundaries: lo.fusion.boundaries.map((b) => [b.from, b.to, b.fromKernel, b.toKernel, b.rule, b.reason]),
    };
  }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  writeFileSync(GOLDEN_PATH, JSON.stringify(await fuseDecisions(), null, 0).replace(/\],\[/g, "],\n[") + "\n");
}
