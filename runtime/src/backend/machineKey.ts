// The key of this machine's measurement caches (the calibration's peaks, the autotuner's
// winners). A hardware adapter's description names the GPU, which sets those figures. A software
// adapter's names only Mesa and LLVM: its speed is the host CPU's, which can change under the
// same description (a VM moved to another host: on 2026-12-02 this project's VM went to an
// AVX-512 CPU and its copy bandwidth changed; a home directory shared between machines). So a
// software adapter's key adds the CPU's model name, on Linux its family, model and vector width
// (the VM's model name reads "AMD EPYC" on either host), and the number of cores.

import { readFileSync } from "node:fs";
import { cpus } from "node:os";

export interface HostCpu {
  readonly model: string;
  readonly cores: number;
}

/** The first processor's family, model and widest vector extension from /proc/cpuinfo's text
 *  ("family 26 model 2, AVX-512"), or "" when it names none: a VM may report only "AMD EPYC" as
 *  the model name, the same before and after a move to another generation. */
export function cpuDetails(cpuinfo: string): string {
  const first = cpuinfo.split(/\n\s*\n/)[0] ?? "";
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(first)?.[1]?.trim();
  const family = field("cpu family");
  const model = field("model");
  const flags = new Set((field("flags") ?? "").split(/\s+/));
  const vector = flags.has("avx512f") ? "AVX-512" : flags.has("avx2") ? "AVX2" : "";
  return [family && model ? `family ${family} model ${model}` : "", vector].filter((p) => p).join(", ");
}

export function hostCpu(): HostCpu {
  const all = cpus();
  const name = (all[0]?.model ?? "unknown CPU").trim();
  let details = "";
  try {
    details = cpuDetails(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    // Not Linux: the model name alone.
  }
  return { model: details ? `${name} (${details})` : name, cores: all.length };
}

export function machineCacheKey(description: string, software: boolean, cpu: HostCpu = hostCpu()): string {
  return software ? `${description} · ${cpu.model} ×${cpu.cores}` : description;
}
