// The small worker for big graphs: only the fast layered layout, so it starts in milliseconds
// (the ELK worker carries 1.6 MB of compiled Java and is started only when a small graph needs it).

import { layeredLayout } from "./layeredLayout.js";
import type { LayoutRequest, LayoutResult } from "./types.js";
import { serveLayouts } from "./workerMain.js";

export async function runLayered(req: LayoutRequest): Promise<LayoutResult> {
  const t0 = performance.now();
  return { ...layeredLayout(req.input), engine: "layered", ms: performance.now() - t0 };
}

serveLayouts(runLayered);
