// Command ids, in one place so the manifest, the hover links and the handlers agree.
// Palette commands have titles in package.json; the `…At`/`reveal…` ones take arguments and are
// used from hover links, CodeLens and the panel (hidden from the palette).

export const CommandIds = {
  profileCurrentFile: "jitscope.profileCurrentFile",
  compareEagerVsJit: "jitscope.compareEagerVsJit",
  showGraphPanel: "jitscope.showGraphPanel",
  showIrAfterPass: "jitscope.showIrAfterPass",
  showPassDiff: "jitscope.showPassDiff",
  showKernelWgsl: "jitscope.showKernelWgsl",
  openReport: "jitscope.openReport",
  compareWithReport: "jitscope.compareWithReport",
  exportChromeTrace: "jitscope.exportChromeTrace",
  clearResults: "jitscope.clearResults",
  openExample: "jitscope.openExample",
  // Argument-taking commands behind links.
  revealKernel: "jitscope.revealKernel",
  openKernelWgslAt: "jitscope.openKernelWgslAt",
  openPassIrAt: "jitscope.openPassIrAt",
  openPassDiffAt: "jitscope.openPassDiffAt",
  openSourceAt: "jitscope.openSourceAt",
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

/** The argument-taking commands a trusted hover may invoke. */
export const HOVER_LINK_COMMANDS: readonly CommandId[] = [
  CommandIds.revealKernel,
  CommandIds.openKernelWgslAt,
  CommandIds.openPassDiffAt,
  CommandIds.openPassIrAt,
];

/** A markdown link target that runs `id` with JSON `args` (VS Code command URI). */
export function commandUri(id: CommandId, args: readonly unknown[]): string {
  return `command:${id}?${encodeURIComponent(JSON.stringify(args))}`;
}
