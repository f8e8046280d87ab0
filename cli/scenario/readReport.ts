import { LineCounter, parseDocument } from 'yaml';
import { InputError, quote } from '../../sim/errors.js';
import { readRequired, type SizeLimit } from '../../sim/manifests/index.js';
import { ReadBudget } from '../io/NodeFileSystem.js';
import { inputFileSystem } from '../io/sandboxes.js';
import { REPORT_SCHEMA_VERSION } from './report.js';
import type { AnalysisRunState, MetricState } from './state.js';
import type { AnswerState, MeasurementState } from './traceState.js';

/** A JSON report `explain` reads: a long rehearsal's trace and events run to tens of MiB. */
export const REPORT_LIMIT: SizeLimit = { bytes: 64 * 1024 * 1024, what: 'a JSON report' };

/** A measurement as `explain` reads it back (the report's *Measurement*; NaN values come back null). */
export type ReportMeasurement = Pick<
  MeasurementState,
  | 'n'
  | 't'
  | 'address'
  | 'query'
  | 'result'
  | 'value'
  | 'conditions'
  | 'phase'
  | 'message'
  | 'metricPhase'
  | 'reason'
> & {
  counters: Pick<
    MeasurementState['counters'],
    'count' | 'failed' | 'inconclusive' | 'consecutiveError' | 'consecutiveSuccess'
  >;
};

/** A metric as `explain` reads it; the trace's fields are absent in a report written before it. */
export type ReportMetric = Pick<MetricState, 'name' | 'dryRun' | 'phase' | 'message'> &
  Partial<Pick<MetricState, 'limits' | 'measurementsDropped' | 'decided'>> & {
    measurements?: ReportMeasurement[];
  };

export type ReportRun = Pick<
  AnalysisRunState,
  'name' | 'rollout' | 'revision' | 'kind' | 'phase' | 'message' | 'startedAt' | 'completedAt'
> & { metrics: ReportMetric[] };

export interface ReportEvent {
  t: number;
  object: string;
  namespace: string;
  reason: string;
  message: string;
}

/** The parts of a JSON report (docs/report.md) that `explain` reads, checked. */
export interface ExplainableReport {
  scenario: { file: string };
  startTime: string;
  rollouts: Record<
    string,
    { name: string; namespace: string; phase: string; message: string; steps: number }
  >;
  analysisRuns: Record<string, ReportRun>;
  events: ReportEvent[];
}

type Path = readonly (string | number)[];

/**
 * Reads and checks a report file named on the command line — `run --json`'s, or `test --json`'s
 * with a report per scenario; anything else is one InputError.
 */
export function readReports(file: string): ExplainableReport[] {
  const fs = inputFileSystem(file, { budget: new ReadBudget(REPORT_LIMIT.bytes) });
  const text = readRequired(fs, file, REPORT_LIMIT);
  return parseReports(text, fs.display(file));
}

/** The reports in a file's text; `file` names it in messages (`file:line:col: …`). */
export function parseReports(text: string, file: string): ExplainableReport[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const at = /at position (\d+)/.exec(e.message);
    const { line, col } = lineCol(text, at ? Number(at[1]) : text.length);
    const reason = e.message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end');
    throw new InputError(`not JSON (${reason}); expected a canarysim JSON report (run --json FILE)`, {
      file,
      line,
      col,
    });
  }
  return new ReportReader(text, file).reports(json);
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/** Checks the fields explain reads, naming the first bad one at its line:col. */
class ReportReader {
  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  /** A report, or each report of a `test --json` file (`scenarios`), in order. */
  reports(json: unknown): ExplainableReport[] {
    const top = this.obj(json, [], 'a canarysim JSON report (an object)');
    const version = top['schemaVersion'];
    if (version !== REPORT_SCHEMA_VERSION)
      this.fail(
        version === undefined ? [] : ['schemaVersion'],
        version === undefined
          ? 'not a canarysim report (no schemaVersion); expected a report written by run --json'
          : `${quote(version)} is not a report schema this canarysim reads; expected ${REPORT_SCHEMA_VERSION}`,
      );
    if (top['rollouts'] === undefined && Array.isArray(top['scenarios']))
      return top['scenarios'].map((r, i) =>
        this.report(this.obj(r, ['scenarios', i], 'a report'), ['scenarios', i]),
      );
    return [this.report(top, [])];
  }

