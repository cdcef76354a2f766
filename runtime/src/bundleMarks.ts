// The names a profiled bundle imports its call-site marks by (cli/callSiteMarks.ts writes the
// import; ir/markedSites.ts says how the marks work). Not for user code.
export {
  registerMarkedSites as __jitscopeSites,
  markCall as __jitscopeMark,
  markCallNoArgs as __jitscopeMark0,
  savedMark as __jitscopeSaved,
  restoreMark as __jitscopeRestore,
} from "./ir/markedSites.js";
