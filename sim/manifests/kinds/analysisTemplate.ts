import { compileRegexp, RegexpError } from '../../../go/regexp.js';
import { parseGoDuration } from '../../../go/duration.js';
import { MIN_MEASUREMENT_INTERVAL_MS } from '../limits.js';
import { ManifestError } from '../ManifestIssues.js';
import { NOT_SUPPORTED, type ManifestNode } from '../ManifestNode.js';

export interface TemplateArgSpec {
  name: string;
  /** Default value; undefined = required (the Rollout must supply it). */
  value?: string;
  node: ManifestNode;
}

/** An int field that may also be written as a `{{args.x}}` string, resolved when a run is created. */
export type IntOrArg = number | string;

export interface MetricTemplateSpec {
  name: string;
  node: ManifestNode;
  interval?: string;
  initialDelay?: string;
  count?: IntOrArg;
  failureLimit?: IntOrArg;
  inconclusiveLimit?: IntOrArg;
  consecutiveErrorLimit?: IntOrArg;
  consecutiveSuccessLimit?: IntOrArg;
  successCondition?: string;
  failureCondition?: string;
  provider: { prometheus: PrometheusProviderSpec };
}

/** One `headers[]` entry of the Prometheus provider: sent with every query. */
export interface PrometheusHeader {
  key: string;
  value: string;
}

/**
 * `authentication` of the Prometheus provider, with Argo's field names (analysis_types.go); a
 * part that is not written is absent. `basicAuth` is Argo ≥ 1.10's.
 */
export interface PrometheusAuthentication {
  /** AWS SigV4 signing (Amazon Managed Prometheus: Argo signs when the address has `aps-workspaces`). */
  sigv4?: { region?: string; profile?: string; roleArn?: string };
  /** OAuth2 client credentials (Argo requires clientId and clientSecret with tokenUrl). */
  oauth2?: { tokenUrl?: string; clientId?: string; clientSecret?: string; scopes: string[] };
  basicAuth?: { username?: string; password?: string };
}

/**
 * A Prometheus metric provider. `headers`, `authentication` and `insecure` change nothing when
 * the embedded Prometheus answers; a remote (real) Prometheus gets them as Argo sends them.
 */
export interface PrometheusProviderSpec {
  address?: string;
  query: string;
  timeoutSeconds?: number;
  /** Skip TLS verification of a remote Prometheus. */
  insecure?: boolean;
  headers?: PrometheusHeader[];
  authentication?: PrometheusAuthentication;
}

/** `spec.templates[]`: another (Cluster)AnalysisTemplate whose metrics, args and rules are included. */
export interface TemplateRefSpec {
  templateName: string;
  clusterScope: boolean;
  node: ManifestNode;
}

/** `spec.dryRun[]`: metrics whose names match the unanchored Go regexp run in dry-run mode. */
export interface DryRunRuleSpec {
  metricName: string;
  node: ManifestNode;
}

/** `spec.measurementRetention[]`: matching metrics keep their latest `limit` measurements (0 = 10). */
export interface RetentionRuleSpec {
  metricName: string;
  limit: number;
  node: ManifestNode;
}

