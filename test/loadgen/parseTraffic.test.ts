import { describe, expect, it } from 'vitest';
import { parseStopTrafficAction, parseTrafficAction } from '../../cli/scenario/parseTraffic.js';
import { InputError } from '../../sim/errors.js';
import { ManifestNode } from '../../sim/manifests/ManifestNode.js';
import { parseYamlFile } from '../../sim/manifests/YamlSource.js';
import { harness, total } from './trafficHarness.js';

const ENV = { ISTIO_HOST: '127.0.0.1.nip.io', USER_GROUP: 'beta' };

/** The timeline entry of a scenario file `s.yaml` whose first action is `- traffic:` + `body`. */
function entry(
  body: string,
  file = `timeline:\n  - traffic:\n${body.replace(/^/gm, '      ')}\n`,
): ManifestNode {
  const [doc] = parseYamlFile('s.yaml', file);
  const root = new ManifestNode(doc!, [], doc!.doc.toJS(), 'scenario');
  return root.child('timeline').child(0);
}

const parse = (body: string) =>
  parseTrafficAction(entry(body).child('traffic'), ENV, { namespace: 'a-team' });

/** `file:line:col: message` of the InputError that parsing `body` throws. Line 3 is the body's first. */
function err(body: string): string {
  try {
    parse(body);
  } catch (e) {
    if (e instanceof InputError) return e.format();
    throw e;
  }
  throw new Error(`expected an error for:\n${body}`);
}

const URL_LINE = 'url: http://checkout.$ISTIO_HOST/api/cart';
/** A valid traffic plus `more` lines (which land from line 5 on). */
const withRate = (more: string) => `${URL_LINE}\nrate: 20/s\n${more}`;

