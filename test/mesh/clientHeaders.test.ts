import { describe, expect, it } from 'vitest';
import { parseHeyArgs } from '../../loadgen/heyFlags.js';
import { heyRequestHeaders, VirtualHey } from '../../loadgen/virtualHey.js';
import { InputError } from '../../sim/errors.js';
import type { MeshRequest, Outcome } from '../../sim/mesh/index.js';
import { HEADER, runInline } from '../helpers/inlineScenario.js';
import { blogRouter, blogWorldAtCanary, byVersion, HOST, NS } from './blogWorld.js';

// Headers reach the mesh's match rules from every client: virtual hey, the scenario's curl, and
// (test/mesh/liveMirror.test.ts) the live ingress proxy.

describe('virtual hey', () => {
  it("sends the headers hey 0.1.4 sends (hey.go main, Go's transport)", () => {
    expect(heyRequestHeaders(parseHeyArgs(['http://a/']))).toEqual({
      'content-type': 'text/html',
      'user-agent': 'hey/0.0.1',
      'accept-encoding': 'gzip',
    });
    const h = heyRequestHeaders(
      parseHeyArgs([
        '-H',
        'x-canary: always',
        '-H',
        'X-Canary: twice',
        '-H',
        'User-Agent: probe',
        '-H',
        'Host: ignored.example',
        '-A',
        'text/plain',
        '-T',
        'application/json',
        '-disable-compression',
        'http://user:pw@a/',
      ]),
    );
    expect(h).toEqual({
      'content-type': 'application/json',
      'x-canary': 'twice',
      'user-agent': 'probe hey/0.0.1',
      accept: 'text/plain',
      authorization: `Basic ${Buffer.from('user:pw').toString('base64')}`,
    });
    expect(heyRequestHeaders(parseHeyArgs(['-U', 'bot', '-m', 'HEAD', 'http://a/']))).toEqual({
      'content-type': 'text/html',
      'user-agent': 'bot hey/0.0.1',
    });
  });

  it('its -H and -host reach the header route: only the marked load goes to the canary', async () => {
    const world = await blogWorldAtCanary();
    blogRouter(world, ['header-route']).setHeaderRoute('header-route', [
      { headerName: 'X-Canary', headerValue: { exact: 'always' } },
    ]);
    const run = async (args: string[]) => {
      const seen: MeshRequest[] = [];
      const outcomes: Outcome[] = [];
      const hey = new VirtualHey(
        {
          now: () => world.now(),
          setTimeout: (fn, ms) => world.clock.setTimeout(fn, ms),
          clearTimeout: (id) => world.clock.clearTimeout(id),
          dispatch: (req, count) => {
            seen.push(req);
            const o = world.dispatch(req, count, NS);
            outcomes.push(...o);
            return o;
          },
        },
        parseHeyArgs(args),
        world.rng.fork('hey'),
        1000,
      );
      hey.start();
      await world.clock.advance(10_000);
      return { seen, versions: byVersion(outcomes) };
    };
    const marked = await run([
      '-z',
      '5s',
      '-c',
      '2',
      '-H',
      'X-Canary: always',
      '-host',
      HOST,
      'http://127.0.0.1/',
    ]);
    expect(marked.seen[0]!.url.host).toBe(HOST);
    expect(marked.seen[0]!.headers?.['x-canary']).toBe('always');
    expect(Object.keys(marked.versions)).toEqual(['1.4.127']);
    const plain = await run(['-z', '5s', '-c', '2', '-host', HOST, 'http://127.0.0.1/']);
    expect(plain.versions['1.4.126']).toBeGreaterThan(plain.versions['1.4.127'] ?? 0);
  });
});

describe('the scenario curl action', () => {
  const userVs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: by-header
spec:
  hosts: [by-header.example]
  gateways: [silly-demo-gateway]
  http:
    - match: [{headers: {x-canary: {exact: always}}}]
      route: [{destination: {host: silly-demo-stable, port: {number: 8080}}}]
    - match: [{headers: {user-agent: {prefix: curl/}}}]
      route: [{destination: {host: silly-demo-canary, port: {number: 8080}}}]
`;

  it("sends its headers (and curl's own) through the mesh; a Host header is what routes; the command shows -H", async () => {
    const run = await runInline(
      `${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - apply: {file: by-header.yaml}
  - waitUntil: 'rollouts["silly-demo"].phase == "Healthy"'
  - curl: {url: "http://by-header.example", id: marked, headers: {X-Canary: always}}
  - curl: {url: "http://by-header.example", id: default-agent}
  - curl: {url: "http://by-header.example", id: other-agent, headers: {User-Agent: wget}}
  - curl: {url: "http://127.0.0.1", id: by-host, count: 2, headers: {Host: by-header.example, X-Canary: always}}
`,
      { 'by-header.yaml': userVs },
    );
    const demo = 'This is a silly demo version 1.4.126\n';
    expect(run.curls.get('marked')).toEqual([demo]);
    expect(run.curls.get('default-agent')).toEqual([demo]);
    expect(run.curls.get('other-agent')).toEqual(['']); // no route matches: Envoy's empty 404 NR
    expect(run.curls.get('by-host')).toEqual([demo, demo]);
    expect(run.output).toContain('$ curl -H "X-Canary: always" "http://by-header.example"\n');
    expect(run.output).toContain(
      '$ for i in {1..2}; do curl -H "Host: by-header.example" -H "X-Canary: always" "http://127.0.0.1"; done\n',
    );
  });

  it('rejects a header name that is not an HTTP token, at its position', async () => {
    const e = await runInline(`${HEADER}
timeline:
  - curl: {url: "http://a.example", headers: {"X Canary": always}}
`).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).format()).toMatch(
      /\/inline\.yaml:10:47: scenario: timeline\[0\]\.curl\.headers\.X Canary: invalid header name "X Canary": expected an HTTP token such as X-Canary$/,
    );
  });
});
