// Styles of the Roofline and Memory views (and the Timeline's live-bytes lane), beside the
// panel's stylesheet (styles.ts), from the same `--jit-*` colours.

export const ADVICE_CSS = `
.jit-roofline, .jit-memory-chart { flex: 1; min-height: 0; position: relative; overflow: hidden; }
.jit-memory-chart { flex: 0 0 auto; height: max(200px, 42vh); }
.jit-memory-list { flex: 1; min-height: 80px; }
.jit-memory-head { font-weight: 600; margin: 2px 0 6px; }
.jit-memory-summary, .jit-roofline-caption .jit-sub { color: var(--jit-muted); font-size: 12px; }
.jit-roofline-caption { row-gap: 2px; }
.jit-roofs { font-weight: 600; }
.jit-roofline-note { color: var(--jit-warm); font-weight: 600; }
.jit-chart .axis-title { fill: var(--jit-muted); font-size: 11px; }
.jit-roof { fill: none; stroke: var(--jit-fg); stroke-width: 2; }
.jit-roof.memory { stroke: var(--jit-green); }
.jit-roof.compute { stroke: var(--jit-warm); }
.jit-ridge-line { stroke: var(--jit-muted); stroke-dasharray: 3 3; }
.jit-ridge { fill: var(--jit-bg); stroke: var(--jit-fg); stroke-width: 2; }
.jit-roof-labels text { font-size: 11px; font-weight: 600; paint-order: stroke; stroke: var(--jit-bg); stroke-width: 3px; stroke-linejoin: round; }
.jit-chart .jit-roof-label.memory { fill: var(--jit-green); }
.jit-chart .jit-roof-label.compute { fill: var(--jit-warm); }
.jit-dot { stroke: var(--jit-bg); stroke-width: 1; fill-opacity: 0.9; cursor: pointer; }
.jit-dot:hover { stroke: var(--jit-fg); stroke-width: 1.5; }
.jit-dot.selected { stroke: var(--jit-focus); stroke-width: 3; }
.jit-band { fill: var(--jit-widget); stroke: var(--jit-border); stroke-dasharray: 3 2; }
.jit-chart .jit-band-label { fill: var(--jit-muted); font-size: 10px; }
.jit-buffer { stroke: var(--jit-bg); stroke-width: 1; cursor: pointer; }
.jit-buffer.kind-input, .jit-buffer.kind-constant { fill-opacity: 0.45; }
.jit-buffer.kind-output { stroke: var(--jit-green); stroke-width: 1; }
.jit-buffer.hover { stroke: var(--jit-fg); stroke-width: 1.5; }
.jit-peak line { stroke: var(--jit-hot); stroke-dasharray: 5 3; stroke-width: 1.5; }
.jit-peak .jit-peak-marker { fill: var(--jit-hot); }
.jit-chart .jit-peak text { fill: var(--jit-hot); font-weight: 600; paint-order: stroke; stroke: var(--jit-bg); stroke-width: 3px; }
.jit-live-area { fill: color-mix(in srgb, var(--jit-jit) 35%, transparent); stroke: var(--jit-jit); stroke-width: 1.2; }
.jit-timeline .jit-live-label { fill: var(--jit-muted); font-size: 10px; }
`;
