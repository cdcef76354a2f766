// "JIT Scope: Open Example…": picks one of the shipped examples, copies it into the workspace
// (examples/NAME.ts, never overwriting) and opens it, ready for Profile Current File.

import * as fs from "node:fs";
import * as vscode from "vscode";
import { exampleDescription, exampleDestination, exampleFiles } from "../model/examples.js";
import type { Session } from "./session.js";

export async function openExample(session: Session, name?: unknown): Promise<string | undefined> {
  const dir = vscode.Uri.joinPath(session.context.extensionUri, "examples").fsPath;
  const files = exampleFiles(fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  if (files.length === 0) {
    void vscode.window.showErrorMessage("JIT Scope: this installation has no examples folder.");
    return undefined;
  }
  const file =
    typeof name === "string" && files.includes(name)
      ? name
      : (
          await vscode.window.showQuickPick(
            files.map((f) => ({ label: f, description: exampleDescription(fs.readFileSync(`${dir}/${f}`, "utf8")) })),
            {
              title: "JIT Scope: Open Example",
              placeHolder: "An example script to copy into the workspace and profile",
            },
          )
        )?.label;
  if (!file) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) {
    void vscode.window.showErrorMessage("JIT Scope: open a folder first; the example is copied into it.");
    return undefined;
  }
  const dest = exampleDestination(folder, file, fs.existsSync);
  await vscode.workspace.fs.copy(vscode.Uri.file(`${dir}/${file}`), vscode.Uri.file(dest));
  await vscode.window.showTextDocument(vscode.Uri.file(dest), { preview: false });
  return dest;
}
