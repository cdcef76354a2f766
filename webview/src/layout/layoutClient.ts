// Runs layouts in the web worker (started from a Blob URL of its bundled source) and answers
// only the latest request, so stepping quickly through passes never shows a stale layout. If a
// worker cannot start, the fast layered layout runs on the page instead.

import workerSource from "jitscope:layout-worker-source";
import { layeredLayout } from "./layeredLayout.js";
import { chooseEngine, type LayoutInput, type LayoutResponse, type LayoutResult } from "./types.js";

export class LayoutClient {
  private worker: Worker | null = null;
  private seq = 0;
  private pending = new Map<number, (r: LayoutResponse) => void>();

  constructor() {
    try {
      const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
      this.worker = new Worker(url);
      this.worker.onmessage = (ev: MessageEvent<LayoutResponse>) => {
        const done = this.pending.get(ev.data.seq);
        this.pending.delete(ev.data.seq);
        done?.(ev.data);
      };
      this.worker.onerror = () => this.failAll("layout worker failed");
    } catch {
      this.worker = null;
    }
  }

  /** Lays out `input`; resolves null when a newer request superseded this one. */
  async layout(input: LayoutInput): Promise<LayoutResult | null> {
    const seq = ++this.seq;
    const engine = chooseEngine(input);
    if (!this.worker) return this.onPage(input);
    const res = await new Promise<LayoutResponse>((resolve) => {
      this.pending.set(seq, resolve);
      this.worker!.postMessage({ seq, input, engine });
    });
    if (seq !== this.seq) return null;
    if (res.ok) return res.result;
    return this.onPage(input);
  }

  private onPage(input: LayoutInput): LayoutResult {
    const t0 = performance.now();
    return { ...layeredLayout(input), engine: "layered", ms: performance.now() - t0 };
  }

  private failAll(error: string): void {
    for (const [seq, done] of this.pending) done({ seq, ok: false, error });
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
  }
}
