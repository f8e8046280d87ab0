import { formatRate } from '../../loadgen/describeTraffic.js';
import { entryUrl } from '../../loadgen/trafficRequests.js';
import {
  MIX_WEIGHT_TOTAL,
  type SchedulePoint,
  type TrafficMixEntry,
  type TrafficRate,
  type TrafficSpec,
} from '../../loadgen/TrafficSpec.js';
import type { ManifestNode } from '../../sim/manifests/ManifestNode.js';
import type { MeshSource } from '../../sim/mesh/index.js';
import { parseRequestUrl } from '../../sim/mesh/index.js';
import {
  formatShare,
  MAX_RATE_PER_SECOND,
  MAX_SCENARIO_DURATION_MS,
  parseDuration,
  parseRate,
  parseShareUnits,
} from './quantities.js';
import { expandVars } from './shellWords.js';

export type { TrafficSpec } from '../../loadgen/TrafficSpec.js';

/** Bounds on what a scenario may ask for: generous for a rehearsal, small enough to stay fast. */
export const TRAFFIC_LIMITS = {
  maxPerSecond: MAX_RATE_PER_SECOND,
  maxMix: 100,
  maxSchedulePoints: 1_000,
  maxDurationMs: MAX_SCENARIO_DURATION_MS,
  maxHeaders: 100,
  maxQuery: 100,
  maxBodyChars: 1 << 20,
  maxUrlChars: 8_192,
} as const;

const FIELDS = [
  'id',
  'url',
  'namespace',
  'rate',
  'arrivals',
  'ramp',
  'schedule',
  'daily',
  'duration',
  'method',
  'headers',
  'body',
  'mix',
  'from',
];

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const RFC1123_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/**
 * Reads a scenario's `- traffic:` entry: open-model load, arrivals at a rate whatever the
 * latency, seeded. `defaults.namespace` is kubectl's namespace (the scenario's `namespace`).
 *
 * ```yaml
 * - traffic:
 *     id: users                      # default "traffic": conditions read traffic["users"]
 *     url: http://checkout.$ISTIO_HOST/api/cart   # http(s); $VARS from the scenario's env
 *     # the rate: exactly one of rate (optionally with ramp), schedule or daily
 *     rate: 20/s                     # also 5 (per second), 0.5/s, 1200/m, 72000/h; ≤ 1,000,000/s
 *     ramp: {to: 200/s, over: 10m}   # linear from rate to `to`, then stays at `to`
 *     schedule:                      # piecewise, times since the traffic started; the first at 0s
 *       - {at: 0s, rate: 5/s, ramp: true}   # ramp: true goes linearly to the next point's rate
 *       - {at: 10m, rate: 50/s}             # held from 10m on (the last point holds)
 *     daily: {min: 2/s, max: 40/s, peakAt: "14:00"}   # a 24 h sinusoid on the scenario's UTC clock
 *     arrivals: poisson              # (default) seeded Poisson counts | uniform: evenly spaced, exact
 *     duration: 1h                   # default: until stopTraffic or the end of the run; ≤ 720h
 *     method: GET                    # default GET
 *     headers: {x-user: beta}        # values are strings: quote numbers ("1.10")
 *     body: '{"a":1}'
 *     mix:                           # kinds of request by share, adding up to exactly 100%
 *       - {share: 80%, path: /api/cart}
 *       - {share: 20%, name: checkout, path: /api/checkout, method: POST,
 *          headers: {x-user: beta}, query: {debug: "1"}, body: '{"a":1}'}
 *     from: {workload: frontend, namespace: shop, app: frontend, version: v1}   # east-west
 *     namespace: shop                # where short Service names resolve (default: from's, then kubectl's)
 * - stopTraffic: users
 * ```
 *
 * A mix entry's `path` replaces the URL's, its `query` is set over the URL's parameters, its
 * `method`, `headers` and `body` over the traffic's; it is named by `name` or else its path.
 * Every problem is an InputError at its file:line:col.
 */