export interface AnalysisTemplateSpec {
  args: TemplateArgSpec[];
  /** May be empty when `templates` brings the metrics. */
  metrics: MetricTemplateSpec[];
  templates: TemplateRefSpec[];
  dryRun: DryRunRuleSpec[];
  measurementRetention: RetentionRuleSpec[];
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** Every `{{…}}` in a string: its tag (e.g. `args.service-name`) and offset. */
export function placeholders(s: string): { tag: string; offset: number; length: number }[] {
  const out: { tag: string; offset: number; length: number }[] = [];
  for (const m of s.matchAll(PLACEHOLDER)) out.push({ tag: m[1]!, offset: m.index, length: m[0].length });
  return out;
}

/**
 * Replaces `{{args.x}}` with the arg's value, returning the result and a map from offsets in the
 * result back to offsets in the template (so a PromQL or condition error inside a substituted
 * query still points at the right line:col of the template file).
 */
export function substituteArgs(
  s: string,
  values: ReadonlyMap<string, string>,
): { text: string; toSource: (offset: number) => number } {
  const segments: { outStart: number; outEnd: number; srcStart: number; srcLen: number; literal: boolean }[] =
    [];
  let text = '';
  let last = 0;
  for (const p of placeholders(s)) {
    const m = /^args\.(.+)$/.exec(p.tag);
    const value = m ? values.get(m[1]!) : undefined;
    if (value === undefined) continue;
    segments.push({
      outStart: text.length,
      outEnd: text.length + (p.offset - last),
      srcStart: last,
      srcLen: p.offset - last,
      literal: true,
    });
    text += s.slice(last, p.offset);
    segments.push({
      outStart: text.length,
      outEnd: text.length + value.length,
      srcStart: p.offset,
      srcLen: p.length,
      literal: false,
    });
    text += value;
    last = p.offset + p.length;
  }
  segments.push({
    outStart: text.length,
    outEnd: text.length + (s.length - last),
    srcStart: last,
    srcLen: s.length - last,
    literal: true,
  });
  text += s.slice(last);
  const toSource = (offset: number) => {
    for (const seg of segments) {
      if (offset >= seg.outStart && offset < seg.outEnd)
        return seg.literal ? seg.srcStart + (offset - seg.outStart) : seg.srcStart;
    }
    return s.length;
  };
  return { text, toSource };
}

function intOrArg(n: ManifestNode, min: number): IntOrArg | undefined {
  if (!n.exists) return undefined;
  if (typeof n.value === 'number') return n.int({ min });
  const s = n.str();
  if (/^-?\d+$/.test(s)) {
    const v = Number(s);
    if (v < min) throw n.error(`invalid value ${v}: expected an integer ≥ ${min}`);
    return v;
  }
  if (!/^\{\{\s*args\.[^}]+\}\}$/.test(s.trim()))
    throw n.error(`invalid value ${JSON.stringify(s)}: expected an integer or {{args.<name>}}`);
  return s;
}

function duration(n: ManifestNode): string | undefined {
  if (!n.exists) return undefined;
  const s = n.str();
  if (placeholders(s).length === 0) {
    const ms = parseGoDuration(s);
    if (ms === undefined)
      throw n.error(`invalid duration ${JSON.stringify(s)}: expected a Go duration such as 30s, 5m or 1h30m`);
    if (ms < 0)
      throw n.error(
        `invalid duration ${JSON.stringify(s)}: expected a duration ≥ 0 such as 30s, 5m or 1h30m`,
      );
  }
  return s;
}

/**
 * A metric's `interval`: a duration of at least MIN_MEASUREMENT_INTERVAL_MS. Argo measures as
 * often as asked; on the simulated clock `1ns` would be a billion measurements a second.
 */
function measurementInterval(n: ManifestNode): string | undefined {
  const s = duration(n);
  const ms = s === undefined ? undefined : parseGoDuration(s);
  if (ms !== undefined && ms < MIN_MEASUREMENT_INTERVAL_MS)
    throw n.error(
      `interval ${JSON.stringify(s)} is shorter than 1s, canarysim's minimum between measurements`,
    );
  return s;
}

const PROVIDERS_NOT_SIMULATED = [
  'web',
  'job',
  'datadog',
  'newRelic',
  'wavefront',
  'kayenta',
  'cloudWatch',
  'graphite',
  'influxdb',
  'skywalking',
  'plugin',
];

/** `headers[]`: `{key, value}` strings, both required (Argo's WebMetricHeader). */
function headers(n: ManifestNode): PrometheusHeader[] {
  return n.list().flatMap((h) =>
    h.guard(() => {
      h.only(['key', 'value']);
      return [{ key: h.req('key').nonEmptyStr(), value: h.req('value').str() }];
    }, []),
  );
}

/** The string fields `keys` of mapping `p`, those present. */
function strings<K extends string>(p: ManifestNode, keys: readonly K[]): Partial<Record<K, string>> {
  const r: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = p.guard(() => p.optStr(k), undefined);
    if (v !== undefined) r[k] = v;
  }
  return r;
}

/** `authentication`: `sigv4`, `oauth2` and `basicAuth`, mappings of strings (and oauth2's scopes). */
function authentication(n: ManifestNode): PrometheusAuthentication {
  n.only(['sigv4', 'oauth2', 'basicAuth']);
  const out: PrometheusAuthentication = {};
  const sigv4 = n.child('sigv4');
  if (sigv4.exists)
    out.sigv4 = n.guard(() => {
      sigv4.only(['region', 'profile', 'roleArn']);
      return strings(sigv4, ['region', 'profile', 'roleArn']);
    }, {});
  const oauth2 = n.child('oauth2');
  if (oauth2.exists)
    out.oauth2 = n.guard(
      () => {
        oauth2.only(['tokenUrl', 'clientId', 'clientSecret', 'scopes']);
        const sc = oauth2.child('scopes');
        const scopes = sc.exists ? oauth2.guard(() => sc.list().map((x) => x.str()), []) : [];
        return { ...strings(oauth2, ['tokenUrl', 'clientId', 'clientSecret']), scopes };
      },
      { scopes: [] },
    );
  const basic = n.child('basicAuth');
  if (basic.exists)
    out.basicAuth = n.guard(() => {
      basic.only(['username', 'password']);
      return strings(basic, ['username', 'password']);
    }, {});
  return out;
}

