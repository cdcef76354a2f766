// Browsing the loaded report: IR after a pass, pass diffs, kernel WGSL (quick picks over the
// report), and the argument-taking variants behind hover links and the panel.

import * as vscode from "vscode";
import type { Compilation, Report } from "@jitscope/contract";
import { compilationItems, kernelItems, passItems, type PickItem } from "../model/picks.js";
import { requireReport, type Session } from "./session.js";

/** What opening documents and source locations needs: no panel (the panel's own actions use these). */
export type BrowseContext = Pick<Session, "store" | "docs" | "output">;

async function pick(items: PickItem[], placeHolder: string): Promise<string | undefined> {
  if (items.length === 1) return items[0]!.id;
  const chosen = await vscode.window.showQuickPick(
    items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, id: i.id })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return chosen?.id;
}

async function pickCompilation(report: Report): Promise<Compilation | undefined> {
  if (report.compilations.length === 0) {
    void vscode.window.showInformationMessage("JIT Scope: the last run compiled no jitted functions.");
    return undefined;
  }
  const id = await pick(compilationItems(report), "Compiled function");
  return report.compilations.find((c) => c.id === id);
}

export async function showIrAfterPass(session: Session): Promise<boolean> {
  const report = requireReport(session);
  const comp = report && (await pickCompilation(report));
  if (!comp) return false;
  const pass = await pick(passItems(comp), `${comp.functionName}: show the IR after which pass?`);
  if (!pass) return false;
  await session.docs.open({ kind: "ir", compilation: comp.id, pass });
  return true;
}

export async function showPassDiff(session: Session): Promise<boolean> {
  const report = requireReport(session);
  const comp = report && (await pickCompilation(report));
  if (!comp) return false;
  if (comp.passes.length < 2) {
    void vscode.window.showInformationMessage(`JIT Scope: ${comp.functionName} has fewer than two passes to compare.`);
    return false;
  }
  const items = passItems(comp);
  const from = await pick(items.slice(0, -1), `${comp.functionName}: diff from pass…`);
  if (!from) return false;
  const after = items.slice(items.findIndex((i) => i.id === from) + 1);
  const to = await pick(after, `${comp.functionName}: …to pass`);
  if (!to) return false;
  return session.docs.diff(comp.id, to, from);
}

export async function showKernelWgsl(session: Session): Promise<boolean> {
  const report = requireReport(session);
  if (!report) return false;
  if (report.kernels.length === 0) {
    void vscode.window.showInformationMessage("JIT Scope: the last run dispatched no kernels.");
    return false;
  }
  const kernel = await pick(kernelItems(report), "Kernel");
  if (!kernel) return false;
  await session.docs.open({ kind: "wgsl", kernel });
  return true;
}

const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 256;
const isPositiveInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0;

// Link/panel variants: arguments arrive from command URIs and messages, so they are checked.

/** Opens a kernel's WGSL; given a source line (a hover's), with the WGSL lines computing it selected. */
export async function openKernelWgslAt(
  session: BrowseContext,
  kernel: unknown,
  file?: unknown,
  line?: unknown,
): Promise<boolean> {
  if (!isId(kernel) || !session.store.current?.index.kernel(kernel)) return false;
  await session.docs.open({ kind: "wgsl", kernel }, sourceLineArg(file, line));
  return true;
}

/** A hover link's source line, when well formed; otherwise the document opens unselected. */
function sourceLineArg(file: unknown, line: unknown): { file: string; line: number } | undefined {
  return typeof file === "string" && file.length <= 4096 && isPositiveInt(line) ? { file, line } : undefined;
}

/** Opens the IR after a pass; given a source line (a hover's), with the equations it made selected. */
export async function openPassIrAt(
  session: BrowseContext,
  compilation: unknown,
  pass: unknown,
  file?: unknown,
  line?: unknown,
): Promise<boolean> {
  if (!isId(compilation) || !isId(pass)) return false;
  if (!session.store.current?.index.compilation(compilation)?.passes.some((p) => p.name === pass)) return false;
  await session.docs.open({ kind: "ir", compilation, pass }, sourceLineArg(file, line));
  return true;
}

export async function openPassDiffAt(session: BrowseContext, compilation: unknown, pass: unknown): Promise<boolean> {
  if (!isId(compilation) || !isId(pass)) return false;
  const ok = await session.docs.diff(compilation, pass);
  if (!ok) void vscode.window.showInformationMessage(`JIT Scope: no pass before “${pass}” to compare with.`);
  return ok;
}

export function revealKernel(session: Session, kernel: unknown): boolean {
  const k = isId(kernel) ? session.store.current?.index.kernel(kernel) : undefined;
  if (!k) return false;
  session.panel.reveal({ type: "reveal", kernel: k.id }, k.compilation ?? undefined);
  return true;
}

/**
 * Opens a source location of the report (its line as it was in the run, followed to where it is
 * now), only if the report mentions that file; `false` when it does not.
 */
export async function revealLocation(
  session: BrowseContext,
  file: string,
  line: number,
  column: number,
  askedBy = "Panel",
): Promise<boolean> {
  const report = session.store.current?.report;
  if (!report) return false;
  const known =
    report.script === file ||
    report.kernels.some((k) => k.locations.some((l) => l.file === file)) ||
    Object.values(report.lines).some((l) => l.file === file);
  if (!known) {
    session.output.appendLine(`${askedBy} asked to open ${file}, which the report does not mention; ignored.`);
    return false;
  }
  const tracker = session.store.tracker(file);
  const now = tracker ? tracker.currentLine(line) : line;
  if (now === null) {
    void vscode.window.showInformationMessage(`JIT Scope: line ${line} of ${file} was edited since the run.`);
  }
  const target = Math.max(0, (now ?? line) - 1);
  const pos = new vscode.Position(target, Math.max(0, column - 1));
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { viewColumn: sourceColumn(file), selection: new vscode.Range(pos, pos) });
  return true;
}

/**
 * The target of the `mlp.ts:25` links in a kernel's WGSL and the IR after a pass: the script in
 * the editor group already showing it, not a second copy in the link's own group as a plain file
 * link would open.
 */
export async function openSourceAt(
  session: BrowseContext,
  file: unknown,
  line: unknown,
  column: unknown,
): Promise<boolean> {
  if (typeof file !== "string" || file.length === 0 || file.length > 4096 || !isPositiveInt(line)) return false;
  return revealLocation(session, file, line, isPositiveInt(column) ? column : 1, "A source link");
}

/**
 * The editor group to show a source file in: the one already showing it, else the group of a
 * source editor (not our IR/WGSL documents), else the first. Never a new group per click.
 */
export function sourceColumn(file: string): vscode.ViewColumn {
  const editors = vscode.window.visibleTextEditors;
  const showing = editors.find((e) => e.document.uri.scheme === "file" && e.document.uri.fsPath === file);
  const anySource = editors.find((e) => e.document.uri.scheme === "file");
  return showing?.viewColumn ?? anySource?.viewColumn ?? vscode.ViewColumn.One;
}