export function parseTrafficAction(
  node: ManifestNode,
  env: Readonly<Record<string, string>>,
  defaults: { namespace: string } = { namespace: 'default' },
): TrafficSpec {
  node.map();
  node.only(FIELDS);
  const idNode = node.child('id');
  const id = idNode.exists ? idNode.nonEmptyStr() : 'traffic';
  if (!ID.test(id))
    throw idNode.error(
      `invalid id ${JSON.stringify(id)}: expected letters, digits, '-', '_' or '.' (at most 63, starting with a letter or digit)`,
    );
  const urlNode = node.req('url');
  const url = expandedString(urlNode, env);
  if (url.length > TRAFFIC_LIMITS.maxUrlChars)
    throw urlNode.error(`URL of ${url.length} characters: expected at most ${TRAFFIC_LIMITS.maxUrlChars}`);
  const space = /[\s\p{Cc}]/u.exec(url);
  if (space)
    throw urlNode.error(
      `invalid URL ${JSON.stringify(url)}: it contains whitespace or a control character (percent-encode it)`,
    );
  const parsedUrl = parseRequestUrl(url);
  if (typeof parsedUrl === 'string') throw urlNode.error(parsedUrl);

  const rate = rateShape(node);
  const nsNode = node.child('namespace');
  const namespace = nsNode.exists ? k8sName(nsNode, RFC1123_LABEL, 63, 'namespace') : undefined;
  const from = node.child('from').exists
    ? source(node.child('from'), namespace ?? defaults.namespace)
    : undefined;

  const arrivalsNode = node.child('arrivals');
  const arrivals = arrivalsNode.exists ? arrivalsNode.str() : 'poisson';
  if (arrivals !== 'poisson' && arrivals !== 'uniform')
    throw arrivalsNode.error(`invalid arrivals ${JSON.stringify(arrivals)}: expected poisson or uniform`);

  const durationNode = node.child('duration');
  const durationMs = durationNode.exists ? parseDuration(durationNode, { positive: true }) : undefined;
  const method = node.child('method').exists ? methodOf(node.child('method')) : 'GET';
  const headers = node.child('headers').exists ? parseHeaderMap(node.child('headers'), env) : {};
  const body = node.child('body').exists ? bodyOf(node.child('body')) : undefined;
  const mix = node.child('mix').exists ? mixOf(node.child('mix'), env, url, parsedUrl.path) : undefined;

  return {
    id,
    url,
    namespace: from?.namespace ?? namespace ?? defaults.namespace,
    rate,
    arrivals,
    ...(durationMs !== undefined ? { durationMs } : {}),
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(mix ? { mix } : {}),
    ...(from ? { from } : {}),
  };
}

/** `- stopTraffic: ID` (a bare `stopTraffic:` with no value stops the id "traffic"). */
export function parseStopTrafficAction(node: ManifestNode): string {
  if (!node.exists) return 'traffic';
  const id = node.nonEmptyStr();
  if (!ID.test(id)) throw node.error(`invalid id ${JSON.stringify(id)}: expected a traffic's id`);
  return id;
}

/**
 * Request headers: names are HTTP tokens (reported at the key), values strings without CR, LF
 * or NUL, `$VARS` expanded. YAML would turn 1.10 into 1.1 and 0x10 into 16, so numbers must be
 * quoted: the header says what the file says. Names come back in lower case, each once.
 */
export function parseHeaderMap(
  node: ManifestNode,
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  const m = node.map();
  const names = Object.keys(m);
  if (names.length > TRAFFIC_LIMITS.maxHeaders)
    throw node.error(`${names.length} headers: expected at most ${TRAFFIC_LIMITS.maxHeaders}`);
  const out: Record<string, string> = {};
  const written = new Map<string, string>();
  for (const name of names) {
    const h = node.child(name);
    if (!TOKEN.test(name))
      throw h.error(
        `invalid header name ${JSON.stringify(name)}: expected an HTTP token such as X-Canary`,
        true,
      );
    const lower = name.toLowerCase();
    const before = written.get(lower);
    if (before !== undefined)
      throw h.error(
        `header ${JSON.stringify(name)} repeats ${JSON.stringify(before)} (header names are case-insensitive)`,
        true,
      );
    written.set(lower, name);
    const value = h.value;
    if (typeof value === 'number' || typeof value === 'boolean')
      throw h.error(`expected a header value (a string), got ${typeof value} ${String(value)}: quote it`);
    if (typeof value !== 'string')
      throw h.error(
        `expected a header value (a string), got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : 'a mapping'}`,
      );
    const v = expandedString(h, env, true);
    if (/[\r\n\0]/.test(v)) throw h.error('invalid header value: it contains a line break or NUL');
    out[lower] = v;
  }
  return out;
}

function rateShape(node: ManifestNode): TrafficRate {
  const given = (['rate', 'schedule', 'daily'] as const).filter((k) => node.child(k).exists);
  const ramp = node.child('ramp');
  if (given.length > 1)
    throw node
      .child(given[1]!)
      .error(
        `${given[0]} and ${given[1]} both set: expected exactly one of rate (with an optional ramp), schedule or daily`,
        true,
      );
  if (ramp.exists && given[0] !== 'rate')
    throw ramp.error('ramp starts from `rate`: set rate too (or use a schedule)', true);
  if (given.length === 0)
    throw node.error(
      'no rate: expected one of rate (e.g. rate: 20/s, optionally with ramp), schedule or daily',
    );
  switch (given[0]!) {
    case 'rate': {
      const perSecond = parseRate(node.child('rate'));
      if (!ramp.exists) return { kind: 'constant', perSecond };
      ramp.only(['to', 'over']);
      return {
        kind: 'ramp',
        fromPerSecond: perSecond,
        toPerSecond: parseRate(ramp.req('to')),
        overMs: parseDuration(ramp.req('over'), { positive: true }),
      };
    }
    case 'schedule':
      return { kind: 'schedule', points: scheduleOf(node.child('schedule')) };
    case 'daily':
      return dailyOf(node.child('daily'));
  }
}

