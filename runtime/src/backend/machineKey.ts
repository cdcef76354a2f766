// The key of this machine's measurement caches (the calibration's peaks, the autotuner's
// winners). A hardware adapter's description names the GPU, which sets those figures. A software
// adapter's names only Mesa and LLVM: its speed is the host CPU's, which can change under the
// same description (a VM moved to another host: on 2026-12-02 this project's VM went to an
// AVX-512 CPU and its copy bandwidth changed; a home directory shared between machines). So a
// software adapter's key adds the CPU model and the number of cores.

import { cpus } from "node:os";

export interface HostCpu {
  readonly model: string;
  readonly cores: number;
}

export function hostCpu(): HostCpu {
  const all = cpus();
  return { model: (all[0]?.model ?? "unknown CPU").trim(), cores: all.length };
}

export function machineCacheKey(description: string, software: boolean, cpu: HostCpu = hostCpu()): string {
  return software ? `${description} · ${cpu.model} ×${cpu.cores}` : description;
}
