// The programmatic API: what the CLI calls, and what tests and other programs can call.
// Every name a caller outside src/api needs is exported here; src/index.ts re-exports it.
// src/cli imports the lower layers only through this file (docs/design.md, "Layers").

export * from './run.js';
export { loadScenarioFile, loadScenarioText, loadScenarioData, type Override, type LoadedScenario } from '../scenario/load.js';
export { parseDuration, seconds } from '../scenario/duration.js';
export type { Scenario } from '../scenario/resolve.js';
export { estimateRun, type RunEstimate } from '../sim/estimate.js';
export { UserError, formatProblem, type Problem } from '../util/errors.js';
export type { Summary, TraceFigures, CheckerSummary, AnomalyCounts, AnomalyExample, OrderingsFigures } from '../export/summary.js';
export { checkExpectations, type ExpectationResult } from '../export/expect.js';
export { VERSION } from '../util/version.js';
export { CLOCK_RULES, CLOCK_RULE_FORMS, isClockRuleName, type ClockRuleName } from '../core/rules.js';
export type { TraceConsumer } from '../trace/bus.js';
export type { TraceEvent } from '../trace/events.js';
export type { LiveTransport } from './live.js';
export { DEFAULT_PORT, DEFAULT_BROADCAST, portProblem, addressProblem, nameProblem } from '../transport/defaults.js';
export { LiveError } from '../transport/socket.js';
export { openNodeLog, type NodeLog, type NodeLogOptions } from './node.js';
export { validate, type ValidateOptions, type ValidateResult, type VerdictConsumer } from './validate.js';
export { checkTrace, CausalityChecker, CHECK_SCOPES, type CheckScope, type CheckerFigures, type CheckerOptions } from '../check/checker.js';
export type { VerdictCounts } from '../check/verdicts.js';
export { AnomalyDetector, type Anomaly, type AnomalyKind } from '../check/anomalies.js';
export { renderRun, parseWindow, unknownNodesProblem, type RenderOptions, type RenderResult } from './render.js';
export { DRAW_LIMITS, type SliceOptions } from '../export/slice.js';
export { fmtTime } from '../export/svg.js';
export { TraceExpander, expandTraceText, type ExpandedLine } from '../trace/expand.js';
export { readTrace, readTraceLines, type TraceLine } from '../trace/read.js';
export { TRACE_FORMAT, type TraceHeader } from '../trace/events.js';
export { diffProgram, type DiffResult } from './programs.js';
export { ProgramFailure, type ProgramProblem } from '../program/node.js';
export { PYTHON_SHIM, withShim } from '../program/run.js';
export { DEFAULT_CLOCK_PATTERN, DEFAULT_PROGRAM_TIMEOUT_MS, type ProgramField } from '../scenario/program.js';
