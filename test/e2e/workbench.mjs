// What the scenarios read off the VS Code workbench (beyond the rig's palette/hover/webview
// helpers): notifications, CodeLens titles, the cursor line, the Problems panel, and the reports
// the extension wrote. Every wait is on a condition, with generous limits (2 shared cores).
import fs from "node:fs";
import path from "node:path";

export const LONG = 240_000;

/** Dismisses every notification, so the next wait only sees what the next step shows. */
export async function clearNotifications(vs) {
  await vs.runCommand("Notifications: Clear All Notifications");
  await vs.page
    .locator(".notifications-toasts .notification-list-item")
    .first()
    .waitFor({ state: "detached", timeout: 10_000 })
    .catch(() => {});
}

/** Waits for a toast whose message matches `re`; returns its text. */
export async function waitToast(vs, re, timeout = LONG) {
  const loc = vs.page.locator(".notifications-toasts .notification-list-item-message", { hasText: re }).first();
  await loc.waitFor({ timeout });
  await vs.page.waitForTimeout(400); // slide-in, so a screenshot shows it
  return (await loc.innerText()).trim();
}

/**
 * Runs a profiling command from the palette and waits for the toast its run ends with. Once in a
 * rehearsal (2026-12-01, the first end-to-end test after the unit suite) the palette's Enter
 * started nothing: no progress notification, no line in the output, no toast for 240 s; three
 * reruns of the same test passed. So when neither the run's progress notification nor its toast
 * shows within 30 s, this says so, keeps a screenshot (`<shot>-not-started`) and runs the command
 * once more. A command that never starts a run still fails the test.
 */
export async function profileAndWaitToast(vs, title, re, shot, timeout = LONG) {
  const toasts = ".notifications-toasts .notification-list-item-message";
  const started = () =>
    Promise.any([
      vs.page
        .locator(toasts, { hasText: /JIT Scope: (profiling|comparing) / })
        .first()
        .waitFor({ timeout: 30_000 }),
      vs.page.locator(toasts, { hasText: re }).first().waitFor({ timeout: 30_000 }),
    ]);
  await vs.runCommand(title);
  try {
    await started();
  } catch {
    console.error(`[e2e] "${title}" started no run within 30 s; running it again`);
    await vs.screenshot(`${shot}-not-started`).catch(() => {});
    await vs.runCommand(title);
  }
  return waitToast(vs, re, timeout);
}

/** The CodeLens titles rendered in the active editor. */
export async function codeLensTitles(vs, re, timeout = 60_000) {
  const lens = vs.page
    .locator(".editor-group-container.active .monaco-editor .codelens-decoration", { hasText: re })
    .first();
  await lens.waitFor({ timeout });
  return vs.page.locator(".editor-group-container.active .monaco-editor .codelens-decoration").allInnerTexts();
}

/**
 * Opens a file from the Explorer (files written after the window opened: Quick Open keeps its
 * file list from before and does not find them).
 */
export async function openFromExplorer(vs, name) {
  await vs.page.keyboard.press("Escape");
  const row = vs.page.locator(".explorer-folders-view .monaco-list-row", { hasText: name }).first();
  await row.waitFor({ timeout: 30_000 });
  await leaveExplorerRows(vs);
  await row.click();
  await vs.page.locator(".editor-group-container.active .tab.active", { hasText: name }).first().waitFor();
  await vs.page
    .locator(".editor-group-container.active .editor-instance .monaco-editor .view-lines .view-line")
    .first()
    .waitFor();
}

/**
 * Rests the mouse on the Explorer's empty space below its rows and waits for any workbench hover
 * to close: the path hover of a row clicked before opens below that row, over the next one, and
 * stays while the mouse stays, so a click on the next row would land on the hover.
 */
async function leaveExplorerRows(vs) {
  const list = await vs.page.locator(".explorer-folders-view").first().boundingBox();
  const rows = vs.page.locator(".explorer-folders-view .monaco-list-row");
  const last = await rows.nth((await rows.count()) - 1).boundingBox();
  if (list && last && list.y + list.height - (last.y + last.height) > 8) {
    await vs.page.mouse.move(list.x + 8, (last.y + last.height + list.y + list.height) / 2);
  }
  await vs.page
    .locator(".context-view .hover-contents, .workbench-hover")
    .first()
    .waitFor({ state: "hidden", timeout: 10_000 })
    .catch(() => {});
}

/** Removes the screenshots a previous run left for these scenarios (names start with a prefix). */
export function clearShots(dir, prefixes) {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(dir)) if (prefixes.some((p) => name.startsWith(p))) fs.rmSync(path.join(dir, name));
}

/** Moves the active editor's cursor to `line` (Ctrl+G), which scrolls it into view. */
export async function goToLine(vs, line) {
  await vs.page.keyboard.press("Escape");
  await vs.page.keyboard.press("Control+G");
  const box = vs.page.locator(".quick-input-widget .quick-input-box input");
  await box.waitFor({ state: "visible" });
  await box.fill(`:${line}`);
  await vs.page.keyboard.press("Enter");
  await waitCursorLine(vs, line);
}

/** The status bar's "Ln N, Col M" of the active text editor, as N. */
export async function cursorLine(vs) {
  const item = vs.page.locator(".part.statusbar .statusbar-item", { hasText: /Ln \d+, Col \d+/ }).first();
  const text = await item.innerText({ timeout: 10_000 });
  return Number(/Ln (\d+)/.exec(text)[1]);
}

/** Waits until the status bar's cursor line is `line`. */
export async function waitCursorLine(vs, line, timeout = 30_000) {
  await vs.page
    .locator(".part.statusbar .statusbar-item", { hasText: new RegExp(`Ln ${line}, Col \\d+`) })
    .first()
    .waitFor({ timeout });
}

/** Opens the Problems panel and returns the texts of its rows once one matches `re`. */
export async function problemRows(vs, re, timeout = 30_000) {
  await vs.runCommand("View: Focus Problems");
  const rows = vs.page.locator(".markers-panel .monaco-list-row");
  await rows.filter({ hasText: re }).first().waitFor({ timeout });
  return rows.allInnerTexts();
}

/** The reports the extension wrote for `script` (into its workspace storage, under the workbench's
 *  user-data folder: `…/workspaceStorage/<id>/<extension>/reports/*.report.json`), newest last. */
export function reportsFor(vs, script) {
  const root = vs.server.dirs.userData;
  const out = [];
  for (const name of fs.readdirSync(root, { recursive: true })) {
    if (!String(name).endsWith(".report.json")) continue;
    const file = path.join(root, String(name));
    try {
      const report = JSON.parse(fs.readFileSync(file, "utf8"));
      if (report.script === script) out.push({ file, mtime: fs.statSync(file).mtimeMs, report });
    } catch {
      /* not a report, or being written */
    }
  }
  return out.sort((a, b) => a.mtime - b.mtime);
}

/** Polls `check` until it returns a truthy value; throws with `what` after `timeout`. */
export async function until(check, what, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
