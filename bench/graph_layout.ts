// Benchmark (not a test): a 5,000-op graph laid out and rendered by the panel in headless
// Chromium, from the standalone page, timed from the report being read to the SVG drawn.
// Target (issue 7): under 2 s. Medians over BENCH_RUNS fresh pages (default 3). `node --import tsx bench/graph_layout.ts [ops…]` after
// `npm run build`; writes bench/results/graph_layout.md.

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, writeStandalonePage } from "../test/webview/standalonePage.js";
import { largeReport } from "../test/unit/webview/fixtures.js";

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const shots = join(process.cwd(), "test-artifacts", "webview");
const dir = mkdtempSync(join(tmpdir(), "jitscope-graph-bench-"));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const lines = [
  "| ops | nodes drawn | engine | layout ms (in worker) | draw ms | request→drawn ms | request→painted ms | load→painted ms | runs |",
  "|---|---|---|---|---|---|---|---|---|",
];

for (const ops of sizes.length ? sizes : [300, 1000, 5000]) {
  const file = writeStandalonePage(join(dir, `graph-${ops}.html`), largeReport(ops));
  const layoutMs: number[] = [];
  const workerMs: number[] = [];
  const drawMs: number[] = [];
  const paintedMs: number[] = [];
  const totalMs: number[] = [];
  let engine = "";
  let nodes = 0;
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("#view-graph[data-state=rendered]", { timeout: 120_000 });
    const r = await page.evaluate(async () => {
      const v = document.getElementById("view-graph")!;
      // Two frames: the drawing has been styled, laid out and painted.
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      const painted = performance.now();
      return {
        paintedMs: painted - Number(v.dataset.requestAt),
        drawMs: Number(v.dataset.drawMs),
        workerMs: Number(v.dataset.layoutMs),
        renderMs: Number(v.dataset.renderMs),
        engine: v.dataset.layoutEngine ?? "",
        nodes: document.querySelectorAll(".jit-node").length,
        sinceLoad: painted,
      };
    });
    layoutMs.push(r.renderMs);
    workerMs.push(r.workerMs);
    drawMs.push(r.drawMs);
    paintedMs.push(r.paintedMs);
    if (run === 0 && ops >= 5000) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, `graph-${ops}-fit.png`) });
      // Zoom in on the top of the graph: labels appear for the nodes in view.
      await page.mouse.move(700, 200);
      for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -400);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(shots, `graph-${ops}-zoomed.png`) });
    }
    totalMs.push(r.sinceLoad);
    engine = r.engine;
    nodes = r.nodes;
    await page.close();
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const row = `| ${ops} | ${nodes} | ${engine} | ${median(workerMs).toFixed(0)} | ${median(drawMs).toFixed(0)} | ${median(layoutMs).toFixed(0)} | ${median(paintedMs).toFixed(0)} | ${median(totalMs).toFixed(0)} | ${RUNS} |`;
  console.log(row);
  lines.push(row);
}
await browser.close();
const out = join(process.cwd(), "bench", "results");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "graph_layout.md"),
  `# Graph layout + render, headless Chromium (${cpus().length} cores, ${new Date().toISOString()})\n\n${lines.join("\n")}\n`,
);
