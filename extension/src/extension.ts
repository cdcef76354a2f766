// JIT Scope's extension host entry. Activation only wires providers and commands: no Dawn, D3 or
// esbuild is loaded here (the profiler runs in a child process), and the time it takes is logged.

import * as vscode from "vscode";
import {
  openKernelWgslAt,
  openPassDiffAt,
  openPassIrAt,
  revealLocation,
  type BrowseContext,
} from "./commands/browse.js";
import { registerCommands } from "./commands/register.js";
import { rememberedReport, rememberReport, settings, type Session } from "./commands/session.js";
import { JitCodeLensProvider } from "./editor/codeLensProvider.js";
import { trackEdits } from "./editor/editTracking.js";
import { ReportHoverProvider } from "./editor/hoverProvider.js";
import { LineHeatDecorations } from "./editor/lineHeatDecorations.js";
import { HintDiagnostics } from "./editor/hintDiagnostics.js";
import { ScriptProblems } from "./editor/problems.js";
import { RunStatusBar } from "./editor/statusBar.js";
import { VirtualDocuments } from "./editor/virtualDocuments.js";
import { SourceLinks } from "./editor/sourceLinks.js";
import { ResultsStore } from "./model/results.js";
import { RunHistory } from "./model/runHistory.js";
import { VIRTUAL_SCHEME } from "./model/virtualDocuments.js";
import { PanelHost } from "./panel/panelHost.js";
import { loadReportFile } from "./report/loadReport.js";
import { ReportFolder } from "./runner/reportFolder.js";

/** Where each script's baseline for the next comparison is saved (model/runHistory.ts). */
const RUN_HISTORY_KEY = "jitscope.runHistory";

/** The live session, so deactivation can stop a run in flight. */
let activeSession: Session | null = null;

const SOURCE_SELECTOR: vscode.DocumentSelector = [
  { scheme: "file", language: "typescript" },
  { scheme: "file", language: "javascript" },
];

export interface JitScopeApi {
  /** The loaded report's status and path, for end-to-end tests. */
  lastResult(): { status: string; reportPath: string | null; diffSummary: string | null } | null;
}

export function activate(context: vscode.ExtensionContext): JitScopeApi {
  const started = performance.now();
  const store = new ResultsStore();
  const output = vscode.window.createOutputChannel("JIT Scope");
  const docs = new VirtualDocuments(store);
  const statusBar = new RunStatusBar(store);
  // The panel's actions open documents and source lines: they need the store, the documents and
  // the output channel, not the session (which holds the panel).
  const browsing: BrowseContext = { store, docs, output };
  const panel = new PanelHost(
    context.extensionUri,
    store,
    {
      revealLocation: async (file, line, column) => void (await revealLocation(browsing, file, line, column)),
      openWgsl: async (kernel) => void (await openKernelWgslAt(browsing, kernel)),
      openPassIr: async (c, p) => void (await openPassIrAt(browsing, c, p)),
      openPassDiff: async (c, p) => void (await openPassDiffAt(browsing, c, p)),
    },
    (line) => output.appendLine(line),
  );
  const session: Session = {
    context,
    store,
    output,
    panel,
    docs,
    statusBar,
    history: new RunHistory(
      context.workspaceState.get<unknown>(RUN_HISTORY_KEY),
      (state) => void context.workspaceState.update(RUN_HISTORY_KEY, state),
    ),
    // Per workspace where there is one (a folder's runs stay with it), else the extension's own.
    reports: new ReportFolder(vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, "reports").fsPath),
    running: null,
    runEnded: null,
  };
  activeSession = session;

  const heat = new LineHeatDecorations(store, () => settings().showLineHeat);
  const lenses = new JitCodeLensProvider(store);
  context.subscriptions.push(
    output,
    docs,
    statusBar,
    panel,
    heat,
    lenses,
    new ScriptProblems(store),
    new HintDiagnostics(store),
    vscode.workspace.registerTextDocumentContentProvider(VIRTUAL_SCHEME, docs),
    vscode.languages.registerHoverProvider(SOURCE_SELECTOR, new ReportHoverProvider(store, () => session.runEnded)),
    vscode.languages.registerCodeLensProvider(SOURCE_SELECTOR, lenses),
    vscode.languages.registerDocumentLinkProvider({ scheme: VIRTUAL_SCHEME }, new SourceLinks(store)),
    vscode.window.registerWebviewPanelSerializer(PanelHost.viewType, {
      deserializeWebviewPanel: async (restored) => {
        panel.attach(restored);
        await reloadRememberedReport(session);
      },
    }),
    store.onChange((change) => change !== "edited" && rememberReport(session, store.current?.reportPath ?? null)),
    trackEdits(store),
    followCursor(panel),
    vscode.workspace.onDidChangeConfiguration(
      (e) => e.affectsConfiguration("jitscope.showLineHeat") && heat.renderAll(),
    ),
    ...registerCommands(session),
  );

  output.appendLine(`JIT Scope activated in ${(performance.now() - started).toFixed(1)} ms.`);
  return {
    lastResult: () => {
      const loaded = store.current;
      return loaded
        ? {
            status: loaded.report.status,
            reportPath: loaded.reportPath,
            diffSummary: loaded.diff?.summary.text ?? null,
          }
        : null;
    },
  };
}

/** Editor and graph in step: the cursor's line is sent to the open panel (debounced: a held
 *  arrow key moves it many times a second). */
function followCursor(panel: PanelHost): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sub = vscode.window.onDidChangeTextEditorSelection((e) => {
    if (!panel.isOpen || e.textEditor.document.uri.scheme !== "file") return;
    const file = e.textEditor.document.uri.fsPath;
    const line = e.selections[0]!.active.line + 1;
    clearTimeout(timer);
    timer = setTimeout(() => panel.cursorMoved(file, line), 120);
  });
  return {
    dispose: () => {
      clearTimeout(timer);
      sub.dispose();
    },
  };
}

/** After a window reload the panel comes back empty: show the last report again if it is still there. */
async function reloadRememberedReport(session: Session): Promise<void> {
  const path = rememberedReport(session);
  if (session.store.current || !path) return;
  const loaded = await loadReportFile(path);
  if (loaded.ok) session.store.load(loaded.report, path);
}

export function deactivate(): void {
  // Subscriptions dispose the rest; a run in flight must not outlive the extension host.
  activeSession?.running?.abort();
  activeSession = null;
}
