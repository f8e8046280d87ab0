import {
  arrayOf,
  BOOL,
  FLOAT,
  keyedMap,
  recordOf,
  STRING,
  UNKNOWN,
  type KeyCheck,
  type Nature,
} from '../../sim/analysis/condition/index.js';
import { K8S_ALPHANUMS } from '../../sim/clock/index.js';

/**
 * The shape of the state conditions read (state.ts, docs/report.md), as data: the checker refuses
 * a field or a name the state cannot have before a scenario runs, and a test holds this schema
 * and a real state to each other field for field — a field added to one and not the other fails.
 */
export type Shape =
  | { readonly type: 'number' | 'string' | 'boolean'; readonly nullable?: true }
  | RecordShape
  | { readonly type: 'array'; readonly of: Shape }
  /** Values of one shape by key; `keys` says which keys the scenario makes (or `open`: any). */
  | { readonly type: 'map'; readonly of: Shape; readonly keys: KeyKind }
  /** A value of several types (a query's result): not checked. */
  | { readonly type: 'any' };

/** Plain data with a fixed set of fields. */
export interface RecordShape {
  readonly type: 'record';
  /** Names it in messages: `a rollout has no field "phas"`. */
  readonly what: string;
  readonly fields: Readonly<Record<string, Shape>>;
  readonly nullable?: true;
}

/** Where a map's keys come from. */
export type KeyKind = 'rollout' | 'analysisRun' | 'virtualService' | 'hey' | 'query' | 'traffic' | 'open';

const num: Shape = { type: 'number' };
const str: Shape = { type: 'string' };
const bool: Shape = { type: 'boolean' };
const nullable = <S extends Extract<Shape, { nullable?: true }>>(s: S): S => ({ ...s, nullable: true });
const record = (what: string, fields: Record<string, Shape>): RecordShape => ({
  type: 'record',
  what,
  fields,
});
const list = (of: Shape): Shape => ({ type: 'array', of });
const byKey = (of: Shape, keys: KeyKind): Shape => ({ type: 'map', of, keys });

const RUN_SUMMARY = record('a run summary', {
  count: num,
  successful: num,
  failed: num,
  inconclusive: num,
  error: num,
});

/** A query's answer, labels kept (traceState.ts): a scalar is one series without labels. */
const ANSWER = record('a query result', {
  resultType: str,
  series: list(record('a series', { labels: byKey(str, 'open'), value: num })),
});

const COUNTERS = record("a metric's counters", {
  count: num,
  successful: num,
  failed: num,
  inconclusive: num,
  error: num,
  consecutiveError: num,
  consecutiveSuccess: num,
});

/** One traced measurement (docs/report.md, *Measurement*). */
const MEASUREMENT = record('a measurement', {
  n: num,
  time: str,
  t: num,
  address: str,
  query: str,
  result: nullable(ANSWER),
  value: str,
  conditions: list(
    record('a condition', {
      condition: str,
      expression: str,
      value: nullable(bool),
      error: nullable(str),
    }),
  ),
  phase: str,
  message: nullable(str),
  counters: COUNTERS,
  metricPhase: str,
  reason: nullable(str),
  retained: bool,
});

const ANALYSIS_RUN = record('an analysis run', {
  name: str,
  rollout: str,
  revision: num,
  kind: str,
  phase: str,
  message: str,
  startedAt: nullable(str),
  completedAt: nullable(str),
  metrics: list(
    record('a metric', {
      name: str,
      dryRun: bool,
      phase: str,
      count: num,
      successful: num,
      failed: num,
      inconclusive: num,
      error: num,
      lastValue: nullable(str),
      lastMessage: nullable(str),
      message: str,
      consecutiveError: num,
      consecutiveSuccess: num,
      limits: record("a metric's limits", {
        failureLimit: num,
        inconclusiveLimit: num,
        consecutiveErrorLimit: num,
        consecutiveSuccessLimit: num,
        count: nullable(num),
      }),
      measurements: list(MEASUREMENT),
      measurementsDropped: num,
      decided: nullable(record("a metric's decision", { t: num, phase: str, reason: str })),
    }),
  ),
  runSummary: RUN_SUMMARY,
  dryRunSummary: nullable(RUN_SUMMARY),
});

