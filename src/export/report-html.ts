// report.html (placeholder while the report is built).
import type { RunSlice } from './slice.js';
import { renderSvg } from './svg.js';
export interface ReportExtras { readonly summary?: unknown }
export function renderReport(slice: RunSlice, _extras: ReportExtras): string {
  return '<!doctype html><html><body>' + renderSvg(slice) + '</body></html>\n';
}
