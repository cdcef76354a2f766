// Runs layouts in web workers started from Blob URLs of their bundled sources, and answers only
// the latest request, so stepping quickly through passes never shows a stale layout. Big graphs
// go to the small layered worker (started at once); small ones to the ELK worker (started on
// first need). If a worker cannot start or its layout throws, the fast layered layout runs on the
// page instead, and if that throws too, the grid of simpleLayout.ts: the caller gets a drawing
// always, with the failures met on the way, to show rather than swallow.

import elkWorkerSource from "jitscope:worker-source/elkWorker";
import layeredWorkerSource from "jitscope:worker-source/layeredWorker";
import { onPage } from "./fallback.js";
import { chooseEngine, type LayoutEngine, type LayoutInput, type LayoutOutcome, type LayoutResponse } from "./types.js";

const SOURCES: Record<LayoutEngine, string> = { elk: elkWorkerSource, layered: layeredWorkerSource };

export class LayoutClient {
  private readonly workers = new Map<LayoutEngine, Worker | null>();
  private seq = 0;
  private readonly pending = new Map<number, (r: LayoutResponse) => void>();

  constructor() {
    this.worker("layered");
  }

  /** Lays out `input`; resolves null when a newer request superseded this one. */
  async layout(input: LayoutInput): Promise<LayoutOutcome | null> {
    const seq = ++this.seq;
    const engine = chooseEngine(input);
    const worker = this.worker(engine);
    if (!worker) return onPage(input, []);
    const res = await new Promise<LayoutResponse>((resolve) => {
      this.pending.set(seq, resolve);
      worker.postMessage({ seq, input, engine });
    });
    if (seq !== this.seq) return null;
    return res.ok ? { result: res.result, failures: [] } : onPage(input, [`${engine} layout: ${res.error}`]);
  }

  private worker(engine: LayoutEngine): Worker | null {
    if (this.workers.has(engine)) return this.workers.get(engine)!;
    let w: Worker | null = null;
    try {
      w = new Worker(URL.createObjectURL(new Blob([SOURCES[engine]], { type: "text/javascript" })));
      w.onmessage = (ev: MessageEvent<LayoutResponse>) => {
        const done = this.pending.get(ev.data.seq);
        this.pending.delete(ev.data.seq);
        done?.(ev.data);
      };
      w.onerror = () => this.fail(engine);
    } catch {
      w = null;
    }
    this.workers.set(engine, w);
    return w;
  }

  /** A worker died: answer what it owed with errors (the page then lays out itself) and stop using it. */
  private fail(engine: LayoutEngine): void {
    for (const [seq, done] of this.pending) done({ seq, ok: false, error: `${engine} layout worker failed` });
    this.pending.clear();
    this.workers.get(engine)?.terminate();
    this.workers.set(engine, null);
  }
}
