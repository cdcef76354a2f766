// The ELK layout worker (ELK layered with compound clusters, for graphs up to ELK_NODE_LIMIT;
// it also answers "layered" requests). Bundled as text into dist/webview.js and started from a
// Blob URL: the webview may load one script only, the standalone page has no files beside it.

import ELK from "elkjs/lib/elk.bundled.js";
import { fromElkLayout, toElkGraph } from "./elkGraph.js";
import { layeredLayout } from "./layeredLayout.js";
import type { LayoutRequest, LayoutResult } from "./types.js";
import { serveLayouts } from "./workerMain.js";

const elk = new ELK();

export async function runLayout(req: LayoutRequest): Promise<LayoutResult> {
  const t0 = performance.now();
  if (req.engine === "layered") return { ...layeredLayout(req.input), engine: "layered", ms: performance.now() - t0 };
  const laid = await elk.layout(toElkGraph(req.input));
  const flat = fromElkLayout(laid, new Set(req.input.clusters.map((c) => c.id)));
  return { ...flat, engine: "elk", ms: performance.now() - t0 };
}

serveLayouts(runLayout);
