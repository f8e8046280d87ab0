import { describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { parseManifest, parseYamlFile } from '../../sim/manifests/index.js';
import type { VirtualServiceSpec } from '../../sim/manifests/index.js';
import type { Outcome } from '../../sim/mesh/index.js';
import type { World } from '../../sim/world.js';
import { HEADER, runInline } from '../helpers/inlineScenario.js';
import { applyYaml, blogWorldAtCanary, byVersion, NS, request, requestsTotal } from './blogWorld.js';

const vsYaml = (http: string, extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: user-vs
spec:
  hosts: [user.example]
  gateways: [silly-demo-gateway]${extra}
  http:
${http}`;

/** Responses by the Service whose pod answered them ("canary" / "stable"). */
function servedBy(world: World, outcomes: readonly Outcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of outcomes)
    for (const svc of ['canary', 'stable']) {
      const pods = world.cluster.endpoints(world.cluster.getService(NS, `silly-demo-${svc}`)!);
      if (pods.some((p) => p.meta.name === o.pod)) out[svc] = (out[svc] ?? 0) + o.count;
    }
  return out;
}

function parse(yaml: string): VirtualServiceSpec {
  return parseManifest(parseYamlFile('vs.yaml', yaml)[0]!).spec as VirtualServiceSpec;
}

function parseError(yaml: string): string {
  try {
    parse(yaml);
  } catch (e) {
    if (e instanceof InputError) return e.format();
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('a user VirtualService with match rules', () => {
  const routes = `    - name: canary-by-header
      match:
        - headers: {x-canary: {exact: always}}
        - queryParams: {canary: {exact: "1"}}
      route: [{destination: {host: silly-demo-canary, port: {number: 8080}}}]
    - name: api-v2
      match: [{uri: {prefix: /v2/}, method: {exact: GET}}]
      route: [{destination: {host: silly-demo-canary, port: {number: 8080}}}]
    - name: rest
      route: [{destination: {host: silly-demo-stable, port: {number: 8080}}}]
`;

  it('routes by the first route whose match holds (conditions ANDed, matches ORed); no match is a catch-all', async () => {
    const world = await blogWorldAtCanary();
    applyYaml(world, vsYaml(routes));
    const url = (p: string) => ({ url: `http://user.example${p}` });
    expect(byVersion(world.dispatch(request({ 'x-canary': 'always' }, url('/')), 50, NS))).toEqual({
      '1.4.127': 50,
    });
    expect(byVersion(world.dispatch(request({}, url('/?canary=1')), 50, NS))).toEqual({ '1.4.127': 50 });
    // silly-demo answers 404 to /v2/x, so tell the versions apart by the pod that answered.
    expect(servedBy(world, world.dispatch(request({}, url('/v2/x')), 50, NS))).toEqual({ canary: 50 });
    expect(servedBy(world, world.dispatch(request({}, { ...url('/v2/x'), method: 'HEAD' }), 50, NS))).toEqual(
      {
        stable: 50,
      },
    );
    expect(byVersion(world.dispatch(request({}, url('/')), 50, NS))).toEqual({ '1.4.126': 50 });
  });

  it("no route matching is Envoy's 404 NR, counted by the gateway", async () => {
    const world = await blogWorldAtCanary();
    applyYaml(
      world,
      vsYaml(`    - match: [{headers: {x-canary: {exact: always}}}]
      route: [{destination: {host: silly-demo-canary, port: {number: 8080}}}]
`),
    );
    const before = (await requestsTotal(world.mesh.ingressStats)).filter(
      (s) => s.labels.response_flags === 'NR',
    );
    expect(before).toEqual([]);
    const out = world.dispatch(request({ 'x-canary': 'never' }, { url: 'http://user.example/' }), 7, NS);
    expect(out).toMatchObject([{ count: 7, status: 404, body: '' }]);
    const nr = (await requestsTotal(world.mesh.ingressStats)).filter((s) => s.labels.response_flags === 'NR');
    expect(nr.map((s) => [s.labels.response_code, s.value])).toEqual([['404', 7]]);
  });

  it('keeps the spec as the API server returns it: keys sorted, as kubectl prints them', () => {
    const spec = parse(
      vsYaml(`    - route: [{weight: 100, destination: {port: {number: 8080}, host: a}}]
      name: r
      mirrorPercentage: {value: 12.5}
      mirror: {port: {number: 8080}, host: b}
      match: [{uri: {prefix: /}, headers: {b: {exact: x}, a: {}}}]
`),
    );
    expect(JSON.stringify(spec.rawSpec)).toBe(
      JSON.stringify({
        gateways: ['silly-demo-gateway'],
        hosts: ['user.example'],
        http: [
          {
            match: [{ headers: { a: {}, b: { exact: 'x' } }, uri: { prefix: '/' } }],
            mirror: { host: 'b', port: { number: 8080 } },
            mirrorPercentage: { value: 12.5 },
            name: 'r',
            route: [{ destination: { host: 'a', port: { number: 8080 } }, weight: 100 }],
          },
        ],
      }),
    );
    expect(spec.http[0]).toEqual({
      name: 'r',
      match: [{ uri: { prefix: '/' }, headers: { b: { exact: 'x' }, a: {} } }],
      route: [{ destination: { host: 'a', port: 8080 }, weight: 100 }],
      mirror: { host: 'b', port: 8080 },
      mirrorPercentage: 12.5,
    });
  });

  it('getVirtualService prints it as `kubectl get virtualservice -o yaml` does', async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {file: user-vs.yaml}
  - getVirtualService: user-vs
`,
      {
        'user-vs.yaml': vsYaml(`    - route:
        - destination: {host: silly-demo-stable}
      mirror: {host: silly-demo-canary}
      mirrorPercentage: {value: 5}
      match:
        - method: {exact: GET}
          headers: {user-agent: {regex: ".*Firefox.*"}}
`),
      },
    );
    expect(run.output).toContain(`$ kubectl --namespace a-team get virtualservice user-vs --output yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: user-vs
  namespace: a-team
spec:
  gateways:
  - silly-demo-gateway
  hosts:
  - user.example
  http:
  - match:
    - headers:
        user-agent:
          regex: .*Firefox.*
      method:
        exact: GET
    mirror:
      host: silly-demo-canary
    mirrorPercentage:
      value: 5
    route:
    - destination:
        host: silly-demo-stable
`);
  });
});

describe('what a VirtualService route may say', () => {
  it.each([
    ['rewrite', '      rewrite: {uri: /}\n', /spec\.http\[0\]\.rewrite: not supported by canarysim/],
    ['retries', '      retries: {attempts: 3}\n', /spec\.http\[0\]\.retries: not supported by canarysim/],
    [
      'fault',
      '      fault: {abort: {httpStatus: 500}}\n',
      /spec\.http\[0\]\.fault: not supported by canarysim/,
    ],
    [
      'mirror_percent',
      '      mirror_percent: 5\n',
      /spec\.http\[0\]\.mirror_percent: not supported by canarysim/,
    ],
    [
      'headers',
      '      headers: {request: {set: {a: b}}}\n',
      /spec\.http\[0\]\.headers: not supported by canarysim/,
    ],
  ])('%s is rejected as not simulated', (_field, line, want) => {
    expect(parseError(vsYaml(`    - route: [{destination: {host: a}}]\n${line}`))).toMatch(want);
  });

  it.each([
    [
      'match sourceLabels',
      '      match: [{sourceLabels: {app: x}}]\n',
      /match\[0\]\.sourceLabels: not supported by canarysim/,
    ],
    [
      'match gateways',
      '      match: [{gateways: [mesh]}]\n',
      /match\[0\]\.gateways: not supported by canarysim/,
    ],
    ['mirror subset', '      mirror: {host: b, subset: v2}\n', /mirror\.subset: not supported by canarysim/],
  ])('%s is rejected as not simulated', (_what, line, want) => {
    expect(parseError(vsYaml(`    - route: [{destination: {host: a}}]\n${line}`))).toMatch(want);
  });

  it('a regex RE2 rejects is an error at its position in the file', () => {
    const e = parseError(
      vsYaml(`    - route: [{destination: {host: a}}]
      match: [{headers: {x-user: {regex: "admin(?!-bot)"}}}]
`),
    );
    // Line 10; the value starts at col 42 after its quote; "(?!" is 5 characters in.
    expect(e).toBe(
      'vs.yaml:10:48: VirtualService "user-vs": spec.http[0].match[0].headers.x-user.regex: invalid regex "admin(?!-bot)": error parsing regexp: invalid or unsupported Perl syntax: `(?!` (Istio uses RE2)',
    );
  });

  it('inline flags anywhere in the pattern are RE2, and are matched as RE2 does', () => {
    const spec = parse(
      vsYaml(`    - route: [{destination: {host: a}}]
      match: [{uri: {regex: "/api(?i:/v1)?"}}]
`),
    );
    expect(spec.http[0]?.match?.[0]?.uri).toEqual({ regex: '/api(?i:/v1)?' });
  });

  it.each([
    [
      "longer than Istio's 1024 characters: Istio's error",
      'a'.repeat(32_768),
      /^vs\.yaml:10:\d+: .*uri\.regex: regex is too large, max length allowed is 1024$/,
    ],
    [
      "over canarysim's program limit: not simulated",
      'a{1000}'.repeat(51),
      /uri\.regex: not supported by canarysim: regex "(a\{1000\})+": regex too large \(compiles to \d+ instructions; at most 50000\)$/,
    ],
  ])('a regex %s, not a crash', (_what, regex, want) => {
    const http = `    - route: [{destination: {host: a}}]\n      match: [{uri: {regex: "${regex}"}}]\n`;
    expect(parseError(vsYaml(http))).toMatch(want);
  });

  it('a catastrophic-looking regex routes a long header in linear time', async () => {
    const world = await blogWorldAtCanary();
    applyYaml(
      world,
      vsYaml(`    - match: [{headers: {x-user: {regex: "(a+)+b"}}}]
      route: [{destination: {host: silly-demo-canary, port: {number: 8080}}}]
    - route: [{destination: {host: silly-demo-stable, port: {number: 8080}}}]
`),
    );
    const url = { url: 'http://user.example/' };
    const long = 'a'.repeat(100_000);
    expect(byVersion(world.dispatch(request({ 'x-user': long }, url), 5, NS))).toEqual({ '1.4.126': 5 });
    expect(byVersion(world.dispatch(request({ 'x-user': `${long}b` }, url), 5, NS))).toEqual({
      '1.4.127': 5,
    });
  });

  it.each([
    ['an empty regex', '      match: [{uri: {regex: ""}}]\n', /regex string match should not be empty/],
    [
      'two match types',
      '      match: [{uri: {exact: /, prefix: /}}]\n',
      /expected one of exact, prefix or regex, got exact and prefix/,
    ],
    ['an empty uri match', '      match: [{uri: {}}]\n', /uri: expected one of exact, prefix or regex/],
    [
      'a queryParams prefix',
      '      match: [{queryParams: {v: {prefix: "1"}}}]\n',
      /Istio does not support prefix matching of queryParams/,
    ],
    [
      'a bad header name',
      '      match: [{headers: {"x canary": {exact: a}}}]\n',
      /header name "x canary" is not a valid header/,
    ],
    [
      'mirror and mirrors',
      '      mirror: {host: b}\n      mirrors: [{destination: {host: c}}]\n',
      /cannot contain both mirror and mirrors/,
    ],
    [
      'a percentage above 100',
      '      mirror: {host: b}\n      mirrorPercentage: {value: 150}\n',
      /mirror percentage must be between 0 and 100/,
    ],
  ])('%s is an error', (_what, line, want) => {
    expect(parseError(vsYaml(`    - route: [{destination: {host: a}}]\n${line}`))).toMatch(want);
  });
});
