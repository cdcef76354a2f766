// Which backend runs eager ops. WebGPU (Dawn) when an adapter exists, else the CPU reference
// with one clear notice on stderr; JITSCOPE_REQUIRE_WEBGPU=1 makes a missing adapter an error.
// `config({ backend })` switches at any time; arrays keep the backend that holds them.
//
// The WebGPU backend is loaded with a dynamic import so a machine without Dawn still runs.

import { getConfig } from "../config.js";
import { JitScopeError } from "../ir/errors.js";
import type { BackendName } from "@jitscope/contract";
import type { Backend } from "./backend.js";
import { createCpuBackend, type CpuBackend } from "./cpu.js";
import { eagerSiteNotes } from "./eagerSite.js";
import { recorder } from "../profile/recorder.js";

let cpu: CpuBackend | null = null;
let webgpu: Backend | null = null;
/** Why WebGPU is unavailable, once we tried; null before trying or on success. */
let webgpuFailure: string | null = null;
let webgpuInit: Promise<Backend | null> | null = null;
let noticePrinted = false;

export function cpuBackend(): CpuBackend {
  return (cpu ??= createCpuBackend(recorder));
}

/** Loads Dawn and asks for an adapter (once). Resolves to null when there is none. */
export function initWebGpu(): Promise<Backend | null> {
  return (webgpuInit ??= tryWebGpu());
}

async function tryWebGpu(): Promise<Backend | null> {
  try {
    webgpu = await loadWebGpuBackend();
    return webgpu;
  } catch (e) {
    // First line only (no location), without repeating the notice's own words.
    const message = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
    webgpuFailure = message.replace(/^no WebGPU adapter:\s*/, "");
    return null;
  }
}

/** backend/webgpu.ts, loaded on demand: Dawn is a native addon the CPU path never needs. */
async function loadWebGpuBackend(): Promise<Backend> {
  const { createWebGpuBackend } = await import("./webgpu.js");
  return createWebGpuBackend(recorder);
}

/** Prepares the configured backend; index.ts awaits this once at load. */
export async function initBackends(): Promise<void> {
  if (getConfig().backend === "webgpu") await initWebGpu();
  if (getConfig().backend === "webgpu" && !webgpu) fallBack();
  if (getConfig().backend === "cpu" || !webgpu) describeCpuDevice();
}

/** Tells the report that times are host times of the CPU reference (and why, on a fallback). */
function describeCpuDevice(): void {
  const notes = webgpuFailure
    ? [`no WebGPU adapter (${webgpuFailure}): ran on the CPU reference backend`]
    : ["JITSCOPE_BACKEND=cpu: ran on the CPU reference backend"];
  recorder.setDeviceInfo({
    backend: "cpu",
    adapter: cpuBackend().description,
    timestampQuery: false,
    notes: [...notes, ...eagerSiteNotes()],
  });
}

function fallBack(): void {
  const reason = webgpuFailure ?? "not initialised";
  if (getConfig().requireWebgpu) {
    throw new JitScopeError("backend", `JIT Scope: no WebGPU adapter (${reason}) and JITSCOPE_REQUIRE_WEBGPU=1`, null);
  }
  if (!noticePrinted) {
    noticePrinted = true;
    process.stderr.write(`JIT Scope: no WebGPU adapter (${reason}): running on the CPU backend\n`);
  }
}

/** The backend new eager ops run on. */
export function currentBackend(): Backend {
  const want = getConfig().backend;
  if (want === "cpu") return cpuBackend();
  if (webgpu) return webgpu;
  if (webgpuInit === null) {
    throw new JitScopeError(
      "backend",
      `the WebGPU backend was not initialised (the runtime started with JITSCOPE_BACKEND=cpu); ` +
        `call \`await initWebGpu()\` before config({ backend: "webgpu" })`,
    );
  }
  fallBack();
  return cpuBackend();
}

/** A backend by name (for explicit moves: `await x.to("cpu")`). */
export function getBackend(name: BackendName): Backend {
  if (name === "cpu") return cpuBackend();
  if (webgpu) return webgpu;
  throw new JitScopeError("backend", `the WebGPU backend is not available (${webgpuFailure ?? "not initialised"})`);
}

/** Whether WebGPU is up, and if not, why (for tests and the report). */
export function webGpuStatus(): { available: boolean; reason: string | null } {
  return { available: webgpu !== null, reason: webgpu ? null : webgpuFailure };
}
