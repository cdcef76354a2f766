// The most storage buffers one kernel may bind on the attached device. Fusion plans its kernels
// for WebGPU's default of 8 (passes/fuse.ts STORAGE_BUFFER_LIMIT), so a program lowers alike on
// every device; row kernels, made only where the device has subgroups, merge up to the device's
// own limit (a GPT block's layer-norm backward binds 10 on lavapipe, which allows 16). The WebGPU
// backend sets it when it attaches; the device is created with the adapter's limit.

/** WebGPU's default maxStorageBuffersPerShaderStage. */
export const DEFAULT_STORAGE_BUFFER_LIMIT = 8;

let deviceLimit = DEFAULT_STORAGE_BUFFER_LIMIT;

export function setDeviceStorageBufferLimit(limit: number): void {
  deviceLimit = Math.max(DEFAULT_STORAGE_BUFFER_LIMIT, limit);
}

/** The attached device's maxStorageBuffersPerShaderStage (8 before a device attaches). */
export function deviceStorageBufferLimit(): number {
  return deviceLimit;
}
