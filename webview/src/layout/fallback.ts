// Layout on the page when a worker cannot help: the layered layout, or the grid of last resort
// if that throws. DOM-free, so tests run it under Node.

import { layeredLayout } from "./layeredLayout.js";
import { simpleLayout } from "./simpleLayout.js";
import type { LayoutInput, LayoutOutcome } from "./types.js";

/** The layered layout on the page; the grid if that throws. Never throws. */
export function onPage(input: LayoutInput, failures: string[]): LayoutOutcome {
  const t0 = performance.now();
  try {
    return { result: { ...layeredLayout(input), engine: "layered", ms: performance.now() - t0 }, failures };
  } catch (err) {
    const why = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return {
      result: { ...simpleLayout(input), engine: "simple", ms: performance.now() - t0 },
      failures: [...failures, `layered layout: ${why}`],
    };
  }
}
