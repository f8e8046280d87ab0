import {
  fixedLatency,
  fromPercentiles,
  PODINFO_METRICS,
  PROMETHEUS_DEFAULT_BUCKETS,
  uniformLatency,
  type AppMetricLabel,
  type AppMetricsSpec,
  type LatencyModel,
} from '../../app/index.js';
import {
  parseImagePattern,
  type AppModel,
  type Behaviour,
  type BehaviourChange,
  type ErrorRule,
  type Fault,
  type StatusWeight,
} from '../../sim/apps/index.js';
import type { ManifestNode } from '../../sim/manifests/ManifestNode.js';
import { parseHttpMatchRequest } from '../../sim/manifests/kinds/virtualService.js';
import { parseDuration, parseRate, parseShare } from './quantities.js';

/** Bounds of what a scenario may declare about its apps. */
export const APP_LIMITS = {
  models: 100,
  errorRules: 20,
  statuses: 20,
  changes: 100,
  whenMatches: 20,
  buckets: 100,
  /** A latency above this is a hung request, not a latency: 1 hour. */
  latencyMs: 3_600_000,
} as const;

const BEHAVIOUR_KEYS = ['errors', 'latency', 'coldStart', 'saturation', 'ready', 'unhealthy'] as const;

/**
 * An HTTP status a model may answer with: a final one. A 1xx is informational (a client waits on
 * for the real answer), so live mode could not send it as the answer and Istio never counts it.
 */
const STATUS_EXPECTED = 'expected a final HTTP status from 200 to 599 (1xx are informational)';

function status(n: ManifestNode): number {
  const s = n.int();
  if (s < 200 || s > 599) throw n.error(`invalid status ${s}: ${STATUS_EXPECTED}`);
  return s;
}

/** `status: 503` or a weighted mix `{500: 3, 503: 1}`. */
function statuses(n: ManifestNode | undefined): StatusWeight[] {
  if (!n?.exists) return [{ status: 500, weight: 1 }];
  if (typeof n.value === 'number') return [{ status: status(n), weight: 1 }];
  const m = n.map();
  const keys = Object.keys(m);
  if (keys.length === 0) throw n.error('expected a status such as 503, or a mix such as {500: 3, 503: 1}');
  if (keys.length > APP_LIMITS.statuses)
    throw n.error(`${keys.length} statuses: expected at most ${APP_LIMITS.statuses}`);
  return keys.map((k) => {
    const s = Number(k);
    if (!/^\d{3}$/.test(k) || s < 200 || s > 599)
      throw n.child(k).error(`invalid status ${JSON.stringify(k)}: ${STATUS_EXPECTED}`, true);
    return { status: s, weight: n.child(k).int({ min: 1, max: 1_000_000 }) };
  });
}

/** One error rule: `2%`, or `{share, status, when}`. */
function errorRule(n: ManifestNode): ErrorRule {
  if (typeof n.value === 'string') return { share: parseShare(n), statuses: statuses(undefined) };
  n.only(['share', 'status', 'when']);
  const rule: ErrorRule = { share: parseShare(n.req('share')), statuses: statuses(n.child('status')) };
  const when = n.child('when');
  if (when.exists) {
    const list = Array.isArray(when.value) ? when.list() : [when];
    if (list.length > APP_LIMITS.whenMatches)
      throw when.error(`${list.length} matches: expected at most ${APP_LIMITS.whenMatches}`);
    rule.when = list.map((m) => parseHttpMatchRequest(m));
  }
  return rule;
}

function errors(n: ManifestNode): ErrorRule[] {
  const list = Array.isArray(n.value) ? n.list() : [n];
  if (list.length > APP_LIMITS.errorRules)
    throw n.error(`${list.length} rules: expected at most ${APP_LIMITS.errorRules}`);
  return list.map(errorRule);
}

function latencyMs(n: ManifestNode): number {
  const ms = parseDuration(n, { unit: true });
  if (ms > APP_LIMITS.latencyMs) throw n.error(`latency ${JSON.stringify(n.value)} is above the limit of 1h`);
  return ms;
}

/**
 * A latency: `{p50, p99}` (a log-normal through both), `{fixed}`, `{uniform: [min, max]}`, or a
 * bare duration (fixed).
 */
