// In the standalone HTML report nobody sets VS Code's `--vscode-*` variables, which the toolkit's
// controls read. This sheet supplies them (Dark Modern, Light Modern, High Contrast values) on
// `body`, chosen by the body class as VS Code sets it, or the OS colour scheme. Never injected
// inside VS Code, where the editor's own values must win.

const DARK = `
  --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-panel-background: #181818;
  --vscode-panel-border: #2b2b2b; --vscode-focusBorder: #0078d4; --vscode-descriptionForeground: #9d9d9d;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #026ec1;
  --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-button-border: #ffffff12;
  --vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc; --vscode-dropdown-border: #3c3c3c;
  --vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-placeholderForeground: #989898;
  --vscode-checkbox-background: #313131; --vscode-checkbox-border: #3c3c3c; --vscode-checkbox-foreground: #cccccc;
  --vscode-list-hoverBackground: #2a2d2e; --vscode-list-activeSelectionBackground: #04395e; --vscode-list-activeSelectionForeground: #ffffff;
  --vscode-editorWidget-background: #202020; --vscode-editorHoverWidget-background: #202020; --vscode-editorHoverWidget-border: #454545;
  --vscode-charts-red: #f14c4c; --vscode-charts-blue: #3794ff; --vscode-charts-yellow: #cca700; --vscode-charts-orange: #d18616; --vscode-charts-green: #89d185;
`;
const LIGHT = `
  --vscode-foreground: #3b3b3b; --vscode-editor-background: #ffffff; --vscode-panel-background: #f8f8f8;
  --vscode-panel-border: #e5e5e5; --vscode-focusBorder: #005fb8; --vscode-descriptionForeground: #3b3b3b;
  --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #0258a8;
  --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-button-border: #0000001a;
  --vscode-dropdown-background: #ffffff; --vscode-dropdown-foreground: #3b3b3b; --vscode-dropdown-border: #cecece;
  --vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b; --vscode-input-placeholderForeground: #767676;
  --vscode-checkbox-background: #f8f8f8; --vscode-checkbox-border: #cecece; --vscode-checkbox-foreground: #3b3b3b;
  --vscode-list-hoverBackground: #f2f2f2; --vscode-list-activeSelectionBackground: #e8e8e8; --vscode-list-activeSelectionForeground: #000000;
  --vscode-editorWidget-background: #f8f8f8; --vscode-editorHoverWidget-background: #f8f8f8; --vscode-editorHoverWidget-border: #c8c8c8;
  --vscode-charts-red: #e51400; --vscode-charts-blue: #1a85ff; --vscode-charts-yellow: #bf8803; --vscode-charts-orange: #d18616; --vscode-charts-green: #388a34;
`;
const HIGH_CONTRAST = `
  --vscode-foreground: #ffffff; --vscode-editor-background: #000000; --vscode-panel-background: #000000;
  --vscode-panel-border: #6fc3df; --vscode-contrastBorder: #6fc3df; --vscode-contrastActiveBorder: #f38518;
  --vscode-focusBorder: #f38518; --vscode-descriptionForeground: #ffffff;
  --vscode-button-background: #000000; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #000000;
  --vscode-button-secondaryBackground: #000000; --vscode-button-secondaryForeground: #ffffff; --vscode-button-secondaryHoverBackground: #000000;
  --vscode-button-border: #6fc3df;
  --vscode-dropdown-background: #000000; --vscode-dropdown-foreground: #ffffff; --vscode-dropdown-border: #6fc3df;
  --vscode-input-background: #000000; --vscode-input-foreground: #ffffff; --vscode-input-placeholderForeground: #ffffffb3;
  --vscode-checkbox-background: #000000; --vscode-checkbox-border: #6fc3df; --vscode-checkbox-foreground: #ffffff;
  --vscode-list-hoverBackground: #000000; --vscode-list-activeSelectionBackground: #000000; --vscode-list-activeSelectionForeground: #ffffff;
  --vscode-editorWidget-background: #0c141f; --vscode-editorHoverWidget-background: #0c141f; --vscode-editorHoverWidget-border: #6fc3df;
  --vscode-charts-red: #f14c4c; --vscode-charts-blue: #3794ff; --vscode-charts-yellow: #ffd700; --vscode-charts-orange: #f38518; --vscode-charts-green: #89d185;
`;

export const STANDALONE_THEME_CSS = `
body { ${DARK} }
@media (prefers-color-scheme: light) { body:not(.vscode-dark):not(.vscode-high-contrast) { ${LIGHT} } }
body.vscode-light { ${LIGHT} }
body.vscode-high-contrast { ${HIGH_CONTRAST} }
`;
