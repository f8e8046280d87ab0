// Live hey against local servers on 127.0.0.1 ephemeral ports: every run is bounded in count or in
// time (at most a few seconds), and every server is closed afterwards.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runHeyCommand } from '../../cli/commands/hey.js';
import { parseHeyArgs } from '../../loadgen/heyFlags.js';
import type { HeyResult } from '../../loadgen/HeyResult.js';
import { runLiveHey, type LiveHeyHooks } from '../../loadgen/liveHey.js';
import { HEY_CSV_HEADER, printHeyCsv } from '../../loadgen/printHeyCsv.js';
import { printHeySummary } from '../../loadgen/printHeySummary.js';
import { InputError } from '../../sim/errors.js';

const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/spec/samples');

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A node:http server that counts requests and the connections they came on. */
async function countingServer(
  handle: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void = (_q, res) =>
    res.end('twenty bytes of body'),
): Promise<{ url: string; count: () => number; connections: () => number; seen: Seen[] }> {
  let count = 0;
  let connections = 0;
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const n = ++count;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      if (seen.length < 50)
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handle(req, res, n);
    });
  });
  server.on('connection', () => connections++);
  const port = await listen(server);
  closers.push(() => closeServer(server));
  return { url: `http://127.0.0.1:${port}`, count: () => count, connections: () => connections, seen };
}

