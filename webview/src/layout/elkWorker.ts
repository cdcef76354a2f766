// The layout web worker: answers LayoutRequests with LayoutResults so the panel never freezes
// while a graph is laid out. Bundled as text into dist/webview.js and started from a Blob URL
// (the webview may load one script only; the standalone page has no files beside it).

import ELK from "elkjs/lib/elk.bundled.js";
import { fromElkLayout, toElkGraph } from "./elkGraph.js";
import { layeredLayout } from "./layeredLayout.js";
import type { LayoutRequest, LayoutResponse, LayoutResult } from "./types.js";

const elk = new ELK();

export async function runLayout(req: LayoutRequest): Promise<LayoutResult> {
  const t0 = performance.now();
  if (req.engine === "layered") return { ...layeredLayout(req.input), engine: "layered", ms: performance.now() - t0 };
  const laid = await elk.layout(toElkGraph(req.input));
  const flat = fromElkLayout(laid, new Set(req.input.clusters.map((c) => c.id)));
  return { ...flat, engine: "elk", ms: performance.now() - t0 };
}

declare const self: DedicatedWorkerGlobalScope;
if (typeof self !== "undefined" && typeof self.postMessage === "function" && typeof window === "undefined") {
  self.onmessage = async (ev: MessageEvent<LayoutRequest>) => {
    const req = ev.data;
    let res: LayoutResponse;
    try {
      res = { seq: req.seq, ok: true, result: await runLayout(req) };
    } catch (err) {
      res = { seq: req.seq, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    self.postMessage(res);
  };
}
