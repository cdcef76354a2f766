// Getting a WebGPU device from Dawn (npm `webgpu`), with the features and limits our kernels
// use: timestamp queries when the adapter has them, and the adapter's full storage limits.

import { JitScopeError } from "../ir/errors.js";
import { getConfig } from "../config.js";
import { machineCacheKey } from "./machineKey.js";

export interface GpuContext {
  readonly device: GPUDevice;
  readonly description: string;
  /** What the calibration and autotune caches are keyed by (machineKey.ts). */
  readonly cacheKey: string;
  readonly timestampQuery: boolean;
  readonly maxStorageBuffers: number;
  /** A CPU implementation (lavapipe, SwiftShader): timestamps cost more there. */
  readonly software: boolean;
  /** The device has the "subgroups" feature (row reductions combine lanes with subgroupAdd). */
  readonly subgroups: boolean;
  /** The adapter's smallest subgroup size (0 when unknown or without subgroups). */
  readonly subgroupMinSize: number;
  /** Its largest subgroup size (0 when unknown or without subgroups). */
  readonly subgroupMaxSize: number;
}

// Dawn's GPU object must outlive every device: if V8 collects it, Dawn's event processing
// dereferences the freed instance and the process crashes (seen on lavapipe while a slow
// shader compiles). Keep it reachable for the life of the process.
const keepAlive: GPU[] = [];

/** Dawn's instance flags. Dawn rounds timestamps to 65.5 µs by default, as a browser must against
 *  timing attacks; a profiler of the user's own program needs the device's own resolution (~1 ns
 *  on lavapipe and NVIDIA), so kernels shorter than the rounding need no batching
 *  (backend/timingPolicy.ts). `quantized` keeps the rounding. */
export function dawnFlags(quantized: boolean): string[] {
  return quantized ? [] : ["disable-dawn-features=timestamp_quantization"];
}

export async function acquireDevice(): Promise<GpuContext> {
  if (typeof process !== "undefined" && !process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = "/tmp";
  let mod: typeof import("webgpu");
  try {
    mod = await import("webgpu");
  } catch (e) {
    throw new JitScopeError(
      "backend",
      `cannot load Dawn (npm "webgpu"): ${e instanceof Error ? e.message : String(e)}`,
      null,
    );
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create(dawnFlags(getConfig().timestampQuantization));
  keepAlive.push(gpu);
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new JitScopeError(
      "backend",
      "no WebGPU adapter: Dawn found no GPU driver (on headless Linux install Mesa's lavapipe: mesa-vulkan-drivers, libvulkan1)",
      null,
    );
  }
  const timestampQuery = adapter.features.has("timestamp-query");
  const lim = adapter.limits;
  const subgroups = adapter.features.has("subgroups");
  const features: GPUFeatureName[] = [];
  if (timestampQuery) features.push("timestamp-query");
  if (subgroups) features.push("subgroups" as GPUFeatureName);
  const device = await adapter.requestDevice({
    requiredFeatures: features,
    requiredLimits: {
      maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: lim.maxComputeWorkgroupSizeX,
      // A scan binds row t of its stacked xs / ys at a dynamic offset (webgpuLoop.ts): the
      // adapter's finer offset alignment makes more row sizes bindable in place.
      minStorageBufferOffsetAlignment: lim.minStorageBufferOffsetAlignment,
      maxDynamicStorageBuffersPerPipelineLayout: lim.maxDynamicStorageBuffersPerPipelineLayout,
    },
  });
  const info = adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  const parts = [info.description || info.device || "unknown adapter", info.vendor, info.architecture].filter((s) => s);
  const description = parts.join(" · ");
  const software = /llvmpipe|lavapipe|swiftshader|software/i.test(description);
  return {
    device,
    description,
    cacheKey: machineCacheKey(description, software),
    software,
    timestampQuery,
    subgroups: subgroups && device.features.has("subgroups"),
    subgroupMinSize: subgroups ? (info.subgroupMinSize ?? 0) : 0,
    subgroupMaxSize: subgroups ? (info.subgroupMaxSize ?? 0) : 0,
    maxStorageBuffers: lim.maxStorageBuffersPerShaderStage,
  };
}