function prometheus(prom: ManifestNode): PrometheusProviderSpec {
  prom.only(['address', 'query', 'timeout', 'insecure', 'headers', 'authentication'], ['rangeQuery']);
  const ins = prom.child('insecure');
  const insecure = ins.exists ? prom.guard(() => ins.bool(), undefined) : undefined;
  const h = prom.child('headers');
  const auth = prom.child('authentication');
  const out: PrometheusProviderSpec = {
    address: prom.guard(() => prom.optStr('address'), undefined),
    query: prom.req('query').nonEmptyStr(),
    timeoutSeconds: prom.guard(() => prom.optInt('timeout', { min: 1 }), undefined),
  };
  if (insecure !== undefined) out.insecure = insecure;
  if (h.exists) out.headers = prom.guard(() => headers(h), []);
  if (auth.exists) out.authentication = prom.guard(() => authentication(auth), {});
  return out;
}

const METRIC_FIELDS = [
  'name',
  'interval',
  'initialDelay',
  'count',
  'failureLimit',
  'inconclusiveLimit',
  'consecutiveErrorLimit',
  'consecutiveSuccessLimit',
  'successCondition',
  'failureCondition',
  'provider',
];

/** One metric; undefined when its provider is one canarysim does not simulate (reported in lint). */
function metric(m: ManifestNode, names: Set<string>): MetricTemplateSpec | undefined {
  if (m.child('dryRun').exists)
    m.report(
      m
        .child('dryRun')
        .error(
          'unknown field "dryRun": Argo has no per-metric dry-run flag; list the metric under spec.dryRun[].metricName',
          true,
        ),
    );
  m.only(m.child('dryRun').exists ? [...METRIC_FIELDS, 'dryRun'] : METRIC_FIELDS);
  const name = m.req('name').nonEmptyStr();
  if (names.has(name)) m.report(m.child('name').error(`two metrics have the same name '${name}'`));
  names.add(name);
  const field = <T>(read: () => T): T | undefined => m.guard(read, undefined);
  const count = field(() => intOrArg(m.child('count'), 0));
  const interval = field(() => measurementInterval(m.child('interval')));
  if (typeof count === 'number' && count > 1 && interval === undefined && !m.child('interval').exists)
    m.report(m.child('count').error('interval must be specified when count > 1'));
  const failureLimit = field(() => intOrArg(m.child('failureLimit'), -1));
  const inconclusiveLimit = field(() => intOrArg(m.child('inconclusiveLimit'), 0));
  const consecutiveSuccessLimit = field(() => intOrArg(m.child('consecutiveSuccessLimit'), 0));
  if (failureLimit === -1 && (consecutiveSuccessLimit === undefined || consecutiveSuccessLimit === 0))
    m.report(
      m.child('failureLimit').error('failureLimit and consecutiveSuccessLimit cannot both be disabled'),
    );
  if (typeof count === 'number' && count > 0) {
    if (typeof failureLimit === 'number' && count < failureLimit)
      m.report(m.child('count').error('count must be >= failureLimit'));
    if (typeof inconclusiveLimit === 'number' && count < inconclusiveLimit)
      m.report(m.child('count').error('count must be >= inconclusiveLimit'));
  }
  const rest = {
    name,
    node: m,
    interval,
    initialDelay: field(() => duration(m.child('initialDelay'))),
    count,
    failureLimit,
    inconclusiveLimit,
    consecutiveErrorLimit: field(() => intOrArg(m.child('consecutiveErrorLimit'), 0)),
    consecutiveSuccessLimit,
    successCondition: field(() => m.optStr('successCondition')),
    failureCondition: field(() => m.optStr('failureCondition')),
  };
  const provider = m.req('provider');
  const keys = Object.keys(provider.map());
  if (keys.length === 0) throw provider.error('no provider specified');
  if (keys.length > 1) throw provider.error('multiple providers specified');
  provider.only(
    ['prometheus'],
    PROVIDERS_NOT_SIMULATED,
    Object.fromEntries(
      PROVIDERS_NOT_SIMULATED.map((p) => [
        p,
        `the ${p} metric provider (a rehearsal measures prometheus metrics only)`,
      ]),
    ),
  );
  // Only in collecting mode does a provider canarysim does not simulate get here (reported above).
  if (!provider.child('prometheus').exists) return undefined;
  return { ...rest, provider: { prometheus: prometheus(provider.req('prometheus')) } };
}