export function latency(n: ManifestNode): LatencyModel {
  if (typeof n.value === 'string') return fixedLatency(latencyMs(n));
  n.only(['p50', 'p99', 'fixed', 'uniform']);
  const keys = Object.keys(n.map());
  const shape = keys.includes('fixed') ? 'fixed' : keys.includes('uniform') ? 'uniform' : 'percentiles';
  if ((shape !== 'percentiles' && keys.length !== 1) || (shape === 'percentiles' && keys.length !== 2))
    throw n.error('expected {p50, p99}, {fixed} or {uniform: [min, max]}');
  if (shape === 'fixed') return fixedLatency(latencyMs(n.child('fixed')));
  if (shape === 'uniform') {
    const u = n.child('uniform');
    const [lo, hi] = u.list();
    if (u.list().length !== 2 || !lo || !hi) throw u.error('expected [min, max], such as [10ms, 50ms]');
    const min = latencyMs(lo);
    const max = latencyMs(hi);
    if (max < min)
      throw hi.error(
        `invalid uniform latency: max ${JSON.stringify(hi.value)} is below min ${JSON.stringify(lo.value)}`,
      );
    return uniformLatency(min, max);
  }
  const p50 = latencyMs(n.req('p50'));
  const p99 = latencyMs(n.req('p99'));
  if (p50 <= 0) throw n.child('p50').error('expected a median above 0');
  if (p99 < p50)
    throw n.child('p99').error(`invalid latency: p99 ${JSON.stringify(n.child('p99').value)} is below p50`);
  return fromPercentiles(p50, p99);
}

/** A latency factor: `2x`, `1.5x` or a number. */
function factor(n: ManifestNode): number {
  const v = n.value;
  const f =
    typeof v === 'number'
      ? v
      : typeof v === 'string' && /^\d+(\.\d+)?x$/.test(v)
        ? Number(v.slice(0, -1))
        : NaN;
  if (!(f >= 1 && f <= 1000))
    throw n.error(`invalid factor ${JSON.stringify(v)}: expected a factor such as 2x (1x to 1000x)`);
  return f;
}

/** The behaviour fields of a model, a change or a fault. */
function behaviour(n: ManifestNode): Behaviour {
  const b: Behaviour = {};
  if (n.child('errors').exists) b.errors = errors(n.child('errors'));
  if (n.child('latency').exists) b.latency = latency(n.child('latency'));
  const cs = n.child('coldStart');
  if (cs.exists) {
    cs.only(['requests', 'duration', 'latency']);
    const requests = cs.optInt('requests', { min: 1, max: 1_000_000_000 });
    const durationMs = cs.child('duration').exists
      ? parseDuration(cs.child('duration'), { positive: true })
      : undefined;
    if ((requests === undefined) === (durationMs === undefined))
      throw cs.error(
        'expected exactly one of requests (the first N requests) or duration (the first D after start)',
      );
    b.coldStart = {
      ...(requests !== undefined ? { requests } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      extra: latency(cs.req('latency')),
    };
  }
  const sat = n.child('saturation');
  if (sat.exists) {
    sat.only(['rate', 'errors', 'status', 'latency']);
    const rate = parseRate(sat.req('rate'));
    if (rate <= 0) throw sat.child('rate').error('expected a rate above 0');
    b.saturation = {
      rate,
      errorShare: sat.child('errors').exists ? parseShare(sat.child('errors')) : 1,
      status: sat.child('status').exists ? status(sat.child('status')) : 503,
      latencyFactor: sat.child('latency').exists ? factor(sat.child('latency')) : 1,
    };
  }
  if (n.child('ready').exists) b.ready = n.child('ready').bool();
  if (n.child('unhealthy').exists) b.unhealthy = n.child('unhealthy').bool();
  return b;
}

function change(n: ManifestNode): BehaviourChange {
  n.only(['at', 'after', 'ramp', ...BEHAVIOUR_KEYS]);
  const at = n.child('at');
  const after = n.child('after');
  if (at.exists === after.exists)
    throw n.error(
      'expected exactly one of at (time since the scenario start) or after (time since each pod started)',
    );
  const set = behaviour(n);
  if (Object.keys(set).length === 0) throw n.error(`expected at least one of ${BEHAVIOUR_KEYS.join(', ')}`);
  return {
    ...(at.exists ? { atMs: parseDuration(at) } : { afterStartMs: parseDuration(after) }),
    rampMs: n.child('ramp').exists ? parseDuration(n.child('ramp')) : 0,
    set,
    pos: n.pos(),
  };
}

function labelMap(n: ManifestNode, defaults: Record<string, AppMetricLabel>): Record<string, AppMetricLabel> {
  if (!n.exists) return defaults;
  const out: Record<string, AppMetricLabel> = {};
  for (const [k, v] of Object.entries(n.map())) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) || k.startsWith('__'))
      throw n
        .child(k)
        .error(`invalid label name ${JSON.stringify(k)}: expected a Prometheus label name`, true);
    if (v !== 'status' && v !== 'method' && v !== 'path')
      throw n.child(k).error(`invalid label value ${JSON.stringify(v)}: expected status, method or path`);
    out[k] = v;
  }
  return out;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** `metrics: podinfo` or the user's names: `{job, requests: {name, labels}, duration: {name, unit, buckets, labels}}`. */
