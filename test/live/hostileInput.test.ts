import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { countsSettled, istioCounts } from '../interop/connectionLoad.js';
import { liveServe } from './liveLoad.js';

// Whatever a client sends, `canarysim serve` answers as Istio's gateway (Envoy) does and counts
// it as Istio's stats filter does — and keeps serving. The apps answer after a fixed 500 ms, so a
// client can hang up before its answer.

const HOST = 'silly-demo.127.0.0.1.nip.io';
const H = `Host: ${HOST}\r\n`;
const LATENCY_MS = 500;

/**
 * Writes `bytes` on a fresh connection; resolves with everything read until the server closes it,
 * or `hangUpMs` passes (then the client closes), or 3 s pass.
 */
function raw(port: number, bytes: string, hangUpMs = 3000): Promise<string> {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    const t = setTimeout(() => s.destroy(), hangUpMs);
    s.on('data', (d: Buffer) => (data += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(t);
      ok(data);
    });
    s.write(Buffer.from(bytes, 'latin1'));
  });
}

/** The status lines in what a connection read, in order. */
const statuses = (data: string) => [...data.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

interface Case {
  name: string;
  bytes: string;
  /** The status lines the client reads. */
  answers: number[];
  /** What the gateway counts (reporter="source"), as `code flags` → how many. */
  counted: Record<string, number>;
}

const cases: Case[] = [
  {
    name: 'an absolute-form target that is no URL (the crash of issue 9)',
    bytes: `GET http://[ HTTP/1.1\r\n${H}\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'a protocol-relative path stays a path (Envoy does not read //[ as a host)',
    bytes: `GET //[ HTTP/1.1\r\n${H}Connection: close\r\n\r\n`,
    answers: [404],
    counted: { '404 -': 1 },
  },
  {
    name: 'an absolute-form target is routed by its authority, not by Host',
    bytes: `GET http://${HOST}/ HTTP/1.1\r\nHost: nowhere.example\r\nConnection: close\r\n\r\n`,
    answers: [200],
    counted: { '200 -': 1 },
  },
  {
    name: 'an absolute-form target naming another host: no route',
    bytes: `GET http://nowhere.example/ HTTP/1.1\r\n${H}Connection: close\r\n\r\n`,
    answers: [404],
    counted: { '404 NR': 1 },
  },
  {
    name: 'a target that is neither a path nor a URL',
    bytes: `GET foo HTTP/1.1\r\n${H}\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'asterisk-form for GET',
    bytes: `GET * HTTP/1.1\r\n${H}\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'OPTIONS * (Envoy rejects a non-relative path: 404)',
    bytes: `OPTIONS * HTTP/1.1\r\n${H}Connection: close\r\n\r\n`,
    answers: [404],
    counted: { '404 -': 1 },
  },
  {
    name: 'CONNECT (authority-form): no route has a path for it',
    bytes: `CONNECT ${HOST}:443 HTTP/1.1\r\n${H}\r\n`,
    answers: [404],
    counted: { '404 NR': 1 },
  },
  {
    name: 'HTTP/1.0 (Istio leaves accept_http_10 off)',
    bytes: `GET / HTTP/1.0\r\n${H}\r\n`,
    answers: [426],
    counted: { '426 DPE': 1 },
  },
  {
    name: 'bad percent-encoding in path and query is passed on as written',
    bytes: `GET /%zz%E0%A4%A?a=%zz&%=1 HTTP/1.1\r\n${H}Connection: close\r\n\r\n`,
    answers: [404],
    counted: { '404 -': 1 },
  },
  {
    name: 'a header name with a space',
    bytes: `GET / HTTP/1.1\r\n${H}Bad Header: x\r\n\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'a control character in a header value',
    bytes: `GET / HTTP/1.1\r\n${H}X: a\x01b\r\n\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'a Host that is no authority',
    bytes: `GET / HTTP/1.1\r\nHost: a b\r\n\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'no Host at all',
    bytes: `GET / HTTP/1.1\r\n\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'headers over 60 KiB',
    bytes: `GET / HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
    answers: [431],
    counted: { '431 DPE': 1 },
  },
  {
    name: 'more than 100 headers',
    bytes: `GET / HTTP/1.1\r\n${H}${Array.from({ length: 150 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`,
    answers: [431],
    counted: { '431 DPE': 1 },
  },
  {
    name: 'headers of 20 KiB pass (under the limit) and reach the app',
    bytes: `GET / HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    answers: [200],
    counted: { '200 -': 1 },
  },
  {
    name: 'a body on a GET',
    bytes: `GET / HTTP/1.1\r\n${H}Content-Length: 5\r\nConnection: close\r\n\r\nhello`,
    answers: [200],
    counted: { '200 -': 1 },
  },
  {
    name: 'chunked garbage after the headers (the request was already on its way to a pod)',
    bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'Content-Length and Transfer-Encoding together (smuggling)',
    bytes: `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'a method with a non-token character',
    bytes: `G@T / HTTP/1.1\r\n${H}\r\n`,
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'a TLS ClientHello on the plain-text port',
    bytes: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
    answers: [400],
    counted: { '400 DPE': 1 },
  },
  {
    name: 'pipelined requests are answered in order, one after the other',
    bytes: `GET / HTTP/1.1\r\n${H}\r\nGET /nope HTTP/1.1\r\n${H}\r\nGET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n`,
    answers: [200, 404, 200],
    counted: { '200 -': 2, '404 -': 1 },
  },
  {
    name: 'garbage pipelined behind a good request: the good one is answered first',
    bytes: `GET / HTTP/1.1\r\n${H}\r\nGARBAGE\r\n\r\n`,
    answers: [200, 400],
    counted: { '200 -': 1, '400 DPE': 1 },
  },
  {
    name: 'an expectation other than 100-continue is passed on (the app, as Go, answers 417)',
    bytes: `POST / HTTP/1.1\r\n${H}Expect: something\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`,
    answers: [417],
    counted: { '417 -': 1 },
  },
];

describe('hostile input to the live gateway (serve at 30×, apps answering after 500 ms)', () => {
  const live = liveServe(30, {
    seed: 3,
    apps: `- image: ghcr.io/vfarcic/silly-demo:*\n  latency: {fixed: ${LATENCY_MS}ms}\n`,
    blog: true,
  });
  const port = () => Number(new URL(live.serve.ingress).port);
  /** istio_requests_total by `code flags` for one reporter. */
  const counts = (reporter: string) => istioCounts(live.serve.api, reporter);
  const settled = (reporter: string, since: Record<string, number>, want: Record<string, number>) =>
    countsSettled(live.serve.api, reporter, since, want, 5000);

  it.each(cases)('$name', async (c) => {
    const before = await counts('source');
    const data = await raw(port(), c.bytes);
    expect(statuses(data), data.slice(0, 300)).toEqual(c.answers);
    if (c.answers.every((s) => s !== 200 && s !== 404 && s !== 417))
      expect(data).toMatch(/server: istio-envoy/);
    const { now, expected } = await settled('source', before, c.counted);
    expect(sorted(now)).toEqual(sorted(expected));
  });

  it('a client that hangs up before its answer is counted 0 DC by the gateway and the sidecar; the answered ones 200', async () => {
    const [sourceBefore, destBefore] = [await counts('source'), await counts('destination')];
    const n = 30;
    const hangUps = 12;
    const results = await Promise.all(
      Array.from(
        { length: n },
        (_, i) =>
          new Promise<number>((ok) => {
            const req = request(
              { port: port(), host: '127.0.0.1', path: '/', headers: { host: HOST }, agent: false },
              (res) => {
                res.resume();
                res.once('end', () => ok(res.statusCode ?? 0));
              },
            );
            req.once('error', () => ok(0));
            req.end();
            if (i < hangUps) setTimeout(() => req.destroy(), LATENCY_MS / 5);
          }),
      ),
    );
    expect(results.filter((s) => s === 200)).toHaveLength(n - hangUps);
    expect(results.filter((s) => s === 0)).toHaveLength(hangUps);
    const want = { '200 -': n - hangUps, '0 DC': hangUps };
    const source = await settled('source', sourceBefore, want);
    expect(sorted(source.now)).toEqual(sorted(source.expected));
    const dest = await settled('destination', destBefore, want);
    expect(sorted(dest.now)).toEqual(sorted(dest.expected));
  });

  it('pipelined requests behind one the client hung up on were never read: only that one is counted', async () => {
    const before = await counts('source');
    const data = await raw(
      port(),
      `GET / HTTP/1.1\r\n${H}\r\nGET / HTTP/1.1\r\n${H}\r\nGET / HTTP/1.1\r\n${H}\r\n`,
      100,
    );
    expect(data).toBe('');
    const { now, expected } = await settled('source', before, { '0 DC': 1 });
    expect(sorted(now)).toEqual(sorted(expected));
  });

  it('a client that stops sending its body mid-way and leaves is counted 0 DC', async () => {
    const before = await counts('source');
    const data = await raw(port(), `POST / HTTP/1.1\r\n${H}Content-Length: 100\r\n\r\nonly part`, 200);
    expect(data).toBe('');
    const { now, expected } = await settled('source', before, { '0 DC': 1 });
    expect(sorted(now)).toEqual(sorted(expected));
  });

  it('still serves after all of it: the gateway answers and the control API reports', async () => {
    const r = await raw(port(), `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n`);
    expect(statuses(r)).toEqual([200]);
    expect((await live.client.status()).ingress).toBe(live.serve.ingress);
  });
});

function sorted(o: Record<string, number>): [string, number][] {
  return Object.entries(o)
    .filter(([, v]) => v !== 0)
    .sort(([a], [b]) => a.localeCompare(b));
}
