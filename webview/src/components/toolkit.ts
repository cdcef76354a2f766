// The one place that names the UI toolkit. @vscode/webview-ui-toolkit is deprecated upstream
// (successor: @vscode-elements/elements); switching means changing this file and the tag names
// in controls.ts.

import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from "@vscode/webview-ui-toolkit";

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeTextField(),
  );
}

export const TAGS = {
  button: "vscode-button",
  checkbox: "vscode-checkbox",
  dropdown: "vscode-dropdown",
  option: "vscode-option",
  textField: "vscode-text-field",
} as const;
