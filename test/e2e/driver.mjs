// Our driver for a real VS Code 1.100 (code-server) in headless Chromium, on the recipe of
// ../shared/vscode-e2e. We reuse its workbench helpers (openWorkbench: palette, files, hovers,
// webviews) and start code-server ourselves so a test can turn Workspace Trust on.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RIG = process.env.JITSCOPE_E2E_RIG ?? path.resolve(ROOT, "../shared/vscode-e2e/vscode-e2e.mjs");
const rig = await import(RIG);
export const { DEFAULT_SETTINGS, CODE_SERVER_BIN, freePort, installExtension, openWorkbench, collectLogs } = rig;

export const SHOTS = path.join(ROOT, "test-artifacts", "e2e");

/**
 * The packaged extension for this machine's platform: `npm run test:e2e` writes every platform's
 * package once (`npm run package:all`, which checks each one's contents) and the tests install
 * this platform's; a test run on its own packages it here.
 */
export function packageVsix() {
  const target = `${process.platform}-${process.arch}`;
  const vsix = path.join(ROOT, `jitscope-${target}.vsix`);
  if (!process.env.JITSCOPE_E2E_REUSE_VSIX || !fs.existsSync(vsix)) {
    execFileSync("npm", ["run", "-s", "package", "--", "--out", vsix], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    });
  }
  if (!fs.existsSync(vsix)) throw new Error(`npm run package did not write ${vsix}`);
  return vsix;
}

/** A folder with nothing in it but the given files (copied from the repo or written inline). */
export function makeWorkspace(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jitscope-e2e-ws-"));
  for (const [name, content] of Object.entries(files)) {
    const src = typeof content === "string" && content.startsWith("repo:") ? path.join(ROOT, content.slice(5)) : null;
    fs.writeFileSync(path.join(dir, name), src ? fs.readFileSync(src) : content);
  }
  return dir;
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts code-server (Workspace Trust on when `trust` is "untrusted"), opens the workbench. */
export async function launchVsCode({
  extensions,
  workspace,
  trust = "disabled",
  settings = {},
  shotsDir = SHOTS,
  viewport = { width: 1680, height: 1000 },
}) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "jitscope-e2e-run-"));
  const dirs = {
    run: runDir,
    userData: path.join(runDir, "user-data"),
    ext: path.join(runDir, "extensions"),
    config: path.join(runDir, "config.yaml"),
    log: path.join(runDir, "code-server.log"),
  };
  fs.mkdirSync(path.join(dirs.userData, "User"), { recursive: true });
  fs.mkdirSync(dirs.ext, { recursive: true });
  fs.writeFileSync(dirs.config, "auth: none\ncert: false\n");
  const trustSettings =
    trust === "untrusted"
      ? {
          "security.workspace.trust.enabled": true,
          "security.workspace.trust.startupPrompt": "never",
          "security.workspace.trust.untrustedFiles": "open",
        }
      : {};
  fs.writeFileSync(
    path.join(dirs.userData, "User", "settings.json"),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...trustSettings, ...settings }, null, 2),
  );
  const installed = extensions.map((e) =>
    installExtension(e, { extDir: dirs.ext, userDataDir: dirs.userData, configFile: dirs.config }),
  );
  const port = await freePort();
  const args = [
    CODE_SERVER_BIN,
    "--config",
    dirs.config,
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--auth",
    "none",
    "--user-data-dir",
    dirs.userData,
    "--extensions-dir",
    dirs.ext,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-getting-started-override",
    "--disable-file-downloads",
    "--ignore-last-opened",
  ];
  if (trust !== "untrusted") args.push("--disable-workspace-trust");
  const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR || "/tmp" };
  delete env.VSCODE_IPC_HOOK_CLI;
  const t0 = Date.now();
  const logFd = fs.openSync(dirs.log, "a");
  const proc = spawn(process.execPath, args, { env, detached: true, stdio: ["ignore", logFd, logFd] });
  fs.closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.exitCode !== null)
      throw new Error(`code-server exited ${proc.exitCode}:\n${fs.readFileSync(dirs.log, "utf8")}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() - t0 > 60000) throw new Error("code-server did not listen within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(-proc.pid, "SIGTERM");
    } catch {
      /* gone */
    }
    for (let i = 0; i < 30 && groupAlive(proc.pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(proc.pid)) {
      try {
        process.kill(-proc.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  };
  process.once("exit", () => {
    if (!stopped) {
      try {
        process.kill(-proc.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  });
  const server = {
    url,
    port,
    dirs,
    proc,
    timings: { spawn: t0 },
    installed,
    workspace,
    stop,
    extHostLog: () => collectLogs(dirs.userData, /exthost|remoteexthost|output_logging/),
  };
  try {
    const vs = await openWorkbench(server, { shotsDir, folder: workspace, viewport });
    return vs;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Command lines of running processes (to prove a cancelled child is gone). */
export function processLines() {
  return execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" }).split("\n");
}
