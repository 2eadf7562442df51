// The programmatic API: what the CLI calls, and what tests and other programs can call.
// Every name a caller outside src/api needs is exported here; src/index.ts re-exports it.

export * from './run.js';
export { loadScenarioFile, loadScenarioText, loadScenarioData, type Override, type LoadedScenario } from '../scenario/load.js';
export { UserError, formatProblem, type Problem } from '../util/errors.js';
export type { Summary, TraceFigures, CheckerSummary, AnomalyCounts, AnomalyExample, OrderingsFigures } from '../export/summary.js';
export { checkExpectations, type ExpectationResult } from '../export/expect.js';
export { VERSION } from '../util/version.js';
export type { LiveTransport } from './live.js';
export { validate, type ValidateOptions, type ValidateResult, type VerdictConsumer } from './validate.js';
export { checkTrace, CausalityChecker, type CheckScope, type CheckerFigures, type CheckerOptions } from '../check/checker.js';
export { AnomalyDetector, type Anomaly, type AnomalyKind } from '../check/anomalies.js';
export { renderRun, parseWindow, type RenderOptions, type RenderResult } from './render.js';
export { TraceExpander, expandTraceText, type ExpandedLine } from '../trace/expand.js';
export { readTrace, readTraceLines, type TraceLine } from '../trace/read.js';
export { TRACE_FORMAT, type TraceHeader, type TraceEvent } from '../trace/events.js';