/** A TCP server that records the bytes of each request and answers with `reply(n, socketUses)`. */
async function rawServer(
  reply: (n: number, uses: number, socket: net.Socket) => string | undefined = () =>
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
): Promise<{ port: number; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = net.createServer((socket) => {
    let uses = 0;
    socket.on('error', () => {});
    socket.on('data', (d) => {
      requests.push(d.toString('utf8'));
      const out = reply(requests.length, ++uses, socket);
      if (out !== undefined && !socket.destroyed) socket.write(out);
    });
  });
  const port = await listen(server);
  closers.push(() => closeServer(server));
  return { port, url: `http://127.0.0.1:${port}`, requests };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

function closeServer(server: net.Server): Promise<void> {
  (server as http.Server).closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const hey = (args: string[], hooks?: LiveHeyHooks) => runLiveHey(parseHeyArgs(args, { numCpu: 2 }), hooks);
const codes = (r: HeyResult) => Object.fromEntries(r.statusCodes);

describe('live hey: how many requests', () => {
  it('-n 205 -c 50 sends exactly 200 (hey drops the remainder) and counts each once', async () => {
    const srv = await countingServer();
    const { result } = await hey(['-n', '205', '-c', '50', `${srv.url}/`]);
    expect(srv.count()).toBe(200);
    expect(result.results).toBe(200);
    expect(result.responses).toBe(200);
    expect(result.statusCodes).toEqual([[200, 200]]);
    expect(result.errors).toEqual([]);
    expect(result.totalBytes).toBe(200 * 20);
    // keep-alive: one connection per worker, so only the first request of each dials
    expect(srv.connections()).toBe(50);
  });

  it('-z 1s -q 10 -c 4 sends about 40: ten ticks per worker, give or take one', async () => {
    const srv = await countingServer();
    const started = performance.now();
    const { result } = await hey(['-z', '1s', '-q', '10', '-c', '4', `${srv.url}/`]);
    expect(result.results).toBe(srv.count());
    expect(result.results).toBeGreaterThanOrEqual(36);
    expect(result.results).toBeLessThanOrEqual(44);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('-q paces each worker on its ticker instead of bursting (first request after one period)', async () => {
    const times: number[] = [];
    const srv = await countingServer((_q, res) => {
      times.push(performance.now());
      res.end('x');
    });
    const started = performance.now();
    await hey(['-n', '4', '-c', '1', '-q', '20', `${srv.url}/`]);
    expect(times).toHaveLength(4);
    expect((times[0] ?? 0) - started).toBeGreaterThanOrEqual(40);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThan(30);
  });

  it('-z stops the run: no request starts after it, and those in flight finish and are counted', async () => {
    const arrivals: number[] = [];
    const srv = await countingServer((_q, res) => {
      arrivals.push(performance.now());
      setTimeout(() => res.end('slow'), 150);
    });
    const started = performance.now();
    const { result } = await hey(['-z', '500ms', '-c', '5', `${srv.url}/`]);
    expect(result.results).toBe(srv.count());
    expect(result.errors).toEqual([]);
    const last = Math.max(...arrivals) - started;
    expect(last).toBeLessThan(560);
    // the requests under way at 500 ms were waited for: the run lasted past the last one's 150 ms
    expect(result.totalMs).toBeGreaterThanOrEqual(last + 145);
    expect(result.results).toBeGreaterThanOrEqual(15);
  });

  it('an abort (Ctrl-C) stops a long -z run promptly, with every request sent counted', async () => {
    const srv = await countingServer();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const started = performance.now();
    const { result } = await hey(['-z', '60m', '-c', '10', `${srv.url}/`], { signal: ac.signal });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.results).toBeGreaterThan(0);
    expect(result.results).toBe(srv.count());
    expect(result.totalMs).toBeGreaterThanOrEqual(290);
  });

  it('reports progress about once a second', async () => {
    const srv = await countingServer();
    const seen: number[] = [];
    await hey(['-z', '1200ms', '-c', '2', `${srv.url}/`], { onProgress: (p) => seen.push(p.result.results) });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThanOrEqual(2);
    expect(seen[0]).toBeGreaterThan(0);
  });
});

describe('live hey: what the server sees', () => {
  it('status codes come back as the server sent them', async () => {
    const srv = await countingServer((_q, res, n) => {
      res.statusCode = [200, 404, 500][n % 3] ?? 200;
      res.end('x');
    });
    const { result } = await hey(['-n', '90', '-c', '3', `${srv.url}/`]);
    expect(result.statusCodes).toEqual([
      [200, 30],
      [404, 30],
      [500, 30],
    ]);
  });

  // The expected bytes are what /usr/bin/hey (Debian 0.1.4-2) wrote for the same flags.
  it.each([
    {
      args: [],
      path: '/a?b=c',
      want: 'GET /a?b=c HTTP/1.1\r\nHost: HOST\r\nUser-Agent: hey/0.0.1\r\nContent-Type: text/html\r\nAccept-Encoding: gzip\r\n\r\n',
    },
    {
      // -a is dropped by hey 0.1.4 itself; -H Host is ignored by Go; -host wins.
      args: [
        '-m',
        'post',
        '-a',
        'user:pass',
        '-A',
        'text/plain',
        '-H',
        'x-foo: bar',
        '-H',
        'Host: evil',
        '-host',
        'myhost:81',
      ],
      path: '/',
      want: 'POST / HTTP/1.1\r\nHost: myhost:81\r\nUser-Agent: hey/0.0.1\r\nContent-Length: 0\r\nAccept: text/plain\r\nContent-Type: text/html\r\nX-Foo: bar\r\nAccept-Encoding: gzip\r\n\r\n',
    },
    {
      args: ['-m', 'DELETE', '-disable-keepalive', '-disable-compression'],
      path: '/',
      want: 'DELETE / HTTP/1.1\r\nHost: HOST\r\nUser-Agent: hey/0.0.1\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n',
    },
    {
      args: ['-m', 'FOO', '-H', 'Accept-Encoding: br', '-H', 'Content-Length: 99'],
      path: '/',
      want: 'FOO / HTTP/1.1\r\nHost: HOST\r\nUser-Agent: hey/0.0.1\r\nAccept-Encoding: br\r\nContent-Type: text/html\r\n\r\n',
    },
    {
      args: ['-m', 'HEAD', '-d', 'hello'],
      path: '/',
      want: 'HEAD / HTTP/1.1\r\nHost: HOST\r\nUser-Agent: hey/0.0.1\r\nContent-Length: 5\r\nContent-Type: text/html\r\n\r\nhello',
    },
    {
      args: ['-m', 'PUT'],
      path: '/',
      want: 'PUT / HTTP/1.1\r\nHost: HOST\r\nUser-Agent: hey/0.0.1\r\nContent-Length: 0\r\nContent-Type: text/html\r\nAccept-Encoding: gzip\r\n\r\n',
    },
    {
      args: [],
      path: '/a%20b/c d?x=é',
      want: 'GET /a%20b/c%20d?x=é HTTP/1.1\r\nHost: HOST\r\nUser-Agent: hey/0.0.1\r\nContent-Type: text/html\r\nAccept-Encoding: gzip\r\n\r\n',
    },
    {
      args: [],
      path: '?fail=true#frag',
      want: 'GET /?fail=true HTTP/1.1\r\nHost: HOST\r\nUser-Agent: hey/0.0.1\r\nContent-Type: text/html\r\nAccept-Encoding: gzip\r\n\r\n',
    },
    {
      // hey.go at 0.1.4 (898582754): -U and -H User-Agent prefix hey's own agent.
      args: ['-m', 'POST', '-d', '{"a":1}', '-T', 'application/json', '-U', 'trainer'],
      path: '/',
      want: 'POST / HTTP/1.1\r\nHost: HOST\r\nUser-Agent: trainer hey/0.0.1\r\nContent-Length: 7\r\nContent-Type: application/json\r\nAccept-Encoding: gzip\r\n\r\n{"a":1}',
    },
    {
      args: ['-H', 'User-Agent: me', '-H', 'content-type: text/plain', '-H', 'X-A:   spaced  '],
      path: '/',
      want: 'GET / HTTP/1.1\r\nHost: HOST\r\nUser-Agent: me hey/0.0.1\r\nContent-Type: text/plain\r\nX-A: spaced\r\nAccept-Encoding: gzip\r\n\r\n',
    },
  ])('sends Go’s bytes for hey $args $path', async ({ args, path: p, want }) => {
    const srv = await rawServer();
    const { result } = await hey(['-n', '1', '-c', '1', ...args, `${srv.url}${p}`]);
    expect(result.statusCodes).toEqual([[200, 1]]);
    expect(srv.requests).toEqual([want.replaceAll('HOST', `127.0.0.1:${srv.port}`)]);
  });

  it('credentials in the URL become Basic auth (Go’s client), masked in error messages', async () => {
    const srv = await countingServer();
    await hey(['-n', '1', '-c', '1', srv.url.replace('//', '//ann:s3cret@') + '/']);
    expect(srv.seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ann:s3cret').toString('base64')}`);
    const port = await closedPort();
    const { result } = await hey(['-n', '1', '-c', '1', `http://ann:s3cret@127.0.0.1:${port}`]);
    expect(result.errors).toEqual([
      [`Get "http://ann:***@127.0.0.1:${port}": dial tcp 127.0.0.1:${port}: connect: connection refused`, 1],
    ]);
  });

  it('-D sends the file; a missing -D file is bad input naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-hey-'));
    tmpDirs.push(dir);
    const file = path.join(dir, 'body.json');
    writeFileSync(file, '{"from":"file"}');
    const srv = await countingServer();
    await hey(['-n', '2', '-c', '1', '-m', 'POST', '-d', 'ignored', '-D', file, `${srv.url}/`]);
    expect(srv.seen.map((s) => [s.method, s.body, s.headers['content-length']])).toEqual([
      ['POST', '{"from":"file"}', '15'],
      ['POST', '{"from":"file"}', '15'],
    ]);
    const missing = path.join(dir, 'nope.json');
    await expect(hey(['-n', '1', '-c', '1', '-D', missing, `${srv.url}/`])).rejects.toThrow(
      new InputError(`-D: open ${missing}: no such file or directory`),
    );
    // A folder as hey says it; a body with no end (/dev/zero) stops at the limit, before a request.
    await expect(hey(['-n', '1', '-c', '1', '-D', dir, `${srv.url}/`])).rejects.toThrow(
      new InputError(`-D: read ${dir}: is a directory`),
    );
    await expect(hey(['-n', '1', '-c', '1', '-D', '/dev/zero', `${srv.url}/`])).rejects.toThrow(
      new InputError("-D /dev/zero: a request body over 16 MiB (canarysim's limit)"),
    );
    expect(srv.seen).toHaveLength(2);
  });

  it('keeps connections alive, or opens one per request with -disable-keepalive', async () => {
    const kept = await countingServer();
    await hey(['-n', '20', '-c', '2', `${kept.url}/`]);
    expect(kept.connections()).toBe(2);
    const fresh = await countingServer();
    const { result } = await hey(['-n', '20', '-c', '2', '-disable-keepalive', `${fresh.url}/`]);
    expect(fresh.connections()).toBe(20);
    expect(fresh.seen.every((s) => s.headers.connection === 'close')).toBe(true);
    expect(result.statusCodes).toEqual([[200, 20]]);
  });

  it('opens a new connection after a response that closes it (an HTTP/1.0-style server)', async () => {
    const srv = await rawServer((_n, _u, socket) => {
      socket.end('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok');
      return undefined;
    });
    const { result } = await hey(['-n', '10', '-c', '2', srv.url]);
    expect(result.statusCodes).toEqual([[200, 10]]);
    expect(result.errors).toEqual([]);
    expect(srv.requests).toHaveLength(10);
  });

  it('HEAD reads no body, whatever Content-Length says, and counts that length as hey does', async () => {
    const srv = await countingServer((_q, res) => {
      res.setHeader('Content-Length', 20);
      res.end(); // node:http sends no body for HEAD; a client reading 20 bytes would hang
    });
    const { result } = await hey(['-n', '6', '-c', '2', '-m', 'HEAD', '-t', '2', `${srv.url}/`]);
    expect(result.statusCodes).toEqual([[200, 6]]);
    expect(result.errors).toEqual([]);
    expect(srv.seen.every((s) => s.method === 'HEAD')).toBe(true);
    // Go takes a HEAD response's Content-Length at its word
    expect(result.totalBytes).toBe(6 * 20);
  });

  it('Total data counts Content-Length only: not chunked bodies, not gzip Go decompressed', async () => {
    const gz = gzipSync('hello hello hello');
    const srv = await countingServer((req, res) => {
      if (req.url === '/chunked') {
        res.write('chunk');
        res.end();
      } else {
        res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Length', gz.length);
        res.end(gz);
      }
    });
    expect((await hey(['-n', '2', '-c', '1', `${srv.url}/chunked`])).result.totalBytes).toBe(0);
    expect((await hey(['-n', '2', '-c', '1', `${srv.url}/gz`])).result.totalBytes).toBe(0);
    const plain = await hey(['-n', '2', '-c', '1', '-disable-compression', `${srv.url}/gz`]);
    expect(plain.result.totalBytes).toBe(2 * gz.length);
  });
});

describe('live hey: failures in Go’s words', () => {
  it('connection refused, every request an error (samples/hey-sample-output-errors.txt)', async () => {
    const port = await closedPort();
    const { result } = await hey(['-n', '4', '-c', '2', `http://127.0.0.1:${port}/`]);
    expect(result.results).toBe(4);
    expect(result.responses).toBe(0);
    expect(result.errors).toEqual([
      [`Get "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused`, 4],
    ]);
    const printed = printHeySummary(result);
    expect(printed).toContain('  Average:\t NaN secs\n');
    expect(printed).toContain(
      `Error distribution:\n  [4]\tGet "http://127.0.0.1:${port}/": dial tcp 127.0.0.1:${port}: connect: connection refused\n`,
    );
  });

  it('a server that does not answer: Client.Timeout after -t seconds', async () => {
    const srv = await rawServer(() => undefined);
    const started = performance.now();
    const { result } = await hey(['-n', '2', '-c', '2', '-t', '1', `${srv.url}/`]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.errors).toEqual([
      [`Get "${srv.url}/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, 2],
    ]);
  });

  it('a server that hangs up without answering: EOF', async () => {
    const srv = await rawServer((_n, _u, socket) => {
      socket.end();
      return undefined;
    });
    const { result } = await hey(['-n', '3', '-c', '1', '-m', 'POST', `${srv.url}/x`]);
    expect(result.errors).toEqual([[`Post "${srv.url}/x": EOF`, 3]]);
  });

  it('a reused connection closed under a GET is retried, as Go’s transport does; a POST body is not', async () => {
    // Every connection answers its first request and drops the second (what /usr/bin/hey shows:
    // GET → 6 responses; POST -d x → 3 responses and 3 EOF).
    const dropSecond = (_n: number, uses: number, socket: net.Socket) => {
      if (uses === 2) {
        socket.destroy();
        return undefined;
      }
      return 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    };
    const get = await rawServer(dropSecond);
    expect((await hey(['-n', '6', '-c', '1', `${get.url}/`])).result).toMatchObject({
      statusCodes: [[200, 6]],
      errors: [],
    });
    const post = await rawServer(dropSecond);
    expect((await hey(['-n', '6', '-c', '1', '-m', 'POST', '-d', 'x', `${post.url}/`])).result).toMatchObject(
      {
        statusCodes: [[200, 3]],
        errors: [[`Post "${post.url}/": EOF`, 3]],
      },
    );
  });

  it('a malformed response: net/http’s message', async () => {
    const srv = await rawServer(() => 'garbage\r\n\r\n');
    const { result } = await hey(['-n', '2', '-c', '1', `${srv.url}/`]);
    expect(result.errors).toEqual([
      [
        `Get "${srv.url}/": net/http: HTTP/1.x transport connection broken: malformed HTTP response "garbage"`,
        2,
      ],
    ]);
  });

  it('what canarysim cannot send is bad input', async () => {
    await expect(hey(['-x', 'http://127.0.0.1:3128', 'http://127.0.0.1:1/'])).rejects.toThrow(
      'not supported by canarysim hey: -x http://127.0.0.1:3128 (HTTP proxy)',
    );
    await expect(hey(['-h2', 'http://127.0.0.1:1/'])).rejects.toThrow('not supported by canarysim hey: -h2');
    await expect(hey(['ftp://127.0.0.1:1/'])).rejects.toThrow('unsupported protocol scheme "ftp"');
    await expect(hey(['example.com'])).rejects.toThrow(InputError);
  });
});

describe('live hey: redirects, followed as Go’s client follows them', () => {
  const redirector = () =>
    countingServer((req, res, n) => {
      const url = req.url ?? '';
      if (url === '/moved') res.writeHead(302, { Location: '/here' }).end();
      else if (url === '/temp') res.writeHead(307, { Location: '/here' }).end();
      else if (url.startsWith('/loop')) res.writeHead(302, { Location: `/loop${n}` }).end();
      else res.end(`${req.method} ${url}`);
    });

  it('302 is followed: one result per request, the final status', async () => {
    const srv = await redirector();
    const { result } = await hey(['-n', '4', '-c', '2', '-m', 'POST', '-d', 'x', `${srv.url}/moved`]);
    expect(result.statusCodes).toEqual([[200, 4]]);
    expect(result.results).toBe(4);
    expect(srv.count()).toBe(8);
    const hop = srv.seen.find((s) => s.url === '/here');
    expect(hop).toMatchObject({ method: 'GET', body: '' });
    expect(hop?.headers.referer).toBe(`${srv.url}/moved`);
    expect(hop?.headers['user-agent']).toBe('hey/0.0.1');
  });

  it('-disable-redirects reports the 3xx', async () => {
    const srv = await redirector();
    const { result } = await hey(['-n', '4', '-c', '2', '-disable-redirects', `${srv.url}/moved`]);
    expect(result.statusCodes).toEqual([[302, 4]]);
    expect(srv.count()).toBe(4);
  });

  it('307 keeps the method, but a request with a body gets the 307 back (hey cannot resend it)', async () => {
    const srv = await redirector();
    expect(codes((await hey(['-n', '2', '-c', '1', '-m', 'DELETE', `${srv.url}/temp`])).result)).toEqual({
      200: 2,
    });
    expect(srv.seen.filter((s) => s.url === '/here').map((s) => s.method)).toEqual(['DELETE', 'DELETE']);
    expect(
      codes((await hey(['-n', '2', '-c', '1', '-m', 'POST', '-d', 'x', `${srv.url}/temp`])).result),
    ).toEqual({
      307: 2,
    });
  });

  it('stops after 10 requests, naming the Location it would have followed', async () => {
    const srv = await redirector();
    const { result } = await hey(['-n', '1', '-c', '1', `${srv.url}/loop`]);
    expect(result.errors).toEqual([['Get "/loop10": stopped after 10 redirects', 1]]);
    expect(srv.count()).toBe(10);
  });
});

describe('live hey: output', () => {
  /** A summary's shape: numbers → N, bars dropped; what must match hey line for line. */
  const shape = (text: string) =>
    text.split('\n').map((line) => line.replace(/■+/g, '').replace(/\d+(\.\d+)?/g, 'N'));

  it('the summary has the line structure of a real hey run (samples/hey-sample-output.txt)', async () => {
    const srv = await countingServer((_q, res) => res.end('This is a silly demo version 1.4.126'));
    const { result } = await hey(['-n', '200', '-c', '10', `${srv.url}/`]);
    const printed = printHeySummary(result);
    const sample = readFileSync(path.join(SAMPLES, 'hey-sample-output.txt'), 'utf8');
    expect(shape(printed)).toEqual(shape(sample));
    const lines = printed.split('\n');
    const after = (header: string, n: number) =>
      lines.slice(lines.indexOf(header) + 1, lines.indexOf(header) + 1 + n);
    expect(after('Response time histogram:', 11).every((l) => /^ {2}\d+\.\d{3} \[\d+\]\t\|■*$/.test(l))).toBe(
      true,
    );
    expect(after('Latency distribution:', 7).every((l) => /^ {2}\d+% in \d+\.\d{4} secs$/.test(l))).toBe(
      true,
    );
    expect(after('Details (average, fastest, slowest):', 5).map((l) => l.split(':')[0])).toEqual([
      '  DNS+dialup',
      '  DNS-lookup',
      '  req write',
      '  resp wait',
      '  resp read',
    ]);
  });

  it('times dialling only for requests that opened a connection', async () => {
    const srv = await countingServer();
    const { records, result } = await hey(['-n', '20', '-c', '2', '-o', 'csv', `${srv.url}/`]);
    expect(records).toHaveLength(20);
    expect(records?.filter((r) => r.connMs > 0)).toHaveLength(2);
    expect(result.phases.conn.maxMs).toBeGreaterThan(0);
    for (const r of records ?? []) {
      expect(r.connMs + r.respWaitMs + r.respReadMs).toBeLessThanOrEqual(r.durationMs + 1e-6);
    }
  });
});

describe('printHeyCsv', () => {
  it('prints hey’s header and rows, %4.4f seconds with Go’s rounding, one final newline', () => {
    const row = { connMs: 0, dnsMs: 0, reqWriteMs: 0, statusCode: 200 };
    const out = printHeyCsv([
      // 31.25 ms is exactly halfway: Go rounds it to even (0.0312), toFixed would say 0.0313
      { ...row, durationMs: 31.25, respWaitMs: 0.9, respReadMs: 0.05, offsetMs: 0.5 },
      {
        ...row,
        durationMs: 1234.56789,
        connMs: 1.5,
        dnsMs: 0.04,
        respWaitMs: 1200,
        respReadMs: 33,
        statusCode: 503,
        offsetMs: 4.2,
      },
    ]);
    expect(out).toBe(
      `${HEY_CSV_HEADER}\n` +
        '0.0312,0.0000,0.0000,0.0000,0.0009,0.0001,200,0.0005\n' +
        '1.2346,0.0015,0.0000,0.0000,1.2000,0.0330,503,0.0042\n',
    );
    expect(printHeyCsv([])).toBe(`${HEY_CSV_HEADER}\n`);
  });
});

describe('canarysim hey (runHeyCommand)', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: {
        stdout: { write: (s: string) => (out.stdout += s) },
        stderr: { write: (s: string) => (out.stderr += s) },
      },
    };
  };

  it('prints hey’s usage errors and returns hey’s exit codes', async () => {
    const a = io();
    expect(await runHeyCommand(['-n', '1', '-c', '2', 'http://127.0.0.1:1/'], a.io)).toBe(1);
    expect(a.out.stderr.startsWith('-n cannot be less than -c.\n\nUsage: hey [options...] <url>')).toBe(true);
    const b = io();
    expect(await runHeyCommand(['-bogus', 'http://127.0.0.1:1/'], b.io)).toBe(2);
    expect(b.out.stderr.startsWith('flag provided but not defined: -bogus\n')).toBe(true);
    expect(a.out.stdout + b.out.stdout).toBe('');
  });

  it('-o csv prints hey’s CSV: the header and one row per response', async () => {
    const srv = await countingServer();
    const a = io();
    expect(await runHeyCommand(['-n', '6', '-c', '2', '-o', 'csv', `${srv.url}/`], a.io)).toBe(0);
    const lines = a.out.stdout.split('\n');
    expect(lines[0]).toBe(HEY_CSV_HEADER);
    expect(lines).toHaveLength(8);
    expect(lines[7]).toBe('');
    for (const row of lines.slice(1, 7)) expect(row).toMatch(/^(\d+\.\d{4},){6}200,\d+\.\d{4}$/);
  });

  it('--json FILE (anywhere, even after the URL) writes the HeyResult beside the summary', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-hey-'));
    tmpDirs.push(dir);
    const srv = await countingServer();
    const file = path.join(dir, 'hey.json');
    const a = io();
    expect(await runHeyCommand(['-n', '10', '-c', '2', `${srv.url}/`, '--json', file], a.io)).toBe(0);
    expect(a.out.stdout).toContain('Status code distribution:\n  [200]\t10 responses\n');
    const json = JSON.parse(readFileSync(file, 'utf8')) as HeyResult;
    expect(json).toMatchObject({ results: 10, responses: 10, statusCodes: [[200, 10]] });
    // a hey flag's value is hey's, even when it reads --json
    const b = io();
    await runHeyCommand(['-n', '2', '-c', '1', '-m', 'POST', '-d', '--json', `${srv.url}/`], b.io);
    expect(srv.seen.at(-1)?.body).toBe('--json');
  });

  it('an abort prints the summary of what ran and exits 0, as hey does on Ctrl-C', async () => {
    const srv = await countingServer();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const a = io();
    expect(await runHeyCommand(['-z', '1h', '-c', '4', `${srv.url}/`], a.io, ac.signal)).toBe(0);
    const served = srv.count();
    expect(a.out.stdout).toContain(`  [200]\t${served} responses\n`);
  });
});
