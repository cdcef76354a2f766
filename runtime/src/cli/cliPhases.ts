// The points of a `jitscope profile` run at which a test can hold the CLI (JITSCOPE_TEST_PAUSE_AT),
// in order. Its own module, free of side effects, so tests can import it.
export const CLI_PHASES = ["start", "bundling", "bundled", "child-running", "runs-done", "written"] as const;
export type CliPhase = (typeof CLI_PHASES)[number];