describe('parseTrafficAction: the accepted shape', () => {
  it('reads the full example', () => {
    const spec = parse(`id: users
url: http://checkout.$ISTIO_HOST/api/cart?lang=en
rate: 20/s
ramp: {to: 200/s, over: 10m}
arrivals: uniform
duration: 1h
method: post
headers: {X-User: $USER_GROUP, Content-Type: application/json}
body: '{"a":1}'
mix:
  - {share: 80%, path: /api/cart}
  - {share: 20%, name: checkout, path: /api/checkout, method: PUT, headers: {x-debug: "1"}, query: {debug: "1"}, body: '{}'}
from: {workload: frontend, namespace: shop, app: frontend, version: v1}`);
    expect(spec).toEqual({
      id: 'users',
      url: 'http://checkout.127.0.0.1.nip.io/api/cart?lang=en',
      namespace: 'shop',
      rate: { kind: 'ramp', fromPerSecond: 20, toPerSecond: 200, overMs: 600_000 },
      arrivals: 'uniform',
      durationMs: 3_600_000,
      method: 'POST',
      headers: { 'x-user': 'beta', 'content-type': 'application/json' },
      body: '{"a":1}',
      mix: [
        { name: '/api/cart', share: 80, weight: 800_000, path: '/api/cart' },
        {
          name: 'checkout',
          share: 20,
          weight: 200_000,
          path: '/api/checkout',
          method: 'PUT',
          headers: { 'x-debug': '1' },
          query: { debug: '1' },
          body: '{}',
        },
      ],
      from: { namespace: 'shop', workload: 'frontend', app: 'frontend', version: 'v1' },
    });
  });

  it('has defaults: id "traffic", poisson, GET, no headers, the scenario namespace, no end', () => {
    expect(parse(withRate(''))).toEqual({
      id: 'traffic',
      url: 'http://checkout.127.0.0.1.nip.io/api/cart',
      namespace: 'a-team',
      rate: { kind: 'constant', perSecond: 20 },
      arrivals: 'poisson',
      method: 'GET',
      headers: {},
    });
  });

  it.each([
    ['5', 5],
    ['0', 0],
    ['0.5/s', 0.5],
    ['.5/s', 0.5],
    ['1200/m', 20],
    ['72000/h', 20],
    ['3/h', 1 / 1200],
    ['1000000/s', 1_000_000],
  ])('reads rate %s as %s per second', (text, perSecond) => {
    expect(parse(`${URL_LINE}\nrate: ${text}`).rate).toEqual({ kind: 'constant', perSecond });
  });

  it('reads a schedule and a daily curve', () => {
    expect(
      parse(
        `${URL_LINE}\nschedule:\n  - {at: 0s, rate: 5/s, ramp: true}\n  - {at: 90, rate: 50/s}\n  - {at: 1h, rate: 0}`,
      ).rate,
    ).toEqual({
      kind: 'schedule',
      points: [
        { atMs: 0, perSecond: 5, ramp: true },
        { atMs: 90_000, perSecond: 50, ramp: false },
        { atMs: 3_600_000, perSecond: 0, ramp: false },
      ],
    });
    expect(parse(`${URL_LINE}\ndaily: {min: 2/s, max: 40/s, peakAt: "14:30:15"}`).rate).toEqual({
      kind: 'daily',
      minPerSecond: 2,
      maxPerSecond: 40,
      peakAtMs: (14 * 3600 + 30 * 60 + 15) * 1000,
    });
    // YAML 1.2: an unquoted 14:00 is a string too.
    expect(parse(`${URL_LINE}\ndaily: {min: 0, max: 1, peakAt: 14:00}`).rate).toMatchObject({
      peakAtMs: 14 * 3_600_000,
    });
  });

  it('names mix entries by path (or the URL path) and takes exact decimal shares', () => {
    const spec = parse(
      withRate(
        'mix:\n  - {share: 33.3333%}\n  - {share: 33.3333%, path: /b, query: {q: $USER_GROUP}}\n  - {share: 33.3334%, path: /c}',
      ),
    );
    expect(spec.mix!.map((m) => [m.name, m.weight, m.share])).toEqual([
      ['/api/cart', 333_333, 33.3333],
      ['/b', 333_333, 33.3333],
      ['/c', 333_334, 33.3334],
    ]);
    expect(spec.mix![1]!.query).toEqual({ q: 'beta' });
  });

  it('resolves namespaces: from.namespace, else the action namespace, else the scenario one', () => {
    expect(parse(withRate('from: {workload: web}')).from).toEqual({ namespace: 'a-team', workload: 'web' });
    expect(parse(withRate('namespace: shop\nfrom: {workload: web}'))).toMatchObject({
      namespace: 'shop',
      from: { namespace: 'shop' },
    });
    expect(parse(withRate('namespace: shop\nfrom: {workload: web, namespace: edge}'))).toMatchObject({
      namespace: 'edge',
      from: { namespace: 'edge' },
    });
    expect(parse(withRate('namespace: shop')).namespace).toBe('shop');
  });

  it('gives OpenTraffic what it runs: a parsed spec plays as written', async () => {
    const spec = parse(
      withRate(
        'arrivals: uniform\nduration: 10s\nmix:\n  - {share: 75%, path: /a}\n  - {share: 25%, path: /b}',
      ),
    );
    const h = harness(spec);
    await h.run(60_000);
    expect(total(h.batches)).toBe(200);
    expect(h.traffic.snapshot().mix['/a']!.requests).toBe(150);
  });

  it('reads stopTraffic', () => {
    const stop = (v: string) =>
      parseStopTrafficAction(entry('', `timeline:\n  - stopTraffic: ${v}\n`).child('stopTraffic'));
    expect(stop('users')).toBe('users');
    expect(stop('')).toBe('traffic');
    expect(() => stop('"bad id"')).toThrow(/invalid id "bad id"/);
  });
});

