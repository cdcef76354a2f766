// Prints the WebGPU adapter Dawn finds (or says there is none). Used by .ci/run so the log
// shows which adapter the WebGPU tests really ran on.
import { create, globals } from "webgpu";
Object.assign(globalThis, globals);
const adapter = await create([]).requestAdapter();
if (!adapter) {
  console.log("WebGPU adapter: none (no Vulkan driver?)");
  process.exitCode = 1;
} else {
  const i = adapter.info;
  console.log(
    `WebGPU adapter: ${i.description || i.device} (vendor ${i.vendor}, ${i.architecture}); timestamp-query: ${adapter.features.has("timestamp-query")}`,
  );
}
