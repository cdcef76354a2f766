// A WebGPU array's storage: a pooled buffer (null once freed).

import type { Aval } from "../ir/types.js";
import type { DeviceArray } from "./backend.js";

export class GpuArray implements DeviceArray {
  readonly backend = "webgpu" as const;
  constructor(
    readonly aval: Aval,
    public buffer: GPUBuffer | null,
  ) {}
}
