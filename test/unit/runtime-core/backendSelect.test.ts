// Backend selection: JITSCOPE_BACKEND=cpu, config({ backend }) switching, the one-line notice
// when no WebGPU adapter exists, and JITSCOPE_REQUIRE_WEBGPU=1 turning that into an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import "../../../runtime/src/index.js";
import { arrayFromHost } from "../../../runtime/src/array.js";
import { config } from "../../../runtime/src/config.js";
import { cpuBackend, currentBackend, webGpuStatus } from "../../../runtime/src/backend/select.js";
import { bind1, lit } from "../../../runtime/src/trace/core.js";

const probe = fileURLToPath(new URL("./fixtures/backendProbe.ts", import.meta.url));
const lateProbe = fileURLToPath(new URL("./fixtures/lateWebGpuProbe.ts", import.meta.url));
const NOTICE = /^JIT Scope: no WebGPU adapter \(.+\): running on the CPU backend$/;

function runProbe(env: Record<string, string>, script = probe) {
  const base = { ...process.env };
  delete base.JITSCOPE_BACKEND;
  delete base.JITSCOPE_REQUIRE_WEBGPU;
  const r = spawnSync(process.execPath, ["--import", "tsx", script], {
    env: { ...base, XDG_RUNTIME_DIR: "/tmp", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  const stderrLines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, stderrLines };
}

// No Vulkan driver for Dawn to find: the machine without a GPU driver.
const NO_ADAPTER_ENV = { VK_ICD_FILENAMES: "/nonexistent/icd.json", VK_DRIVER_FILES: "/nonexistent/icd.json" };

test("JITSCOPE_BACKEND=cpu runs on the CPU backend without any notice", () => {
  const r = runProbe({ JITSCOPE_BACKEND: "cpu" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    first: { backend: "cpu", value: [2, 3] },
    afterSwitch: { backend: "cpu", value: [6] },
  });
  assert.deepEqual(r.stderrLines, []);
});

test("no WebGPU adapter: ops run on the CPU backend after one clear notice on stderr", () => {
  const r = runProbe(NO_ADAPTER_ENV);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).first, { backend: "cpu", value: [2, 3] });
  // Dawn may print its own Vulkan warnings; ours is one line, printed once.
  const ours = r.stderrLines.filter((l) => l.startsWith("JIT Scope:"));
  assert.equal(ours.length, 1, r.stderr);
  assert.match(ours[0]!, NOTICE);
});

test("no WebGPU adapter with JITSCOPE_REQUIRE_WEBGPU=1 is an error, not a fallback", () => {
  const r = runProbe({ ...NO_ADAPTER_ENV, JITSCOPE_REQUIRE_WEBGPU: "1" });
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /no WebGPU adapter .*JITSCOPE_REQUIRE_WEBGPU=1/);
});

test("config({ backend }) switches where new ops run; arrays keep their backend", async () => {
  const prev = config({ backend: "cpu" });
  try {
    assert.equal(currentBackend(), cpuBackend());
    const a = arrayFromHost([1, 2], [2], "float32");
    assert.equal(a.backend.name, "cpu");
    config({ backend: "webgpu" });
    if (!webGpuStatus().available) {
      // Fallback: still the CPU backend, still correct.
      assert.equal(currentBackend().name, "cpu");
      return;
    }
    assert.equal(currentBackend().name, "webgpu");
    // A CPU array used by a WebGPU op is copied over; the result lives on WebGPU.
    const b = bind1("add", {}, [a, lit(1, "float32")]);
    assert.equal((b as typeof a).backend.name, "webgpu");
    assert.deepEqual(await b.toArray(), [2, 3]);
    assert.equal(a.backend.name, "cpu");
    // A WebGPU array is not silently read back for a CPU op: it must be moved explicitly.
    config({ backend: "cpu" });
    assert.throws(() => bind1("neg", {}, [b]), /lives on the webgpu backend .*await x\.to\("cpu"\)/);
    const moved = await (b as typeof a).to("cpu");
    assert.deepEqual(await bind1("neg", {}, [moved]).toArray(), [-2, -3]);
  } finally {
    config(prev);
  }
});

test("started on the CPU, WebGPU must be initialised before switching to it, then it runs there", () => {
  const r = runProbe({ JITSCOPE_BACKEND: "cpu" }, lateProbe);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { error: string; initialised: boolean; backend: string; value: number[] };
  assert.match(out.error, /WebGPU backend was not initialised .*await initWebGpu\(\)/);
  assert.deepEqual(out.value, [2]);
  // With an adapter the op runs on WebGPU; without one, on the CPU after the notice.
  assert.equal(out.backend, out.initialised ? "webgpu" : "cpu");
  if (process.env.JITSCOPE_REQUIRE_WEBGPU === "1") assert.equal(out.initialised, true);
});

test("config rejects an unknown backend name", () => {
  assert.throws(() => config({ backend: "metal" as "cpu" }), /backend must be "webgpu" or "cpu"/);
});