function scheduleOf(n: ManifestNode): SchedulePoint[] {
  const items = n.list();
  if (items.length === 0) throw n.error('expected at least one point ({at: 0s, rate: 5/s})');
  if (items.length > TRAFFIC_LIMITS.maxSchedulePoints)
    throw n.error(`${items.length} points: expected at most ${TRAFFIC_LIMITS.maxSchedulePoints}`);
  const points: SchedulePoint[] = [];
  items.forEach((item, i) => {
    item.only(['at', 'rate', 'ramp']);
    const atNode = item.req('at');
    const atMs = parseDuration(atNode, { positive: false });
    if (i === 0 && atMs !== 0)
      throw atNode.error(
        `the first point must be at 0s (the rate before ${String(atNode.value)} would be unknown)`,
      );
    const prev = points[i - 1];
    if (prev && atMs <= prev.atMs)
      throw atNode.error(
        `at ${String(atNode.value)} is not after the previous point's (${String(items[i - 1]!.child('at').value)}): times must increase`,
      );
    const rampNode = item.child('ramp');
    const ramp = rampNode.exists ? rampNode.bool() : false;
    if (ramp && i === items.length - 1)
      throw rampNode.error('the last point has no next point to ramp to (it holds its rate)');
    points.push({ atMs, perSecond: parseRate(item.req('rate')), ramp });
  });
  return points;
}

function dailyOf(n: ManifestNode): TrafficRate {
  n.only(['min', 'max', 'peakAt']);
  const minPerSecond = parseRate(n.req('min'));
  const maxNode = n.req('max');
  const maxPerSecond = parseRate(maxNode);
  if (maxPerSecond < minPerSecond)
    throw maxNode.error(
      `max ${formatRate(maxPerSecond)} is below min ${formatRate(minPerSecond)}: expected max ≥ min`,
    );
  const peak = n.req('peakAt');
  if (typeof peak.value !== 'string')
    throw peak.error(
      `expected a UTC time of day such as "14:00" (quoted), got ${JSON.stringify(peak.value)}`,
    );
  const m = /^(\d{1,2}):(\d\d)(?::(\d\d))?$/.exec(peak.value);
  const [h, mi, s] = m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [NaN, NaN, NaN];
  if (!m || h > 23 || mi > 59 || s > 59)
    throw peak.error(
      `invalid time of day ${JSON.stringify(peak.value)}: expected HH:MM or HH:MM:SS (UTC), 00:00 to 23:59:59`,
    );
  return { kind: 'daily', minPerSecond, maxPerSecond, peakAtMs: ((h * 60 + mi) * 60 + s) * 1000 };
}

function mixOf(
  n: ManifestNode,
  env: Readonly<Record<string, string>>,
  url: string,
  urlPath: string,
): TrafficMixEntry[] {
  const items = n.list();
  if (items.length === 0) throw n.error('expected at least one entry ({share: 100%, path: /})');
  if (items.length > TRAFFIC_LIMITS.maxMix)
    throw n.error(`${items.length} entries: expected at most ${TRAFFIC_LIMITS.maxMix}`);
  const out: TrafficMixEntry[] = [];
  const names = new Map<string, number>();
  let total = 0;
  items.forEach((item, i) => {
    item.only(['share', 'name', 'path', 'query', 'method', 'headers', 'body']);
    const shareNode = item.req('share');
    const weight = parseShareUnits(shareNode);
    total += weight;
    const pathNode = item.child('path');
    const path = pathNode.exists ? pathOf(pathNode, env) : undefined;
    const query = item.child('query').exists ? queryOf(item.child('query'), env) : undefined;
    const method = item.child('method').exists ? methodOf(item.child('method')) : undefined;
    const headers = item.child('headers').exists ? parseHeaderMap(item.child('headers'), env) : undefined;
    const body = item.child('body').exists ? bodyOf(item.child('body')) : undefined;
    const checked = entryUrl(url, path, query);
    if (typeof checked === 'string') throw item.error(checked);
    const nameNode = item.child('name');
    const name = nameNode.exists ? nameNode.nonEmptyStr() : (path ?? urlPath);
    if (name.length > 253) throw nameNode.error(`a name of ${name.length} characters: expected at most 253`);
    const first = names.get(name);
    if (first !== undefined)
      throw (nameNode.exists ? nameNode : item).error(
        `mix[${first}] and mix[${i}] are both named ${JSON.stringify(name)}: give each a distinct name`,
      );
    names.set(name, i);
    out.push({
      name,
      share: weight / 10_000,
      weight,
      ...(path !== undefined ? { path } : {}),
      ...(query ? { query } : {}),
      ...(method ? { method } : {}),
      ...(headers ? { headers } : {}),
      ...(body !== undefined ? { body } : {}),
    });
  });
  if (total !== MIX_WEIGHT_TOTAL)
    throw n.error(`shares add up to ${formatShare(total)}: expected exactly 100%`);
  return out;
}

