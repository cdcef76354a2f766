// Benchmark (not a test): the graph panel on big reports in headless Chromium, from the
// standalone page (the report embedded, the layout in its worker), medians over BENCH_RUNS fresh
// pages (default 3). Two inputs:
// - "train step": test/unit/webview/syntheticProgram.ts, a transformer step with nested name
//   stacks (trainStep/block/#k/attention, grad(loss)/…, adam/#k) and kernels of 1–20 ops, at
//   1k / 5k / 50k ops by default. Progressive: big programs open with their scopes closed.
// - "flat": largeReport (one scope, 8-op kernels), every op drawn, 300 / 1k / 5k ops.
// Measured, from the page's navigation start:
// - first picture: the first graph drawn and painted (report parsed, model, layout, SVG);
// - interactive: first picture, then the main thread free (a task posted after the paint runs);
// - expand: click the biggest closed scope, until its detail is drawn and painted.
// Targets (issue 13): 5,000 ops interactive within 2 s, 50,000 ops usable.
// `npm run build && node --import tsx bench/graph_layout.ts [trainstep|flat] [ops…]`; also run
// by `npm run bench`. Writes bench/results/graph_layout.md, screenshots to test-artifacts/webview.

import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";
import type { Report } from "@jitscope/contract";
import { CHROMIUM, CHROMIUM_ARGS, writeStandalonePage } from "../test/webview/standalonePage.js";
import { largeReport } from "../test/unit/webview/fixtures.js";
import { syntheticTrainStep } from "../test/unit/webview/syntheticProgram.js";

const args = process.argv.slice(2);
const kinds = args.filter((a) => a === "trainstep" || a === "flat");
const sizes = args.map(Number).filter((n) => n > 0);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const shots = join(process.cwd(), "test-artifacts", "webview");
const dir = mkdtempSync(join(tmpdir(), "jitscope-graph-bench-"));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

interface Sample {
  firstPicture: number;
  interactive: number;
  expand: number | null;
  layoutMs: number;
  engine: string;
  drawn: number;
}

/** Two frames after the graph says "rendered": styled, laid out and painted. */
async function painted(page: Page): Promise<number> {
  return page.evaluate(async () => {
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
    return performance.now();
  });
}

async function measure(file: string, shot: string | null): Promise<Sample> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 300_000 });
  const firstPicture = await painted(page);
  const interactive = await page.evaluate(
    () => new Promise<number>((ok) => setTimeout(() => ok(performance.now()), 0)),
  );
  const info = await page.evaluate(() => {
    const v = document.getElementById("view-graph")!;
    return {
      layoutMs: Number(v.dataset.layoutMs),
      engine: v.dataset.layoutEngine ?? "",
      drawn: document.querySelectorAll("#view-graph .jit-node").length,
    };
  });
  if (shot) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, `${shot}-fit.png`) });
  }
  // Open the biggest closed scope (data-ops: the ops inside it) and time its detail.
  const target = await page.evaluate(() => {
    let best: { id: string; ops: number } | null = null;
    for (const g of document.querySelectorAll<SVGGElement>("#view-graph .jit-node.kind-scope")) {
      const ops = Number(g.dataset.ops ?? 0);
      if (!best || ops > best.ops) best = { id: g.dataset.node ?? "", ops };
    }
    return best?.id ?? null;
  });
  let expand: number | null = null;
  if (target) {
    const t0 = await page.evaluate((id) => {
      const v = document.getElementById("view-graph")!;
      v.dataset.state = "waiting";
      const t = performance.now();
      document
        .querySelector(`#view-graph .jit-node[data-node="${CSS.escape(id)}"]`)!
        .dispatchEvent(new MouseEvent("click", { bubbles: true }));
      return t;
    }, target);
    await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 300_000 });
    expand = (await painted(page)) - t0;
    if (shot) await page.screenshot({ path: join(shots, `${shot}-expanded.png`) });
  }
  await page.close();
  return { firstPicture, interactive, expand, ...info };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const lines = [
  "| input | ops | kernels | report MB | drawn nodes | engine | layout ms (worker) | first picture ms | interactive ms | expand biggest scope ms | runs |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
];
const inputs: { kind: string; ops: number; make: (n: number) => Report }[] = [];
for (const kind of kinds.length ? kinds : ["trainstep", "flat"]) {
  const make = kind === "flat" ? largeReport : syntheticTrainStep;
  const defaults = kind === "flat" ? [300, 1000, 5000] : [1000, 5000, 50000];
  for (const ops of sizes.length ? sizes : defaults) inputs.push({ kind, ops, make });
}
for (const { kind, ops, make } of inputs) {
  const report = make(ops);
  const c = report.compilations[0]!;
  const opCount = c.passes.at(-1)!.graph.nodes.filter((n) => n.kind === "op").length;
  const file = writeStandalonePage(join(dir, `graph-${kind}-${ops}.html`), report);
  const samples: Sample[] = [];
  for (let run = 0; run < RUNS; run++)
    samples.push(await measure(file, run === 0 && ops >= 5000 ? `graph-${kind}-${ops}` : null));
  const expands = samples.map((s) => s.expand).filter((e): e is number => e !== null);
  const row = [
    kind === "flat" ? "flat" : "train step",
    opCount,
    c.kernels.length,
    (statSync(file).size / 1e6).toFixed(1),
    samples[0]!.drawn,
    samples[0]!.engine,
    median(samples.map((s) => s.layoutMs)).toFixed(0),
    median(samples.map((s) => s.firstPicture)).toFixed(0),
    median(samples.map((s) => s.interactive)).toFixed(0),
    expands.length ? median(expands).toFixed(0) : "–",
    RUNS,
  ];
  const line = `| ${row.join(" | ")} |`;
  console.log(line);
  lines.push(line);
}
await browser.close();
const out = join(process.cwd(), "bench", "results");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "graph_layout.md"),
  `# Graph panel on big reports, headless Chromium (${cpus().length} cores, ${new Date().toISOString()})\n\n${lines.join("\n")}\n`,
);