  private report(top: Record<string, unknown>, at: Path): ExplainableReport {
    const scenario = this.obj(top['scenario'], [...at, 'scenario'], 'an object');
    const rollouts: ExplainableReport['rollouts'] = {};
    for (const [k, v] of Object.entries(this.obj(top['rollouts'], [...at, 'rollouts'], 'an object'))) {
      const p = [...at, 'rollouts', k];
      const r = this.obj(v, p, 'a rollout (an object)');
      rollouts[k] = {
        name: this.str(r, p, 'name'),
        namespace: this.str(r, p, 'namespace'),
        phase: this.str(r, p, 'phase'),
        message: this.str(r, p, 'message'),
        steps: this.num(r, p, 'steps'),
      };
    }
    const analysisRuns: Record<string, ReportRun> = {};
    for (const [k, v] of Object.entries(this.obj(top['analysisRuns'], [...at, 'analysisRuns'], 'an object')))
      analysisRuns[k] = this.run(v, [...at, 'analysisRuns', k]);
    const events = this.arr(top['events'], [...at, 'events']).map((v, i) => {
      const p = [...at, 'events', i];
      const e = this.obj(v, p, 'an event (an object)');
      return {
        t: this.num(e, p, 't'),
        object: this.str(e, p, 'object'),
        namespace: this.str(e, p, 'namespace'),
        reason: this.str(e, p, 'reason'),
        message: this.str(e, p, 'message'),
      };
    });
    return {
      scenario: { file: this.str(scenario, [...at, 'scenario'], 'file') },
      startTime: this.time(top, at, 'startTime'),
      rollouts,
      analysisRuns,
      events,
    };
  }

  private run(v: unknown, p: Path): ReportRun {
    const r = this.obj(v, p, 'an analysis run (an object)');
    return {
      name: this.str(r, p, 'name'),
      rollout: this.str(r, p, 'rollout'),
      revision: this.num(r, p, 'revision'),
      kind: this.str(r, p, 'kind'),
      phase: this.str(r, p, 'phase'),
      message: this.str(r, p, 'message'),
      startedAt: r['startedAt'] === null ? null : this.time(r, p, 'startedAt'),
      completedAt: r['completedAt'] === null ? null : this.time(r, p, 'completedAt'),
      metrics: this.arr(r['metrics'], [...p, 'metrics']).map((m, i) => this.metric(m, [...p, 'metrics', i])),
    };
  }

  private metric(v: unknown, p: Path): ReportMetric {
    const m = this.obj(v, p, 'a metric (an object)');
    const out: ReportMetric = {
      name: this.str(m, p, 'name'),
      dryRun: this.bool(m, p, 'dryRun'),
      phase: this.str(m, p, 'phase'),
      // A report from before the trace: no message, limits or measurements.
      message: m['message'] === undefined ? '' : this.str(m, p, 'message'),
    };
    if (m['limits'] !== undefined) {
      const lp = [...p, 'limits'];
      const l = this.obj(m['limits'], lp, 'an object');
      out.limits = {
        failureLimit: this.num(l, lp, 'failureLimit'),
        inconclusiveLimit: this.num(l, lp, 'inconclusiveLimit'),
        consecutiveErrorLimit: this.num(l, lp, 'consecutiveErrorLimit'),
        consecutiveSuccessLimit: this.num(l, lp, 'consecutiveSuccessLimit'),
        count: l['count'] === null ? null : this.num(l, lp, 'count'),
      };
    }
    if (m['measurements'] !== undefined)
      out.measurements = this.arr(m['measurements'], [...p, 'measurements']).map((x, i) =>
        this.measurement(x, [...p, 'measurements', i]),
      );
    if (m['measurementsDropped'] !== undefined)
      out.measurementsDropped = this.num(m, p, 'measurementsDropped');
    if (m['decided'] !== undefined && m['decided'] !== null) {
      const dp = [...p, 'decided'];
      const d = this.obj(m['decided'], dp, 'an object or null');
      out.decided = {
        t: this.num(d, dp, 't'),
        phase: this.str(d, dp, 'phase'),
        reason: this.str(d, dp, 'reason'),
      };
    }
    return out;
  }

