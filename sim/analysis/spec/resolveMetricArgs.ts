import type { IntOrArg, MetricTemplateSpec } from '../../manifests/kinds/analysisTemplate.js';
import { goQuote } from '../../../go/quote.js';

/** A metric's fields as written, placeholders resolved or not. */
export type MetricFields = Omit<MetricTemplateSpec, 'node'>;

type IntField =
  'count' | 'failureLimit' | 'inconclusiveLimit' | 'consecutiveErrorLimit' | 'consecutiveSuccessLimit';

/**
 * Argo's `ResolveMetricArgs` (spec §5.3): every `{{tag}}` in every field of a metric is replaced —
 * `{{args.x}}` and `{{ args.x }}` by arg x's value — the way valyala/fasttemplate does it over the
 * metric's JSON. A tag that is not a known arg makes it fail with `failed to resolve {{tag}}` (the
 * tag as written; with several, the last in JSON field order); an arg value that cannot survive
 * Argo's quote-into-JSON round trip (a control character such as \x07) fails as Go's JSON decoder
 * does. Values are inserted verbatim otherwise.
 */
export function resolveMetricArgs(
  metric: MetricFields,
  args: ReadonlyMap<string, string>,
): { metric: MetricFields } | { error: string } {
  let unresolved: string | undefined;
  let badValue: string | undefined;
  const sub = (s: string): string => {
    let out = '';
    let pos = 0;
    for (;;) {
      const open = s.indexOf('{{', pos);
      if (open < 0) return out + s.slice(pos);
      const close = s.indexOf('}}', open + 2);
      if (close < 0) throw new UnterminatedTag(s, s.slice(open + 2));
      const tag = s.slice(open + 2, close);
      const clean = tag.trim();
      const value = clean.startsWith('args.') ? args.get(clean.slice('args.'.length)) : undefined;
      out += s.slice(pos, open);
      if (value === undefined) unresolved = tag;
      else {
        badValue ??= jsonEscapeError(value);
        out += value;
      }
      pos = close + 2;
    }
  };
  const str = (s: string | undefined) => (s === undefined ? undefined : sub(s));
  const int = (v: IntOrArg | undefined) => (typeof v === 'string' ? sub(v) : v);
  let resolved: MetricFields;
  try {
    // JSON field order of Argo's Metric, so the last unresolved tag is the one Argo reports.
    const name = sub(metric.name);
    const interval = str(metric.interval);
    const initialDelay = str(metric.initialDelay);
    const count = int(metric.count);
    const successCondition = str(metric.successCondition);
    const failureCondition = str(metric.failureCondition);
    const ints: Partial<Record<IntField, IntOrArg | undefined>> = {
      failureLimit: int(metric.failureLimit),
      inconclusiveLimit: int(metric.inconclusiveLimit),
      consecutiveErrorLimit: int(metric.consecutiveErrorLimit),
    };
    const prom = metric.provider.prometheus;
    const address = str(prom.address);
    const query = sub(prom.query);
    ints.consecutiveSuccessLimit = int(metric.consecutiveSuccessLimit);
    resolved = {
      name,
      interval,
      initialDelay,
      count,
      successCondition,
      failureCondition,
      failureLimit: ints.failureLimit,
      inconclusiveLimit: ints.inconclusiveLimit,
      consecutiveErrorLimit: ints.consecutiveErrorLimit,
      consecutiveSuccessLimit: ints.consecutiveSuccessLimit,
      provider: { prometheus: { ...prom, address, query } },
    };
  } catch (e) {
    if (!(e instanceof UnterminatedTag)) throw e;
    return {
      error: `Cannot find end tag="}}" in the template=${goQuote(e.template)} starting from ${goQuote(e.rest)}`,
    };
  }
  if (unresolved !== undefined) return { error: `failed to resolve {{${unresolved}}}` };
  if (badValue !== undefined) return { error: badValue };
  return { metric: resolved };
}

class UnterminatedTag {
  constructor(
    readonly template: string,
    readonly rest: string,
  ) {}
}

/**
 * Argo escapes a value with Go's strconv.Quote before putting it into the metric's JSON, then
 * decodes that JSON: the escapes JSON lacks (\a, \v, \xNN) fail the decode.
 */
function jsonEscapeError(value: string): string | undefined {
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (c === 8 || c === 9 || c === 10 || c === 12 || c === 13) continue;
    if (c < 0x20 || c === 0x7f) {
      const letter = c === 7 ? 'a' : c === 11 ? 'v' : 'x';
      return `invalid character '${letter}' in string escape code`;
    }
  }
  return undefined;
}
