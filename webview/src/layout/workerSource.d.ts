// The layout workers' bundled sources, provided as text by the webview build (esbuild.mjs).
declare module "jitscope:worker-source/elkWorker" {
  const source: string;
  export default source;
}
declare module "jitscope:worker-source/layeredWorker" {
  const source: string;
  export default source;
}
