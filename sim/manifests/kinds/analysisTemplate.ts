import { parseGoDuration } from '../../duration.js';
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

export interface AnalysisTemplateSpec {
  args: TemplateArgSpec[];
  metrics: MetricTemplateSpec[];
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
  if (placeholders(s).length === 0 && parseGoDuration(s) === undefined) {
    throw n.error(`invalid duration ${JSON.stringify(s)}: expected a Go duration such as 30s, 5m or 1h30m`);
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

/** argoproj.io/v1alpha1 AnalysisTemplate / ClusterAnalysisTemplate with Prometheus metrics. */
export function parseAnalysisTemplate(spec: ManifestNode): AnalysisTemplateSpec {
  spec.only(['args', 'metrics'], ['dryRun', 'measurementRetention', 'templates']);
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
  const names = new Set<string>();
  const metrics = spec
    .req('metrics')
    .list()
    .map((m): MetricTemplateSpec => {
      m.only(
        [
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
        ],
        ['dryRun'],
      );
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
      const count = intOrArg(m.child('count'), 0);
      const interval = duration(m.child('interval'));
      if (typeof count === 'number' && count > 1 && interval === undefined)
        throw m.child('count').error('interval must be specified when count > 1');
      const failureLimit = intOrArg(m.child('failureLimit'), -1);
      const consecutiveSuccessLimit = intOrArg(m.child('consecutiveSuccessLimit'), 0);
      if (failureLimit === -1 && (consecutiveSuccessLimit === undefined || consecutiveSuccessLimit === 0)) {
        throw m
          .child('failureLimit')
          .error('failureLimit and consecutiveSuccessLimit cannot both be disabled');
      }
      return {
        name,
        node: m,
        interval,
        initialDelay: duration(m.child('initialDelay')),
        count,
        failureLimit,
        inconclusiveLimit: intOrArg(m.child('inconclusiveLimit'), 0),
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
  // Every placeholder must name a declared arg (Argo fails the run with `failed to resolve {{tag}}`).
  for (const m of metrics) {
    const fields: [string, string | undefined][] = [
      ['successCondition', m.successCondition],
      ['failureCondition', m.failureCondition],
      ['interval', m.interval],
      ['initialDelay', m.initialDelay],
    ];
    for (const k of [
      'count',
      'failureLimit',
      'inconclusiveLimit',
      'consecutiveErrorLimit',
      'consecutiveSuccessLimit',
    ] as const) {
      const v = m[k];
      if (typeof v === 'string') fields.push([k, v]);
    }
    for (const [field, value] of fields) checkPlaceholders(m.node.child(field), value, seen);
    checkPlaceholders(
      m.node.child('provider').child('prometheus').child('query'),
      m.provider.prometheus.query,
      seen,
    );
    checkPlaceholders(
      m.node.child('provider').child('prometheus').child('address'),
      m.provider.prometheus.address,
      seen,
    );
  }
  return { args, metrics };
}

function checkPlaceholders(n: ManifestNode, value: string | undefined, declared: ReadonlySet<string>): void {
  if (value === undefined) return;
  for (const p of placeholders(value)) {
    const m = /^args\.(.+)$/.exec(p.tag);
    if (!m)
      throw n.errorAt(
        p.offset,
        `failed to resolve {{${p.tag}}}: only {{args.<name>}} placeholders are supported in templates`,
      );
    if (!declared.has(m[1]!))
      throw n.errorAt(
        p.offset,
        `failed to resolve {{${p.tag}}}: arg ${JSON.stringify(m[1])} is not declared in spec.args`,
      );
  }
}