const ROLLOUT = record('a rollout', {
  name: str,
  namespace: str,
  phase: str,
  message: str,
  step: str,
  stepIndex: nullable(num),
  steps: num,
  setWeight: num,
  actualWeight: num,
  images: record("a rollout's images", { stable: nullable(str), canary: nullable(str) }),
  replicas: record("a rollout's replicas", {
    desired: num,
    current: num,
    updated: num,
    ready: num,
    available: num,
  }),
  revision: num,
  aborted: bool,
  healthyAt: nullable(num),
  abortedAt: nullable(num),
  canaryRequestsBeforeAbort: nullable(num),
  canaryErrorsBeforeAbort: nullable(num),
  history: list(record('a phase transition', { t: num, phase: str, message: str })),
  revisions: list(
    record('a revision', {
      revision: num,
      replicaSet: str,
      hash: str,
      image: str,
      role: str,
      replicas: num,
      ready: num,
      available: num,
      pods: num,
      restarts: num,
      podStatus: byKey(num, 'open'),
    }),
  ),
  analysisRuns: list(ANALYSIS_RUN),
});

const COUNTS = {
  requests: num,
  responses: num,
  statusCodes: byKey(num, 'open'),
  statusClasses: record('the status classes', {
    '1xx': num,
    '2xx': num,
    '3xx': num,
    '4xx': num,
    '5xx': num,
  }),
  errors: num,
  errorMessages: byKey(num, 'open'),
  latency: record('a latency summary', {
    meanMs: nullable(num),
    p50Ms: nullable(num),
    p90Ms: nullable(num),
    p95Ms: nullable(num),
    p99Ms: nullable(num),
  }),
};

const TRAFFIC = record('a traffic', {
  id: str,
  running: bool,
  startedAt: str,
  stoppedAt: nullable(str),
  seconds: num,
  ratePerSecond: num,
  expectedRequests: num,
  ...COUNTS,
  mix: byKey(record('a mix entry', { ...COUNTS, share: num }), 'open'),
});

/** Everything a scenario's condition reads, by top-level name (state.ts `SimState`). */
export const STATE_SCHEMA = record('the state', {
  time: num,
  rollouts: byKey(ROLLOUT, 'rollout'),
  analysisRuns: byKey(ANALYSIS_RUN, 'analysisRun'),
  virtualServices: byKey(
    record('a virtual service', {
      name: str,
      namespace: str,
      routes: list(
        record('a route', {
          name: nullable(str),
          destinations: list(record('a destination', { host: str, weight: num })),
        }),
      ),
    }),
    'virtualService',
  ),
  hey: byKey(
    record('a hey', {
      id: str,
      running: bool,
      requests: num,
      statusCodes: byKey(num, 'open'),
      errors: num,
    }),
    'hey',
  ),
  queries: byKey({ type: 'any' }, 'query'),
  querySeries: byKey(nullable(ANSWER), 'query'),
  traffic: byKey(TRAFFIC, 'traffic'),
});

/** Which AnalysisRuns a Rollout's manifests can create (their name's last part). */
export interface RunKinds {
  background: boolean;
  /** Indexes of `analysis` steps. */
  steps: ReadonlySet<number>;
  prePromotion: boolean;
  postPromotion: boolean;
}

/** The names a scenario's state can hold, known before it runs: what its timeline applies and starts. */
export interface StateNames {
  rollouts: ReadonlyMap<string, RunKinds>;
  virtualServices: readonly string[];
  hey: readonly string[];
  queries: readonly string[];
  traffic: readonly string[];
}

