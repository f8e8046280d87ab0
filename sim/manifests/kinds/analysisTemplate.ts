import { compileGoRegex } from '../../analysis/condition/goRegex.js';
import { parseGoDuration } from '../../duration.js';
import { InputError } from '../../errors.js';
import type { ManifestNode } from '../ManifestNode.js';

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
  provider: { prometheus: { address?: string; query: string; timeoutSeconds?: number } };
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

/**
 * argoproj.io/v1alpha1 AnalysisTemplate / ClusterAnalysisTemplate with Prometheus metrics, nested
 * `templates`, `dryRun` and `measurementRetention` rules. Placeholders are not resolved here:
 * which args exist is only known when a Rollout merges its templates (spec §5.3), and an unknown
 * `{{tag}}` is then a run Error or an InvalidSpec Rollout, as in Argo.
 */
export function parseAnalysisTemplate(spec: ManifestNode): AnalysisTemplateSpec {
  spec.only(['args', 'metrics', 'dryRun', 'measurementRetention', 'templates']);
  const args = spec.child('args').exists
    ? spec
        .child('args')
        .list()
        .map((a) => {
          a.only(['name', 'value'], ['valueFrom']);
          const v = a.child('value');
          return { name: a.req('name').nonEmptyStr(), value: v.exists ? v.str() : undefined, node: a };
        })
    : [];
  const seen = new Set<string>();
  for (const a of args) {
    if (seen.has(a.name)) throw a.node.child('name').error(`duplicate arg ${JSON.stringify(a.name)}`);
    seen.add(a.name);
  }
  const templates = spec.child('templates').exists
    ? spec
        .child('templates')
        .list()
        .map((t): TemplateRefSpec => {
          t.only(['templateName', 'clusterScope']);
          const cs = t.child('clusterScope');
          return {
            templateName: t.req('templateName').nonEmptyStr(),
            clusterScope: cs.exists ? cs.bool() : false,
            node: t,
          };
        })
    : [];
  const metricsNode = spec.child('metrics');
  if (!metricsNode.exists && templates.length === 0)
    throw new InputError(
      `${spec.subject}: ${metricsNode.field}: required field is missing (a template needs metrics or templates)`,
      spec.pos(),
    );
  const names = new Set<string>();
  const metrics = (metricsNode.exists ? metricsNode.list() : []).map((m): MetricTemplateSpec => {
    if (m.child('dryRun').exists)
      throw m
        .child('dryRun')
        .error(
          'unknown field "dryRun": Argo has no per-metric dry-run flag; list the metric under spec.dryRun[].metricName',
          true,
        );
    m.only([
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
    ]);
    const name = m.req('name').nonEmptyStr();
    if (names.has(name)) throw m.child('name').error(`two metrics have the same name '${name}'`);
    names.add(name);
    const provider = m.req('provider');
    const keys = Object.keys(provider.map());
    if (keys.length === 0) throw provider.error('no provider specified');
    if (keys.length > 1) throw provider.error('multiple providers specified');
    provider.only(['prometheus'], PROVIDERS_NOT_SIMULATED);
    const prom = provider.req('prometheus');
    prom.only(['address', 'query', 'timeout', 'insecure'], ['headers', 'authentication', 'rangeQuery']);
    if (prom.child('insecure').exists) prom.child('insecure').bool();
    const count = intOrArg(m.child('count'), 0);
    const interval = duration(m.child('interval'));
    if (typeof count === 'number' && count > 1 && interval === undefined)
      throw m.child('count').error('interval must be specified when count > 1');
    const failureLimit = intOrArg(m.child('failureLimit'), -1);
    const inconclusiveLimit = intOrArg(m.child('inconclusiveLimit'), 0);
    const consecutiveSuccessLimit = intOrArg(m.child('consecutiveSuccessLimit'), 0);
    if (failureLimit === -1 && (consecutiveSuccessLimit === undefined || consecutiveSuccessLimit === 0)) {
      throw m.child('failureLimit').error('failureLimit and consecutiveSuccessLimit cannot both be disabled');
    }
    if (typeof count === 'number' && count > 0) {
      if (typeof failureLimit === 'number' && count < failureLimit)
        throw m.child('count').error('count must be >= failureLimit');
      if (typeof inconclusiveLimit === 'number' && count < inconclusiveLimit)
        throw m.child('count').error('count must be >= inconclusiveLimit');
    }
    return {
      name,
      node: m,
      interval,
      initialDelay: duration(m.child('initialDelay')),
      count,
      failureLimit,
      inconclusiveLimit,
      consecutiveErrorLimit: intOrArg(m.child('consecutiveErrorLimit'), 0),
      consecutiveSuccessLimit,
      successCondition: m.optStr('successCondition'),
      failureCondition: m.optStr('failureCondition'),
      provider: {
        prometheus: {
          address: prom.optStr('address'),
          query: prom.req('query').nonEmptyStr(),
          timeoutSeconds: prom.optInt('timeout', { min: 1 }),
        },
      },
    };
  });
  if (metrics.length === 0 && templates.length === 0)
    throw metricsNode.error('no metrics specified (a template needs metrics or templates)');
  const dryRun = rules(spec, 'dryRun', 'Dry-Run').map((r) => ({ metricName: r.metricName, node: r.node }));
  const measurementRetention = rules(spec, 'measurementRetention', 'Measurement Retention').map((r) => {
    r.node.only(['metricName', 'limit']);
    return { metricName: r.metricName, limit: r.node.req('limit').int({ min: 0 }), node: r.node };
  });
  return { args, metrics, templates, dryRun, measurementRetention };
}

/** `dryRun[]` / `measurementRetention[]`: each metricName a Go regexp, no rule twice. */
function rules(spec: ManifestNode, key: string, label: string): { metricName: string; node: ManifestNode }[] {
  const n = spec.child(key);
  if (!n.exists) return [];
  const seen = new Set<string>();
  return n.list().map((r) => {
    r.only(key === 'dryRun' ? ['metricName'] : ['metricName', 'limit']);
    const nameNode = r.req('metricName');
    const metricName = nameNode.nonEmptyStr();
    const compiled = compileGoRegex(metricName);
    if (typeof compiled === 'string')
      throw nameNode.error(
        `invalid metricName regexp ${JSON.stringify(metricName)}: ${compiled} (Argo matches no metric with it, so every run would end in Error)`,
      );
    if (seen.has(metricName))
      throw nameNode.error(`two ${label} metric rules have the same name '${metricName}'`);
    seen.add(metricName);
    return { metricName, node: r };
  });
}