/**
 * argoproj.io/v1alpha1 AnalysisTemplate / ClusterAnalysisTemplate with Prometheus metrics, nested
 * `templates`, `dryRun` and `measurementRetention` rules. Placeholders are not resolved here:
 * which args exist is only known when a Rollout merges its templates (spec §5.3), and an unknown
 * `{{tag}}` is then a run Error or an InvalidSpec Rollout, as in Argo. In lint each arg, metric
 * and rule is read independently.
 */
export function parseAnalysisTemplate(spec: ManifestNode): AnalysisTemplateSpec {
  spec.only(['args', 'metrics', 'dryRun', 'measurementRetention', 'templates']);
  const args = spec.child('args').exists
    ? spec
        .child('args')
        .list()
        .flatMap((a) =>
          a.guard(() => {
            a.only(['name', 'value'], ['valueFrom']);
            const v = a.child('value');
            return [{ name: a.req('name').nonEmptyStr(), value: v.exists ? v.str() : undefined, node: a }];
          }, []),
        )
    : [];
  const seen = new Set<string>();
  for (const a of args) {
    if (seen.has(a.name))
      a.node.report(a.node.child('name').error(`duplicate arg ${JSON.stringify(a.name)}`));
    seen.add(a.name);
  }
  const templates = spec.child('templates').exists
    ? spec
        .child('templates')
        .list()
        .flatMap((t): TemplateRefSpec[] =>
          t.guard(() => {
            t.only(['templateName', 'clusterScope']);
            const cs = t.child('clusterScope');
            return [
              {
                templateName: t.req('templateName').nonEmptyStr(),
                clusterScope: cs.exists ? cs.bool() : false,
                node: t,
              },
            ];
          }, []),
        )
    : [];
  const metricsNode = spec.child('metrics');
  if (!metricsNode.exists && !spec.child('templates').exists)
    throw new ManifestError(
      `${spec.subject}: ${metricsNode.field}: required field is missing (a template needs metrics or templates)`,
      spec.pos(),
      'invalid',
    );
  const names = new Set<string>();
  const metricNodes = metricsNode.exists ? metricsNode.list() : [];
  const metrics = metricNodes.flatMap((m) => m.guard(() => metric(m, names) ?? [], []));
  if (metricNodes.length === 0 && !spec.child('templates').exists)
    spec.report(metricsNode.error('no metrics specified (a template needs metrics or templates)'));
  const dryRun = spec
    .guard(() => rules(spec, 'dryRun', 'Dry-Run'), [])
    .map((r) => ({
      metricName: r.metricName,
      node: r.node,
    }));
  const measurementRetention = spec
    .guard(() => rules(spec, 'measurementRetention', 'Measurement Retention'), [])
    .flatMap((r) =>
      r.node.guard(
        () => [{ metricName: r.metricName, limit: r.node.req('limit').int({ min: 0 }), node: r.node }],
        [],
      ),
    );
  return { args, metrics, templates, dryRun, measurementRetention };
}

/** `dryRun[]` / `measurementRetention[]`: each metricName a Go regexp, no rule twice. */
function rules(spec: ManifestNode, key: string, label: string): { metricName: string; node: ManifestNode }[] {
  const n = spec.child(key);
  if (!n.exists) return [];
  const seen = new Set<string>();
  return n.list().flatMap((r) =>
    r.guard(() => {
      r.only(key === 'dryRun' ? ['metricName'] : ['metricName', 'limit']);
      const nameNode = r.req('metricName');
      const metricName = nameNode.nonEmptyStr();
      const compiled = compileRegexp(metricName);
      if (compiled instanceof RegexpError && compiled.kind === 'limit')
        throw nameNode.error(
          `${NOT_SUPPORTED}metricName regexp ${JSON.stringify(metricName)}: ${compiled.message}`,
          false,
          'not-simulated',
        );
      if (compiled instanceof RegexpError)
        throw nameNode.error(
          `invalid metricName regexp ${JSON.stringify(metricName)}: ${compiled.message} (Argo matches no metric with it, so every run would end in Error)`,
        );
      if (seen.has(metricName))
        throw nameNode.error(`two ${label} metric rules have the same name '${metricName}'`);
      seen.add(metricName);
      return [{ metricName, node: r }];
    }, []),
  );
}
