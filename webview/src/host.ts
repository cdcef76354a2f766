// The page's link to whoever shows it: the VS Code extension (acquireVsCodeApi, messages both
// ways, setState), or nothing at all in the standalone HTML report, where actions that would
// open an editor are answered on the page itself.

import type { PanelToHost } from "@jitscope/contract";

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface PanelHost {
  /** False in the standalone page: no editor to open things in. */
  readonly inEditor: boolean;
  post(message: PanelToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export function connectHost(): PanelHost {
  if (typeof acquireVsCodeApi === "function") {
    const api = acquireVsCodeApi();
    return {
      inEditor: true,
      post: (m) => api.postMessage(m),
      getState: () => api.getState(),
      setState: (s) => api.setState(s),
    };
  }
  let saved: unknown;
  return {
    inEditor: false,
    post: () => undefined,
    getState: () => saved,
    setState: (s) => {
      saved = s;
    },
  };
}