/** The natures of the names a scenario's condition reads, for `checkCondition`. */
export function stateNatures(names: StateNames): ReadonlyMap<string, Nature> {
  const checks: Record<KeyKind, KeyCheck | undefined> = {
    rollout: among('Rollout', 'it applies', [...names.rollouts.keys()]),
    virtualService: among('VirtualService', 'it applies', names.virtualServices),
    hey: among('hey', 'its hey ids', names.hey),
    query: among('query', 'its query ids', names.queries),
    traffic: among('traffic', 'its traffic ids', names.traffic),
    analysisRun: analysisRunCheck(names.rollouts),
    open: undefined,
  };
  const natureOf = (s: Shape): Nature => {
    switch (s.type) {
      case 'number':
        return FLOAT;
      case 'string':
        return STRING;
      case 'boolean':
        return BOOL;
      case 'any':
        return UNKNOWN;
      case 'array':
        return arrayOf(natureOf(s.of));
      case 'map':
        return keyedMap(natureOf(s.of), checks[s.keys]);
      case 'record':
        return recordOf(s.what, new Map(Object.entries(s.fields).map(([k, f]) => [k, natureOf(f)] as const)));
    }
  };
  return new Map(Object.entries(STATE_SCHEMA.fields).map(([k, s]) => [k, natureOf(s)] as const));
}

/** Refuses a name the scenario never makes: `no query "x" in this scenario (its query ids: a, b)`. */
function among(kind: string, whose: string, names: readonly string[]): KeyCheck {
  const known = new Set(names);
  return (key) =>
    known.has(key)
      ? undefined
      : {
          message: `no ${kind} ${JSON.stringify(key)} in this scenario (${whose}: ${names.length > 0 ? [...known].sort().join(', ') : 'none'})`,
          candidates: names,
        };
}

/** `<hash>-<revision>[-<step>|-pre|-post][.N]`: what follows `<rollout>-` in a run's name. */
const RUN_NAME_TAIL = new RegExp(
  `^[${K8S_ALPHANUMS}]+-[1-9][0-9]*(-(?:[0-9]+|pre|post))?(?:\\.[1-9][0-9]*)?$`,
);

/**
 * Run names are generated, `<rollout>-<pod-template-hash>-<revision>[-<step>|-pre|-post]` (`.N`
 * on a collision): the hash and revision are known only once the run exists, so a literal name
 * is refused only when no Rollout of the scenario can create a run of that shape.
 */
function analysisRunCheck(rollouts: ReadonlyMap<string, RunKinds>): KeyCheck {
  const sorted = [...rollouts].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const suffixesOf = (k: RunKinds) => [
    ...(k.background ? [''] : []),
    ...[...k.steps].sort((a, b) => a - b).map((i) => `-${i}`),
    ...(k.prePromotion ? ['-pre'] : []),
    ...(k.postPromotion ? ['-post'] : []),
  ];
  const shapes = sorted.flatMap(([name, k]) => suffixesOf(k).map((sfx) => `${name}-<hash>-<revision>${sfx}`));
  const possible = (key: string) =>
    sorted.some(([name, k]) => {
      if (!key.startsWith(`${name}-`)) return false;
      const m = RUN_NAME_TAIL.exec(key.slice(name.length + 1));
      return m !== null && suffixesOf(k).includes(m[1] ?? '');
    });
  const example = sorted[0]?.[0] ?? 'NAME';
  return (key) =>
    possible(key)
      ? undefined
      : {
          message: `no AnalysisRun ${JSON.stringify(key)} can exist in this scenario (${shapes.length > 0 ? `its runs are named ${shapes.join(', ')}` : 'no Rollout it applies has an analysis'}); rollouts[${JSON.stringify(example)}].analysisRuns lists a Rollout's runs, oldest first ([-1] is the latest)`,
          candidates: [],
        };
}
