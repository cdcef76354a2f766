// The panel's stylesheet. Colours and fonts come from VS Code's `--vscode-*` variables; the
// `--fb-*` fallbacks make the standalone page readable in dark (default), light and
// high-contrast (body classes as VS Code sets them, or the OS colour scheme).

export const PANEL_CSS = `
:root {
  --fb-bg: #1e1e1e; --fb-fg: #cccccc; --fb-muted: #9d9d9d; --fb-border: #454545; --fb-widget: #252526;
  --fb-focus: #0078d4; --fb-hot: #f14c4c; --fb-warm: #e2a03f; --fb-blue: #3794ff; --fb-green: #89d185;
  --fb-hover: #2a2d2e;
}
body.vscode-light { --fb-bg: #ffffff; --fb-fg: #3b3b3b; --fb-muted: #6f6f6f; --fb-border: #cecece; --fb-widget: #f3f3f3;
  --fb-focus: #005fb8; --fb-hot: #c72e0f; --fb-warm: #bf8803; --fb-blue: #1a85ff; --fb-green: #388a34; --fb-hover: #e8e8e8; }
@media (prefers-color-scheme: light) { body:not(.vscode-dark):not(.vscode-high-contrast) {
  --fb-bg: #ffffff; --fb-fg: #3b3b3b; --fb-muted: #6f6f6f; --fb-border: #cecece; --fb-widget: #f3f3f3;
  --fb-focus: #005fb8; --fb-hot: #c72e0f; --fb-warm: #bf8803; --fb-blue: #1a85ff; --fb-green: #388a34; --fb-hover: #e8e8e8; } }
body.vscode-high-contrast { --fb-bg: #000000; --fb-fg: #ffffff; --fb-muted: #ffffff; --fb-border: #6fc3df; --fb-widget: #0c0c0c;
  --fb-focus: #f38518; --fb-hot: #ff6b6b; --fb-warm: #ffd700; --fb-blue: #6fc3df; --fb-green: #89d185; --fb-hover: #1a1a1a; }
body {
  --jit-bg: var(--vscode-editor-background, var(--fb-bg));
  --jit-fg: var(--vscode-foreground, var(--fb-fg));
  --jit-muted: var(--vscode-descriptionForeground, var(--fb-muted));
  --jit-border: var(--vscode-panel-border, var(--vscode-contrastBorder, var(--fb-border)));
  --jit-widget: var(--vscode-editorWidget-background, var(--fb-widget));
  --jit-focus: var(--vscode-focusBorder, var(--fb-focus));
  --jit-hot: var(--vscode-charts-red, var(--fb-hot));
  --jit-warm: var(--vscode-charts-yellow, var(--fb-warm));
  --jit-eager: var(--vscode-charts-orange, var(--fb-warm));
  --jit-jit: var(--vscode-charts-blue, var(--fb-blue));
  --jit-green: var(--vscode-charts-green, var(--fb-green));
  --jit-hover: var(--vscode-list-hoverBackground, var(--fb-hover));
  --jit-mono: var(--vscode-editor-font-family, ui-monospace, "DejaVu Sans Mono", monospace);
  margin: 0; padding: 0; background: var(--jit-bg); color: var(--jit-fg);
  font-family: var(--vscode-font-family, system-ui, "DejaVu Sans", sans-serif); font-size: var(--vscode-font-size, 13px);
}
#app { display: flex; flex-direction: column; height: 100vh; overflow: hidden; }
.jit-header { display: flex; align-items: center; gap: 12px; padding: 6px 12px 0; border-bottom: 1px solid var(--jit-border); flex-wrap: wrap; }
.jit-title { font-weight: 600; }
.jit-subtitle { color: var(--jit-muted); font-size: 0.92em; flex: 1; min-width: 200px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.jit-tabs { display: flex; gap: 2px; }
.jit-tab { background: none; border: none; border-bottom: 2px solid transparent; color: var(--jit-muted); padding: 6px 10px; cursor: pointer; font: inherit; }
.jit-tab[aria-selected="true"] { color: var(--jit-fg); border-bottom-color: var(--jit-focus); }
.jit-tab:focus-visible { outline: 1px solid var(--jit-focus); }
.jit-notes { color: var(--jit-warm); padding: 4px 12px; }
.jit-view { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.jit-view[hidden] { display: none; }
.jit-toolbar { display: flex; align-items: center; gap: 8px; padding: 6px 12px; flex-wrap: wrap; border-bottom: 1px solid var(--jit-border); }
#compilation-select { width: 340px; max-width: 40vw; }
.jit-toolbar .jit-pass { font-family: var(--jit-mono); min-width: 260px; }
.jit-toolbar .jit-peaks { margin-left: auto; opacity: 0.8; font-size: 0.92em; }
/* The graph's toolbar stays one line down to a 600 px side panel: short labels, shrinking parts. */
#view-graph .jit-toolbar { flex-wrap: nowrap; gap: 4px; padding: 4px 8px; overflow: hidden; }
#view-graph #compilation-select { flex: 1 1 90px; min-width: 60px; width: auto; max-width: 320px; }
#view-graph .jit-toolbar .jit-pass { min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: 0 1 auto; }
#view-graph .jit-toolbar vscode-button { flex: none; }
#view-graph .jit-toolbar vscode-button::part(control) { padding: 1px 7px; }
#view-graph .jit-toolbar .jit-pass { min-width: 64px; }
#view-graph .jit-toolbar vscode-checkbox { flex: none; white-space: nowrap; }
#view-graph #search-ops { flex: 0 1 110px; min-width: 60px; width: 110px; --input-min-width: 60px; }
.jit-info { color: var(--jit-warm); cursor: help; margin: 0 8px 0 auto; flex: none; width: 14px; height: 14px; line-height: 14px; text-align: center; border: 1.5px solid var(--jit-warm); border-radius: 50%; font: italic 600 11px serif; }
.jit-info[hidden] { display: none; }
.jit-legend summary { cursor: pointer; }
.jit-legend:not([open]) { padding: 2px 6px; }
.jit-status { padding: 4px 12px; color: var(--jit-muted); min-height: 1.4em; border-top: 1px solid var(--jit-border); font-family: var(--jit-mono); font-size: 0.92em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.jit-empty { padding: 24px; color: var(--jit-muted); }
.jit-layout-error { padding: 4px 12px; color: var(--jit-hot); border-bottom: 1px solid var(--jit-border); font-family: var(--jit-mono); font-size: 0.92em; }
.jit-layout-error[hidden] { display: none; }
.jit-loop-trail { padding: 3px 12px; border-bottom: 1px solid var(--jit-border); font-family: var(--jit-mono); font-size: 0.92em; }
.jit-loop-trail[hidden] { display: none; }
.jit-trail-link { background: none; border: none; padding: 0; font: inherit; color: var(--vscode-textLink-foreground, var(--jit-focus)); cursor: pointer; }
.jit-trail-link:hover, .jit-trail-link:focus-visible { text-decoration: underline; }
.jit-trail-summary { color: var(--jit-muted); }
.jit-graph { flex: 1; min-height: 0; position: relative; }
.jit-graph svg { width: 100%; height: 100%; display: block; cursor: grab; }
.jit-node rect { fill: var(--jit-widget); stroke: var(--jit-muted); stroke-width: 1; }
.jit-node text { fill: var(--jit-fg); font-family: var(--jit-mono); font-size: 11px; pointer-events: none; }
.jit-node { cursor: pointer; }
.jit-node.loop rect { stroke: var(--jit-jit); stroke-width: 1.5; }
.jit-node rect.jit-loop-stack { fill: var(--jit-widget); stroke: var(--jit-jit); opacity: 0.6; }
.jit-node .jit-loop-badge { font-weight: 700; fill: var(--jit-jit); }
.jit-labels text { fill: var(--jit-fg); font-family: var(--jit-mono); font-size: 11px; pointer-events: none; }
.jit-node.kind-input rect, .jit-node.kind-output rect { stroke: var(--jit-jit); stroke-width: 1.5; }
.jit-node.kind-const rect { stroke-dasharray: 3 2; }
.jit-node.kind-kernel rect { stroke: var(--jit-hot); stroke-width: 1.5; }
.jit-node.changed rect { stroke: var(--jit-warm); stroke-width: 3; }
.jit-node.match rect { stroke: var(--jit-focus); stroke-width: 3; }
.jit-node.revealed rect { stroke: var(--jit-focus); stroke-width: 3; stroke-dasharray: 6 2; }
.jit-node:hover rect { fill: var(--jit-hover); }
.jit-node.dim { opacity: 0.35; }
.jit-cluster rect { stroke: var(--jit-hot); stroke-opacity: 0.7; stroke-width: 1; }
.jit-diff-added { background: color-mix(in srgb, var(--jit-jit) 22%, transparent); }
.jit-diff-removed { background: color-mix(in srgb, var(--jit-hot) 22%, transparent); text-decoration: line-through; text-decoration-color: color-mix(in srgb, var(--jit-hot) 60%, transparent); }
.jit-edge-label { fill: var(--jit-muted); font-family: var(--jit-mono); font-size: 9px; pointer-events: none; paint-order: stroke; stroke: var(--jit-bg); stroke-width: 3px; }
.jit-scope rect { stroke: var(--jit-muted); stroke-opacity: 0.6; stroke-width: 1; stroke-dasharray: 5 3; }
.jit-scope text { fill: var(--jit-muted); font-size: 11px; font-weight: 600; cursor: pointer; paint-order: stroke; stroke: var(--jit-bg); stroke-width: 3px; stroke-linejoin: round; }
.jit-scope text:hover { text-decoration: underline; fill: var(--jit-fg); }
.jit-node.kind-scope rect { stroke: var(--jit-muted); stroke-width: 1.5; stroke-dasharray: 5 3; }
body.vscode-high-contrast .jit-cluster rect { stroke-opacity: 1; stroke-width: 1.5; }
.jit-cluster text { fill: var(--jit-fg); font-size: 11px; font-weight: 600; cursor: pointer; paint-order: stroke; stroke: var(--jit-bg); stroke-width: 3px; stroke-linejoin: round; }
.jit-cluster text:hover { text-decoration: underline; }
.jit-edge { fill: none; stroke: var(--jit-muted); stroke-opacity: 0.75; }
.jit-edge.boundary { stroke: var(--jit-hot); stroke-dasharray: 5 3; stroke-opacity: 0.95; }
.jit-edge.between-groups { stroke-opacity: 0.3; }
.jit-edge-hit { fill: none; stroke: transparent; stroke-width: 10; }
.jit-edge-hit.boundary { cursor: help; }
.jit-legend { position: absolute; right: 8px; bottom: 8px; background: var(--jit-widget); border: 1px solid var(--jit-border); padding: 4px 8px; font-size: 11px; color: var(--jit-muted); }
.jit-legend span { display: inline-block; margin-right: 10px; }
.jit-graph svg.jit-minimap { position: absolute; right: 8px; bottom: 40px; cursor: pointer; background: var(--jit-widget); border: 1px solid var(--jit-border); opacity: 0.92; }
.jit-minimap-toggle { position: absolute; right: 8px; bottom: 40px; font-size: 11px; line-height: 16px; padding: 0 5px; cursor: pointer; color: var(--jit-fg); background: var(--jit-widget); border: 1px solid var(--jit-border); border-radius: 3px; opacity: 0.85; }
.jit-minimap-toggle:hover { opacity: 1; }
.jit-minimap-node { fill: var(--jit-muted); }
.jit-minimap-cluster { fill: color-mix(in srgb, var(--jit-hot) 30%, transparent); }
.jit-minimap-view { fill: color-mix(in srgb, var(--jit-focus) 15%, transparent); stroke: var(--jit-focus); stroke-width: 1.5; }
.jit-search-count { font-family: var(--jit-mono); font-size: 11px; color: var(--jit-muted); flex: none; white-space: nowrap; }
.jit-search-count:empty { display: none; }
.jit-node.current rect { stroke: var(--jit-warm); stroke-width: 4; }
.jit-swatch { display: inline-block; width: 10px; height: 10px; vertical-align: -1px; margin-right: 4px; border: 1px solid var(--jit-muted); }
.jit-tooltip { position: fixed; pointer-events: none; background: var(--vscode-editorHoverWidget-background, var(--jit-widget)); color: var(--jit-fg);
  border: 1px solid var(--vscode-editorHoverWidget-border, var(--jit-border)); padding: 6px 8px; font-size: 12px; white-space: pre-line; max-width: 420px; z-index: 10; }
.jit-scroll { flex: 1; min-height: 0; overflow: auto; padding: 8px 12px; }
table.jit-table { border-collapse: collapse; width: 100%; font-size: 12px; }
.jit-table th { text-align: left; font-weight: 600; padding: 4px 8px; border-bottom: 1px solid var(--jit-border); cursor: pointer; user-select: none; white-space: nowrap; }
.jit-table th[aria-sort="ascending"]::after { content: " ▲"; }
.jit-table th[aria-sort="descending"]::after { content: " ▼"; }
.jit-table td { text-align: left; padding: 3px 8px; border-bottom: 1px solid color-mix(in srgb, var(--jit-border) 50%, transparent); white-space: nowrap; }
.jit-table th.num { text-align: right; }
.jit-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
.jit-table td.mono { font-family: var(--jit-mono); }
.jit-table tbody tr { cursor: pointer; }
.jit-table tbody tr:hover { background: var(--jit-hover); }
.jit-table tbody tr.selected { outline: 1px solid var(--jit-focus); }
.jit-table tr.jit-group-row td { font-weight: 600; background: var(--jit-hover); cursor: default; }
#view-kernels .jit-scroll { padding-left: 0; }
#view-kernels .jit-table th:first-child, #view-kernels .jit-table tbody tr:not(.jit-group-row) td:first-child { position: sticky; left: 0; padding-left: 12px; background-color: var(--jit-bg); box-shadow: inset -1px 0 var(--jit-border); }
#view-kernels .jit-table tbody tr:hover td:first-child { background-image: linear-gradient(var(--jit-hover), var(--jit-hover)); }
.jit-bar { display: inline-block; height: 8px; background: var(--jit-hot); opacity: 0.75; margin-right: 6px; vertical-align: middle; }
#kernels-autotune { padding: 4px 8px 12px; }
#kernels-autotune h3 { font-size: 1em; margin: 10px 0 6px; }
.jit-autotune { margin: 0 0 10px; }
.jit-autotune-class { opacity: 0.8; font-family: var(--vscode-editor-font-family, monospace); font-size: 0.92em; }
.jit-autotune-candidates { margin: 4px 0 0; padding-left: 22px; }
.jit-autotune-candidates li { white-space: nowrap; }
.jit-autotune-config { display: inline-block; min-width: 150px; font-family: var(--vscode-editor-font-family, monospace); }
.jit-autotune-winner { font-weight: 600; }
.jit-hints { list-style: none; margin: 0; padding: 0; }
.jit-hint { padding: 6px 8px; border-bottom: 1px solid color-mix(in srgb, var(--jit-border) 50%, transparent); cursor: pointer; }
.jit-hint:hover { background: var(--jit-hover); }
.jit-hint-head { display: flex; align-items: center; gap: 10px; }
.jit-hint-track { flex: none; width: 80px; }
.jit-hint-saving { font-weight: 600; font-variant-numeric: tabular-nums; min-width: 128px; }
.jit-hint-kind { color: var(--jit-muted); min-width: 150px; }
.jit-hint-where { font-family: var(--jit-mono); }
.jit-hint-message { margin: 3px 0 0 90px; }
.jit-hint-details { margin: 2px 0 0 90px; padding-left: 16px; color: var(--jit-muted); font-size: 12px; }
.jit-pre { font-family: var(--jit-mono); font-size: 12px; background: var(--jit-widget); border: 1px solid var(--jit-border); padding: 8px; white-space: pre; overflow: auto; max-height: 40vh; margin: 8px 12px; }
.jit-compare { display: flex; flex-wrap: wrap; gap: 16px; }
.jit-card { border: 1px solid var(--jit-border); padding: 8px; background: var(--jit-bg); }
.jit-card h3 { margin: 0 0 4px; font-size: 13px; }
.jit-card .jit-sub { color: var(--jit-muted); font-size: 12px; margin-bottom: 4px; }
.jit-ablations { flex: 1 1 100%; margin: 12px; }
.jit-compare .jit-ablations { margin: 0; }
.jit-chart text { fill: var(--jit-fg); font-size: 11px; }
.jit-chart .axis path, .jit-chart .axis line { stroke: var(--jit-muted); }
.jit-chart .grid line { stroke: var(--jit-border); stroke-opacity: 0.6; }
.jit-chart .line-eager { stroke: var(--jit-eager); fill: none; stroke-width: 2; }
.jit-chart .line-jit { stroke: var(--jit-jit); fill: none; stroke-width: 2; }
.jit-chart .dot-eager { fill: var(--jit-eager); }
.jit-chart .dot-jit { fill: var(--jit-jit); }
.jit-chart .break-even circle { fill: none; stroke: var(--jit-fg); stroke-width: 2; }
.jit-chart .break-even line { stroke: var(--jit-fg); stroke-dasharray: 3 3; }
.jit-chart .break-even text { font-weight: 600; }
.jit-chart .bar-eager { fill: var(--jit-eager); }
.jit-chart .bar-jit { fill: var(--jit-jit); }
.jit-chart .spread { stroke: var(--vscode-foreground, #333); stroke-width: 2; opacity: 0.7; }
.jit-timeline { flex: 1; min-height: 0; position: relative; }
.jit-timeline svg { width: 100%; height: 100%; display: block; }
.jit-timeline text { fill: var(--jit-fg); font-size: 11px; }
.jit-timeline .axis path, .jit-timeline .axis line { stroke: var(--jit-muted); }
.jit-timeline .lane-bg { fill: var(--jit-widget); }
.jit-span { stroke: var(--jit-bg); stroke-width: 0.5; }
.jit-span.cat-call { fill: var(--jit-jit); } .jit-span.cat-trace, .jit-span.cat-compile { fill: var(--jit-warm); }
.jit-span.cat-pipeline { fill: var(--jit-green); } .jit-span.cat-encode, .jit-span.cat-submit, .jit-span.cat-readback, .jit-span.cat-other { fill: var(--jit-muted); }
.jit-span.cat-GPU { fill: var(--jit-hot); } .jit-span.cat-driver { fill: var(--jit-green); fill-opacity: 0.6; } .jit-span.cat-GPU.estimated { fill-opacity: 0.4; }
.jit-diff-summary { font-weight: 600; margin: 4px 0 8px; }
.jit-diff-graph { display: block; margin: 4px 0 12px; }
.jit-diff-graph text { fill: var(--jit-fg); font-family: var(--jit-mono); font-size: 11px; pointer-events: none; }
.jit-diff-graph .jit-diff-head { font-family: inherit; font-weight: 600; fill: var(--jit-muted); }
.jit-diff-kernel { cursor: pointer; }
.jit-diff-kernel rect { fill: var(--jit-widget); stroke: var(--jit-muted); stroke-width: 1; }
.jit-diff-kernel.change-added rect { stroke: var(--jit-green); stroke-width: 2.5; }
.jit-diff-kernel.change-removed rect { stroke: var(--jit-hot); stroke-width: 2.5; stroke-dasharray: 5 3; }
.jit-diff-kernel.change-changed rect, .jit-diff-kernel.change-split rect, .jit-diff-kernel.change-merged rect, .jit-diff-kernel.change-regrouped rect { stroke: var(--jit-warm); stroke-width: 2.5; }
.jit-diff-link { fill: none; stroke: var(--jit-muted); stroke-width: 1.2; }
.jit-diff-link.change-changed, .jit-diff-link.change-split, .jit-diff-link.change-merged, .jit-diff-link.change-regrouped { stroke: var(--jit-warm); }
.jit-diff-table tr.change-added td:first-child { color: var(--jit-green); font-weight: 600; }
.jit-diff-table tr.change-removed td:first-child { color: var(--jit-hot); font-weight: 600; }
.jit-diff-table tr.change-changed td:first-child, .jit-diff-table tr.change-split td:first-child, .jit-diff-table tr.change-merged td:first-child { color: var(--jit-warm); font-weight: 600; }
.jit-diff-table tr.significant td:last-child { color: var(--jit-warm); }
.jit-cluster.diff-added rect { stroke: var(--jit-green); stroke-width: 3; stroke-opacity: 1; }
.jit-cluster.diff-changed rect, .jit-cluster.diff-split rect, .jit-cluster.diff-merged rect, .jit-cluster.diff-regrouped rect { stroke: var(--jit-green); stroke-width: 3; stroke-dasharray: 8 3; stroke-opacity: 1; }
`;
