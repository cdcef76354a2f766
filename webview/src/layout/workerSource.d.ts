// The layout worker's bundled source, provided as text by the webview build (esbuild.mjs).
declare module "jitscope:layout-worker-source" {
  const source: string;
  export default source;
}