  private measurement(v: unknown, p: Path): ReportMeasurement {
    const m = this.obj(v, p, 'a measurement (an object)');
    const cp = [...p, 'counters'];
    const c = this.obj(m['counters'], cp, 'an object');
    const counter = (k: string) => this.num(c, cp, k);
    return {
      n: this.num(m, p, 'n'),
      t: this.num(m, p, 't'),
      address: this.str(m, p, 'address'),
      query: this.str(m, p, 'query'),
      result: m['result'] === null ? null : this.answer(m['result'], [...p, 'result']),
      value: this.str(m, p, 'value'),
      conditions: this.arr(m['conditions'], [...p, 'conditions']).map((x, i) => {
        const q = [...p, 'conditions', i];
        const o = this.obj(x, q, 'a condition (an object)');
        return {
          condition: this.oneOf(o, q, 'condition', ['successCondition', 'failureCondition'] as const),
          expression: this.str(o, q, 'expression'),
          value: o['value'] === null ? null : this.bool(o, q, 'value'),
          error: o['error'] === null ? null : this.str(o, q, 'error'),
        };
      }),
      phase: this.str(m, p, 'phase'),
      message: m['message'] === null ? null : this.str(m, p, 'message'),
      counters: {
        count: counter('count'),
        failed: counter('failed'),
        inconclusive: counter('inconclusive'),
        consecutiveError: counter('consecutiveError'),
        consecutiveSuccess: counter('consecutiveSuccess'),
      },
      metricPhase: this.str(m, p, 'metricPhase'),
      reason: m['reason'] === null ? null : this.str(m, p, 'reason'),
    };
  }

  private answer(v: unknown, p: Path): AnswerState {
    const a = this.obj(v, p, 'a query result (an object) or null');
    const type = this.oneOf(a, p, 'resultType', ['vector', 'scalar'] as const);
    return {
      resultType: type,
      series: this.arr(a['series'], [...p, 'series']).map((s, i) => {
        const q = [...p, 'series', i];
        const o = this.obj(s, q, 'a series (an object)');
        const labels: Record<string, string> = {};
        for (const [k, lv] of Object.entries(this.obj(o['labels'], [...q, 'labels'], 'an object')))
          labels[k] = this.str({ [k]: lv }, [...q, 'labels'], k);
        // NaN and ±Inf are null in JSON: Argo's `value` string keeps them.
        return { labels, value: o['value'] === null ? NaN : this.num(o, q, 'value') };
      }),
    };
  }

  private obj(v: unknown, p: Path, what: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      this.fail(p, `${describe(v)}: expected ${what}`);
    return v as Record<string, unknown>;
  }

  private arr(v: unknown, p: Path): unknown[] {
    if (!Array.isArray(v)) this.fail(p, `${describe(v)}: expected an array`);
    return v;
  }

  private str(o: Record<string, unknown>, p: Path, k: string): string {
    const v = o[k];
    if (typeof v !== 'string') this.bad(o, p, k, 'a string');
    return v;
  }

  private num(o: Record<string, unknown>, p: Path, k: string): number {
    const v = o[k];
    if (typeof v !== 'number') this.bad(o, p, k, 'a number');
    return v;
  }

  private bool(o: Record<string, unknown>, p: Path, k: string): boolean {
    const v = o[k];
    if (typeof v !== 'boolean') this.bad(o, p, k, 'true or false');
    return v;
  }

  private oneOf<T extends string>(o: Record<string, unknown>, p: Path, k: string, values: readonly T[]): T {
    const v = this.str(o, p, k);
    if (!(values as readonly string[]).includes(v))
      this.fail([...p, k], `${quote(v)}: expected ${values.map((x) => JSON.stringify(x)).join(' or ')}`);
    return v as T;
  }

  private time(o: Record<string, unknown>, p: Path, k: string): string {
    const v = this.str(o, p, k);
    if (Number.isNaN(Date.parse(v))) this.fail([...p, k], `${quote(v)}: expected an RFC 3339 time`);
    return v;
  }

  /** A field of the wrong type, at the value; a missing one, at its object. */
  private bad(o: Record<string, unknown>, p: Path, k: string, expected: string): never {
    if (k in o) this.fail([...p, k], `${describe(o[k])}: expected ${expected}`);
    this.fail(p, `no field ${JSON.stringify(k)}: expected ${expected} there`);
  }

  /** One line at the value's line:col (found by reading the text again as YAML, only now). */
  private fail(p: Path, message: string): never {
    const where = p.length ? `${pathText(p)}: ` : '';
    throw new InputError(`${where}${message}`, { file: this.file, ...this.locate(p) });
  }

  private locate(p: Path): { line: number; col: number } {
    try {
      const lc = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter: lc, uniqueKeys: false });
      const node = p.length
        ? (doc.getIn(p, true) as { range?: [number, number, number] } | undefined)
        : doc.contents;
      const at = node?.range?.[0];
      return at === undefined ? { line: 1, col: 1 } : lc.linePos(at);
    } catch {
      return { line: 1, col: 1 };
    }
  }
}

/** `analysisRuns["x"].metrics[0].limits`. */
function pathText(p: Path): string {
  let out = '';
  for (const [i, k] of p.entries()) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_]\w*$/.test(k)) out += i === 0 ? k : `.${k}`;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out;
}

/** A bad value for a message: objects and arrays by their kind, not their contents. */
function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  return quote(v);
}
