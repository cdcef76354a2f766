// The message loop shared by both layout workers: answer each LayoutRequest with a LayoutResult.

import type { LayoutRequest, LayoutResponse, LayoutResult } from "./types.js";

declare const self: DedicatedWorkerGlobalScope;

/** Installs `run` as the worker's handler; does nothing outside a worker (tests import the modules). */
export function serveLayouts(run: (req: LayoutRequest) => Promise<LayoutResult>): void {
  if (typeof self === "undefined" || typeof self.postMessage !== "function" || typeof window !== "undefined") return;
  self.onmessage = async (ev: MessageEvent<LayoutRequest>) => {
    const req = ev.data;
    let res: LayoutResponse;
    try {
      res = { seq: req.seq, ok: true, result: await run(req) };
    } catch (err) {
      res = { seq: req.seq, ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    self.postMessage(res);
  };
}