describe('parseTrafficAction: bad input, at file:line:col', () => {
  // [body, the message it gets]; named by the message
  const bad: [string, string][] = [
    // the entry and its fields
    [
      'rat: 20/s',
      's.yaml:3:7: scenario: timeline[0].traffic.rat: unknown field "rat" (expected one of: id, url,',
    ],
    ['rate: 20/s', 's.yaml:3:7: scenario: timeline[0].traffic.url: required field is missing'],
    [
      `${URL_LINE}\nrate: 20/s\nid: bad id`,
      's.yaml:5:11: scenario: timeline[0].traffic.id: invalid id "bad id"',
    ],
    // the URL
    [
      'url: ftp://x/\nrate: 1',
      's.yaml:3:12: scenario: timeline[0].traffic.url: unsupported scheme "ftp" in "ftp://x/": expected http or https',
    ],
    [
      'url: http://$NOPE/\nrate: 1',
      's.yaml:3:12: scenario: timeline[0].traffic.url: variable $NOPE is not set (define it under env: in the scenario)',
    ],
    [
      'url: "http://x:99999/"\nrate: 1',
      's.yaml:3:12: scenario: timeline[0].traffic.url: invalid URL "http://x:99999/"',
    ],
    [
      'url: "http://x/a b"\nrate: 1',
      's.yaml:3:12: scenario: timeline[0].traffic.url: invalid URL "http://x/a b": it contains whitespace or a control character',
    ],
    [
      `url: http://x/${'a'.repeat(8200)}\nrate: 1`,
      's.yaml:3:12: scenario: timeline[0].traffic.url: URL of 8209 characters: expected at most 8192',
    ],
    // rates
    [
      `${URL_LINE}\nrate: fast`,
      's.yaml:4:13: scenario: timeline[0].traffic.rate: invalid rate "fast": expected a number per second or N/s, N/m or N/h such as 20/s or 1200/m',
    ],
    [
      `${URL_LINE}\nrate: 20/x`,
      's.yaml:4:16: scenario: timeline[0].traffic.rate: invalid rate "20/x": unknown unit "x", expected /s, /m or /h',
    ],
    [
      `${URL_LINE}\nrate: "20/min"`,
      's.yaml:4:17: scenario: timeline[0].traffic.rate: invalid rate "20/min": unknown unit "min"',
    ],
    [`${URL_LINE}\nrate: -5`, 's.yaml:4:13: scenario: timeline[0].traffic.rate: invalid rate -5'],
    [
      `${URL_LINE}\nrate: 2000000/s`,
      's.yaml:4:13: scenario: timeline[0].traffic.rate: rate 2000000/s is above the limit of 1,000,000/s',
    ],
    [
      `${URL_LINE}\nrate: 1000001`,
      's.yaml:4:13: scenario: timeline[0].traffic.rate: rate 1000001 is above the limit of 1,000,000/s',
    ],
    [
      `${URL_LINE}\nrate: [20]`,
      's.yaml:4:13: scenario: timeline[0].traffic.rate: expected a rate (a number per second or N/s, N/m or N/h',
    ],
    // the shape of the rate
    [
      URL_LINE,
      's.yaml:3:7: scenario: timeline[0].traffic: no rate: expected one of rate (e.g. rate: 20/s, optionally with ramp), schedule or daily',
    ],
    [
      withRate('daily: {min: 1, max: 2, peakAt: "12:00"}'),
      's.yaml:5:7: scenario: timeline[0].traffic.daily: rate and daily both set: expected exactly one of rate (with an optional ramp), schedule or daily',
    ],
    [
      `${URL_LINE}\nschedule: [{at: 0s, rate: 1}]\nramp: {to: 5/s, over: 1m}`,
      's.yaml:5:7: scenario: timeline[0].traffic.ramp: ramp starts from `rate`: set rate too',
    ],
    [
      withRate('ramp: {to: 5/s}'),
      's.yaml:5:13: scenario: timeline[0].traffic.ramp.over: required field is missing',
    ],
    [
      withRate('ramp: {to: 5/s, over: 0s}'),
      's.yaml:5:29: scenario: timeline[0].traffic.ramp.over: invalid duration "0s": expected more than 0s',
    ],
    [
      withRate('ramp: {to: 5/s, over: 1m, by: 2}'),
      's.yaml:5:33: scenario: timeline[0].traffic.ramp.by: unknown field "by" (expected one of: to, over)',
    ],
    [
      withRate('ramp: {to: 5/q, over: 1m}'),
      's.yaml:5:20: scenario: timeline[0].traffic.ramp.to: invalid rate "5/q": unknown unit "q"',
    ],
    // schedules
    [
      `${URL_LINE}\nschedule: []`,
      's.yaml:4:17: scenario: timeline[0].traffic.schedule: expected at least one point',
    ],
    [
      `${URL_LINE}\nschedule: {at: 0s}`,
      's.yaml:4:17: scenario: timeline[0].traffic.schedule: expected a list, got a mapping',
    ],
    [
      `${URL_LINE}\nschedule:\n  - {at: 5s, rate: 1}`,
      's.yaml:5:16: scenario: timeline[0].traffic.schedule[0].at: the first point must be at 0s',
    ],
    [
      `${URL_LINE}\nschedule:\n  - {at: 0s, rate: 1}\n  - {at: 10m, rate: 2}\n  - {at: 5m, rate: 3}`,
      "s.yaml:7:16: scenario: timeline[0].traffic.schedule[2].at: at 5m is not after the previous point's (10m): times must increase",
    ],
    [
      `${URL_LINE}\nschedule:\n  - {at: 0s, rate: 1}\n  - {at: 1m, rate: 2, ramp: true}`,
      's.yaml:6:35: scenario: timeline[0].traffic.schedule[1].ramp: the last point has no next point to ramp to',
    ],
    [
      `${URL_LINE}\nschedule:\n  - {at: 0s, rate: 1, ramp: yes}`,
      's.yaml:5:35: scenario: timeline[0].traffic.schedule[0].ramp: expected true or false, got string "yes"',
    ],
    [
      `${URL_LINE}\nschedule:\n  - {at: 0s}`,
      's.yaml:5:11: scenario: timeline[0].traffic.schedule[0].rate: required field is missing',
    ],
    [
      `${URL_LINE}\nschedule:\n  - {at: 0s, rate: 1, step: 2}`,
      's.yaml:5:29: scenario: timeline[0].traffic.schedule[0].step: unknown field "step" (expected one of: at, rate, ramp)',
    ],
    [
      `${URL_LINE}\nschedule:\n${Array.from({ length: 1001 }, (_, i) => `  - {at: ${i}s, rate: 1}`).join('\n')}`,
      's.yaml:5:9: scenario: timeline[0].traffic.schedule: 1001 points: expected at most 1000',
    ],
    // daily
    [
      `${URL_LINE}\ndaily: {min: 40/s, max: 2/s, peakAt: "14:00"}`,
      's.yaml:4:31: scenario: timeline[0].traffic.daily.max: max 2/s is below min 40/s: expected max ≥ min',
    ],
    [
      `${URL_LINE}\ndaily: {min: 1, max: 2, peakAt: "25:00"}`,
      's.yaml:4:39: scenario: timeline[0].traffic.daily.peakAt: invalid time of day "25:00": expected HH:MM or HH:MM:SS (UTC)',
    ],
    [
      `${URL_LINE}\ndaily: {min: 1, max: 2, peakAt: 1400}`,
      's.yaml:4:39: scenario: timeline[0].traffic.daily.peakAt: expected a UTC time of day such as "14:00" (quoted), got 1400',
    ],
    [
      `${URL_LINE}\ndaily: {min: 1, max: 2}`,
      's.yaml:4:14: scenario: timeline[0].traffic.daily.peakAt: required field is missing',
    ],
    // duration and arrivals
    [
      withRate('duration: 721h'),
      's.yaml:5:17: scenario: timeline[0].traffic.duration: duration "721h" is longer than 720h (30 days)',
    ],
    [
      withRate('duration: soon'),
      's.yaml:5:17: scenario: timeline[0].traffic.duration: invalid duration "soon": expected a Go duration such as 30s, 5m or 1h30m',
    ],
    [
      withRate('duration: 0'),
      's.yaml:5:17: scenario: timeline[0].traffic.duration: invalid duration 0: expected more than 0s',
    ],
    [
      withRate('arrivals: burst'),
      's.yaml:5:17: scenario: timeline[0].traffic.arrivals: invalid arrivals "burst": expected poisson or uniform',
    ],
    // method, headers and body
    [
      withRate('method: "GE T"'),
      's.yaml:5:15: scenario: timeline[0].traffic.method: invalid method "GE T": expected an HTTP method such as GET or POST',
    ],
    [
      withRate('headers: {x user: 1}'),
      's.yaml:5:17: scenario: timeline[0].traffic.headers.x user: invalid header name "x user": expected an HTTP token such as X-Canary',
    ],
    [
      withRate('headers: {x-version: 1.10}'),
      's.yaml:5:28: scenario: timeline[0].traffic.headers.x-version: expected a header value (a string), got number 1.1: quote it',
    ],
    [
      withRate('headers: {x-a: "a\\nb"}'),
      's.yaml:5:22: scenario: timeline[0].traffic.headers.x-a: invalid header value: it contains a line break or NUL',
    ],
    [
      withRate('headers: {x-a: [1]}'),
      's.yaml:5:22: scenario: timeline[0].traffic.headers.x-a: expected a header value (a string), got a list',
    ],
    [
      withRate('headers: {X-User: a, x-user: b}'),
      's.yaml:5:28: scenario: timeline[0].traffic.headers.x-user: header "x-user" repeats "X-User" (header names are case-insensitive)',
    ],
    [
      withRate('headers: {x-a: $NOPE}'),
      's.yaml:5:22: scenario: timeline[0].traffic.headers.x-a: variable $NOPE is not set',
    ],
    [
      withRate(`headers: {${Array.from({ length: 101 }, (_, i) => `h${i}: v`).join(', ')}}`),
      's.yaml:5:16: scenario: timeline[0].traffic.headers: 101 headers: expected at most 100',
    ],
    [
      withRate('body: 12'),
      's.yaml:5:13: scenario: timeline[0].traffic.body: expected a string, got number 12',
    ],
    [
      withRate(`body: ${'x'.repeat((1 << 20) + 1)}`),
      's.yaml:5:13: scenario: timeline[0].traffic.body: a body of 1048577 characters: expected at most 1048576',
    ],
    // the mix
    [
      withRate('mix:\n  - {share: 80%, path: /a}\n  - {share: 10%, path: /b}'),
      's.yaml:6:9: scenario: timeline[0].traffic.mix: shares add up to 90%: expected exactly 100%',
    ],
    [
      withRate('mix:\n  - {share: 60.25%, path: /a}\n  - {share: 40%, path: /b}'),
      's.yaml:6:9: scenario: timeline[0].traffic.mix: shares add up to 100.25%: expected exactly 100%',
    ],
    [
      withRate('mix:\n  - {share: 80, path: /a}'),
      's.yaml:6:19: scenario: timeline[0].traffic.mix[0].share: expected a percentage such as "2%" or "12.5%", got 80',
    ],
    [
      withRate('mix:\n  - {share: 12.34567%, path: /a}'),
      's.yaml:6:26: scenario: timeline[0].traffic.mix[0].share: invalid share "12.34567%": expected at most 4 decimals',
    ],
    [
      withRate('mix:\n  - {share: 150%, path: /a}'),
      's.yaml:6:19: scenario: timeline[0].traffic.mix[0].share: invalid share "150%": expected at most 100%',
    ],
    [
      withRate('mix:\n  - {share: "%", path: /a}'),
      's.yaml:6:19: scenario: timeline[0].traffic.mix[0].share: invalid share "%": expected a percentage such as 2% or 12.5%',
    ],
    [
      withRate('mix:\n  - {path: /a}'),
      's.yaml:6:11: scenario: timeline[0].traffic.mix[0].share: required field is missing',
    ],
    [
      withRate('mix:\n  - {share: 100%, path: api}'),
      's.yaml:6:31: scenario: timeline[0].traffic.mix[0].path: invalid path "api": expected one starting with /',
    ],
    [
      withRate('mix:\n  - {share: 100%, path: "/a?b=1"}'),
      's.yaml:6:34: scenario: timeline[0].traffic.mix[0].path: invalid path "/a?b=1": "?" does not belong in a path (put parameters under query:)',
    ],
    [
      withRate('mix:\n  - {share: 100%, path: "/a b"}'),
      's.yaml:6:34: scenario: timeline[0].traffic.mix[0].path: invalid path "/a b": it contains whitespace or a control character',
    ],
    [
      withRate('mix:\n  - {share: 50%, path: /a}\n  - {share: 50%, path: /a, headers: {x-a: b}}'),
      's.yaml:7:11: scenario: timeline[0].traffic.mix[1]: mix[0] and mix[1] are both named "/a": give each a distinct name',
    ],
    [
      withRate('mix:\n  - {share: 50%, name: x}\n  - {share: 50%, name: x}'),
      's.yaml:7:30: scenario: timeline[0].traffic.mix[1].name: mix[0] and mix[1] are both named "x": give each a distinct name',
    ],
    [
      withRate('mix:\n  - {share: 100%, query: {debug: 1}}'),
      's.yaml:6:40: scenario: timeline[0].traffic.mix[0].query.debug: expected a query value (a string), got number 1: quote it',
    ],
    [
      withRate('mix:\n  - {share: 100%, weight: 2}'),
      's.yaml:6:25: scenario: timeline[0].traffic.mix[0].weight: unknown field "weight" (expected one of: share, name, path, query, method, headers, body)',
    ],
    [
      withRate('mix:\n  - {share: 100%, headers: {x-a: 1}}'),
      's.yaml:6:40: scenario: timeline[0].traffic.mix[0].headers.x-a: expected a header value (a string), got number 1: quote it',
    ],
    [withRate('mix: []'), 's.yaml:5:12: scenario: timeline[0].traffic.mix: expected at least one entry'],
    [
      withRate(`mix:\n${Array.from({ length: 101 }, (_, i) => `  - {share: 1%, path: /p${i}}`).join('\n')}`),
      's.yaml:6:9: scenario: timeline[0].traffic.mix: 101 entries: expected at most 100',
    ],
    // east-west
    [
      withRate('from: {namespace: shop}'),
      's.yaml:5:13: scenario: timeline[0].traffic.from.workload: required field is missing',
    ],
    [
      withRate('from: {workload: Web}'),
      's.yaml:5:24: scenario: timeline[0].traffic.from.workload: invalid workload name "Web": expected a lowercase RFC 1123 name',
    ],
    [
      withRate('from: {workload: web, namespace: my_ns}'),
      's.yaml:5:40: scenario: timeline[0].traffic.from.namespace: invalid namespace "my_ns": expected a lowercase RFC 1123 name (at most 63)',
    ],
    [
      withRate('from: {workload: web, version: "v1!"}'),
      's.yaml:5:38: scenario: timeline[0].traffic.from.version: invalid label value "v1!"',
    ],
    [
      withRate('from: {workload: web, version: 2}'),
      's.yaml:5:38: scenario: timeline[0].traffic.from.version: expected a label value (a string), got number 2: quote it',
    ],
    [
      withRate('from: {workload: web, pod: web-1}'),
      's.yaml:5:29: scenario: timeline[0].traffic.from.pod: unknown field "pod" (expected one of: workload, namespace, app, version)',
    ],
    [
      withRate('namespace: Shop'),
      's.yaml:5:18: scenario: timeline[0].traffic.namespace: invalid namespace "Shop"',
    ],
  ];
  it.each(bad.map(([body, message]) => [message, body]))('%s', (message, body) => {
    expect(err(body!)).toContain(message);
  });

  it('needs a mapping', () => {
    expect(() =>
      parseTrafficAction(entry('', 'timeline:\n  - traffic: fast\n').child('traffic'), ENV),
    ).toThrow(InputError);
    try {
      parseTrafficAction(entry('', 'timeline:\n  - traffic: fast\n').child('traffic'), ENV);
    } catch (e) {
      expect((e as InputError).format()).toBe(
        's.yaml:2:14: scenario: timeline[0].traffic: expected a mapping, got string "fast"',
      );
    }
  });
});