function pathOf(n: ManifestNode, env: Readonly<Record<string, string>>): string {
  const p = expandedString(n, env);
  if (!p.startsWith('/')) throw n.error(`invalid path ${JSON.stringify(p)}: expected one starting with /`);
  const bad = /[\s\p{Cc}?#]/u.exec(p);
  if (bad)
    throw n.errorAt(
      bad.index,
      bad[0] === '?' || bad[0] === '#'
        ? `invalid path ${JSON.stringify(p)}: ${JSON.stringify(bad[0])} does not belong in a path (put parameters under query:)`
        : `invalid path ${JSON.stringify(p)}: it contains whitespace or a control character`,
    );
  if (p.length > TRAFFIC_LIMITS.maxUrlChars)
    throw n.error(`a path of ${p.length} characters: expected at most ${TRAFFIC_LIMITS.maxUrlChars}`);
  return p;
}

function queryOf(n: ManifestNode, env: Readonly<Record<string, string>>): Record<string, string> {
  const m = n.map();
  const names = Object.keys(m);
  if (names.length > TRAFFIC_LIMITS.maxQuery)
    throw n.error(`${names.length} query parameters: expected at most ${TRAFFIC_LIMITS.maxQuery}`);
  const out: Record<string, string> = {};
  for (const name of names) {
    const c = n.child(name);
    if (name === '') throw c.error('a query parameter needs a name', true);
    const v = c.value;
    if (typeof v === 'number' || typeof v === 'boolean')
      throw c.error(`expected a query value (a string), got ${typeof v} ${String(v)}: quote it`);
    out[name] = expandedString(c, env, true);
  }
  return out;
}

function methodOf(n: ManifestNode): string {
  const m = n.nonEmptyStr();
  if (!TOKEN.test(m) || m.length > 32)
    throw n.error(`invalid method ${JSON.stringify(m)}: expected an HTTP method such as GET or POST`);
  // hey and Go's client send the method as given; upper case is what servers and Istio match.
  return m.toUpperCase();
}

function bodyOf(n: ManifestNode): string {
  const b = n.str();
  if (b.length > TRAFFIC_LIMITS.maxBodyChars)
    throw n.error(`a body of ${b.length} characters: expected at most ${TRAFFIC_LIMITS.maxBodyChars}`);
  return b;
}

function source(n: ManifestNode, namespace: string): MeshSource {
  n.only(['workload', 'namespace', 'app', 'version']);
  const workload = k8sName(n.req('workload'), RFC1123_NAME, 253, 'workload name');
  const ns = n.child('namespace');
  const app = n.child('app');
  const version = n.child('version');
  return {
    namespace: ns.exists ? k8sName(ns, RFC1123_LABEL, 63, 'namespace') : namespace,
    workload,
    ...(app.exists ? { app: labelValue(app) } : {}),
    ...(version.exists ? { version: labelValue(version) } : {}),
  };
}

function k8sName(n: ManifestNode, re: RegExp, max: number, what: string): string {
  const s = n.nonEmptyStr();
  if (!re.test(s) || s.length > max)
    throw n.error(
      `invalid ${what} ${JSON.stringify(s)}: expected a lowercase RFC 1123 name (at most ${max})`,
    );
  return s;
}

function labelValue(n: ManifestNode): string {
  const v = n.value;
  if (typeof v === 'number' || typeof v === 'boolean')
    throw n.error(`expected a label value (a string), got ${typeof v} ${String(v)}: quote it`);
  const s = n.nonEmptyStr();
  if (!LABEL_VALUE.test(s))
    throw n.error(
      `invalid label value ${JSON.stringify(s)}: expected at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  return s;
}

/** A string with `$VARS` expanded (`typed`: the caller has checked it is a string). */
function expandedString(n: ManifestNode, env: Readonly<Record<string, string>>, typed = false): string {
  const s = typed ? (n.value as string) : n.nonEmptyStr();
  const e = expandVars(s, env);
  if (typeof e !== 'string') throw n.error(e.error);
  return e;
}
