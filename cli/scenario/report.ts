import type { SimEvent } from '../../sim/EventLog.js';
import type { RunResult } from './runScenario.js';
import type { Scenario } from './types.js';

/** Version of the report's shape; bumped on any incompatible change (docs/report.md). */
export const REPORT_SCHEMA_VERSION = 1;

/**
 * The JSON report of a run: a stable, documented interface for CI (docs/report.md). It holds only
 * simulated facts — no wall-clock time — so the same scenario and seed give the same bytes.
 */
export function buildReport(scenario: Scenario, seed: number, run: RunResult) {
  const w = run.world;
  const start = scenario.settings.startMs;
  const hey: Record<string, unknown> = {};
  for (const [id, h] of run.hey) {
    const r = h.result ?? h.hey.snapshot();
    hey[id] = {
      command: h.command,
      requests: r.results,
      responses: r.responses,
      durationSeconds: r.totalMs / 1000,
      requestsPerSecond: r.totalMs > 0 ? Math.round((r.results / (r.totalMs / 1000)) * 1e4) / 1e4 : 0,
      statusCodes: Object.fromEntries(r.statusCodes.map(([c, n]) => [String(c), n])),
      errors: Object.fromEntries(r.errors),
    };
  }
  const stats = w.storage.stats();
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    scenario: { name: scenario.name, file: scenario.file, seed, argoRollouts: scenario.settings.argo },
    startTime: new Date(start).toISOString(),
    endTime: new Date(w.now()).toISOString(),
    simulatedSeconds: (w.now() - start) / 1000,
    passed: run.passed,
    rollouts: run.state.rollouts,
    analysisRuns: run.state.analysisRuns,
    virtualServices: run.state.virtualServices,
    hey,
    traffic: run.state.traffic,
    queries: run.state.queries,
    querySeries: run.state.querySeries,
    notices: w.notices,
    expectations: run.expectations,
    events: w.events.events.map((e: SimEvent) => ({
      time: new Date(e.time).toISOString(),
      t: (e.time - start) / 1000,
      type: e.type,
      object: e.object,
      namespace: e.namespace,
      reason: e.reason,
      message: e.message,
    })),
    stats: {
      simulatedRequests:
        [...run.hey.values()].reduce((a, h) => a + h.hey.sent, 0) +
        [...run.traffic.values()].reduce((a, t) => a + t.sent, 0),
      scrapes: w.scraper.scrapes,
      series: stats.series,
      samples: stats.samples,
    },
  };
}

export type Report = ReturnType<typeof buildReport>;
