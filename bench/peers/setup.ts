// The peers find WebGPU as a browser gives it, at navigator.gpu: in Node it is Dawn's GPU object
// from the npm `webgpu` package (the same Dawn and adapter our runtime gets in
// backend/webgpuDevice.ts; each framework then requests its own device from it). Import this
// module before the peers start.

import { create, globals } from "webgpu";

Object.assign(globalThis, globals);
const gpu = create([]);
// Kept reachable for the life of the process (see backend/webgpuDevice.ts: Dawn crashes if its
// GPU object is collected while a device lives).
export const peerGpu: GPU = gpu;
const nav = (globalThis as { navigator?: object }).navigator;
if (nav) Object.defineProperty(nav, "gpu", { value: gpu, configurable: true });
else (globalThis as { navigator?: object }).navigator = { gpu, userAgent: "node", hardwareConcurrency: 2 };