function metrics(n: ManifestNode): AppMetricsSpec {
  if (typeof n.value === 'string') {
    if (n.value !== 'podinfo')
      throw n.error(`invalid metrics ${JSON.stringify(n.value)}: expected podinfo or a mapping`);
    return PODINFO_METRICS;
  }
  n.only(['job', 'requests', 'duration']);
  const spec: AppMetricsSpec = { job: n.optStr('job') ?? 'kubernetes-pods' };
  const r = n.child('requests');
  if (r.exists) {
    r.only(['name', 'labels']);
    const name = r.req('name').nonEmptyStr();
    if (!METRIC_NAME.test(name)) throw r.child('name').error(`invalid metric name ${JSON.stringify(name)}`);
    spec.requests = {
      name,
      help: 'Requests served.',
      labels: labelMap(r.child('labels'), { status: 'status' }),
    };
  }
  const d = n.child('duration');
  if (d.exists) {
    d.only(['name', 'unit', 'buckets', 'labels']);
    const name = d.req('name').nonEmptyStr();
    if (!METRIC_NAME.test(name)) throw d.child('name').error(`invalid metric name ${JSON.stringify(name)}`);
    const unit = d.optStr('unit') ?? 'seconds';
    if (unit !== 'seconds' && unit !== 'milliseconds')
      throw d.child('unit').error(`invalid unit ${JSON.stringify(unit)}: expected seconds or milliseconds`);
    let buckets = PROMETHEUS_DEFAULT_BUCKETS;
    if (d.child('buckets').exists) {
      const list = d.child('buckets').list();
      if (list.length === 0 || list.length > APP_LIMITS.buckets)
        throw d.child('buckets').error(`expected 1 to ${APP_LIMITS.buckets} bucket bounds`);
      buckets = list.map((b) => {
        if (typeof b.value !== 'number' || !(b.value > 0) || !Number.isFinite(b.value))
          throw b.error(`expected a positive bucket bound in ${unit}`);
        return b.value;
      });
      for (let i = 1; i < buckets.length; i++)
        if (buckets[i]! <= buckets[i - 1]!) throw list[i]!.error('bucket bounds must increase');
    } else if (unit === 'milliseconds') buckets = PROMETHEUS_DEFAULT_BUCKETS.map((b) => b * 1000);
    spec.duration = {
      name,
      help: 'Time spent serving requests.',
      unit,
      buckets,
      labels: labelMap(d.child('labels'), { method: 'method', path: 'path', status: 'status' }),
    };
  }
  if (!spec.requests && !spec.duration) throw n.error('expected requests, duration or both');
  return spec;
}

/** One entry of a scenario's `apps:` (see the README's "App models"). */
function appModel(n: ManifestNode): AppModel {
  n.only(['image', 'startup', 'crash', 'pull', 'changes', 'metrics', 'exact', ...BEHAVIOUR_KEYS]);
  const imageNode = n.req('image');
  const text = imageNode.nonEmptyStr();
  if (!/^[a-z0-9][a-z0-9._\-/:*]*$/.test(text) || text.length > 512)
    throw imageNode.error(
      `invalid image ${JSON.stringify(text)}: expected repository[:tag], the tag may use * (ghcr.io/acme/app:2.*)`,
    );
  const model: AppModel = {
    match: parseImagePattern(text),
    behaviour: behaviour(n),
    changes: [],
    neverReady: false,
    pullFails: false,
    exact: n.child('exact').exists ? n.child('exact').bool() : false,
    pos: n.pos(),
  };
  const startup = n.child('startup');
  if (startup.exists) {
    startup.only(['ready']);
    const ready = startup.req('ready');
    if (ready.value === 'never') model.neverReady = true;
    else model.readyAfterMs = parseDuration(ready);
  }
  const crash = n.child('crash');
  if (crash.exists) {
    crash.only(['after', 'afterRequests', 'exitCode']);
    const after = crash.child('after');
    const afterRequests = crash.optInt('afterRequests', { min: 1, max: 1_000_000_000 });
    if (after.exists === (afterRequests !== undefined))
      throw crash.error('expected exactly one of after (a duration after start) or afterRequests');
    model.crash = {
      ...(after.exists ? { afterMs: parseDuration(after, { positive: true }) } : { afterRequests }),
      exitCode: crash.optInt('exitCode', { min: 1, max: 255 }) ?? 1,
    };
  }
  const pull = n.child('pull');
  if (pull.exists) {
    if (pull.value !== 'fails')
      throw pull.error(
        `invalid pull ${JSON.stringify(pull.value)}: expected fails (the image does not exist)`,
      );
    model.pullFails = true;
  }
  const changes = n.child('changes');
  if (changes.exists) {
    const list = changes.list();
    if (list.length > APP_LIMITS.changes)
      throw changes.error(`${list.length} changes: expected at most ${APP_LIMITS.changes}`);
    model.changes = list.map(change);
  }
  if (n.child('metrics').exists) model.metrics = metrics(n.child('metrics'));
  return model;
}

/** A scenario's (or `serve --apps`') `apps:` list: app models, first match wins. */
export function parseApps(n: ManifestNode): AppModel[] {
  const list = n.list();
  if (list.length > APP_LIMITS.models)
    throw n.error(`${list.length} app models: expected at most ${APP_LIMITS.models}`);
  return list.map(appModel);
}

/**
 * A fault (`- fault: {...}` in a timeline, `canarysim fault set`, the control API): a target —
 * `image` (pattern) and/or `pod` (name) with `namespace` — and the behaviour it forces, or
 * `crash: now`, `crash: {after | afterRequests}`.
 */
export function parseFault(n: ManifestNode, defaultNamespace?: string): Fault {
  n.only(['image', 'pod', 'namespace', 'crash', ...BEHAVIOUR_KEYS]);
  const image = n.optStr('image');
  const pod = n.optStr('pod');
  if (image === undefined && pod === undefined)
    throw n.error('expected image (a pattern such as repo:tag) or pod (a name), or both');
  const fault: Fault = {
    ...(image !== undefined ? { image: parseImagePattern(image) } : {}),
    ...(pod !== undefined ? { pod } : {}),
    set: behaviour(n),
  };
  const ns = n.optStr('namespace') ?? (pod !== undefined ? defaultNamespace : undefined);
  if (ns !== undefined) fault.namespace = ns;
  const crash = n.child('crash');
  if (crash.exists) {
    if (crash.value === 'now') fault.crashNow = true;
    else {
      crash.only(['after', 'afterRequests', 'exitCode']);
      const after = crash.child('after');
      const afterRequests = crash.optInt('afterRequests', { min: 1, max: 1_000_000_000 });
      if (after.exists === (afterRequests !== undefined))
        throw crash.error('expected now, or exactly one of after or afterRequests');
      fault.crash = {
        ...(after.exists ? { afterMs: parseDuration(after, { positive: true }) } : { afterRequests }),
        exitCode: crash.optInt('exitCode', { min: 1, max: 255 }) ?? 1,
      };
    }
  }
  if (Object.keys(fault.set).length === 0 && !fault.crashNow && !fault.crash)
    throw n.error(`expected something to change: one of ${BEHAVIOUR_KEYS.join(', ')} or crash`);
  return fault;
}

/**
 * A fault's target as `clearFault` (timeline) and `POST /faults/clear` give it: `image` and/or
 * `pod` (with `namespace`; a pod without one is in `defaultNamespace`); neither: every fault.
 */
export function parseFaultTarget(
  n: ManifestNode,
  defaultNamespace: string,
): Pick<Fault, 'image' | 'pod' | 'namespace'> | undefined {
  n.only(['image', 'pod', 'namespace']);
  const image = n.optStr('image');
  const pod = n.optStr('pod');
  const namespace = n.optStr('namespace') ?? (pod !== undefined ? defaultNamespace : undefined);
  if (image === undefined && pod === undefined) {
    if (namespace !== undefined)
      throw n.child('namespace').error('expected image and/or pod with it (none clears every fault)');
    return undefined;
  }
  return {
    ...(image !== undefined ? { image: parseImagePattern(image) } : {}),
    ...(pod !== undefined ? { pod } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}
