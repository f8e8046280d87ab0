import { describe, expect, it } from 'vitest';
import { HeyUsageError, parseHeyArgs, perWorkerRequests } from '../../loadgen/heyFlags.js';
import { parseGoDurationNs as parseGoDuration } from '../../go/duration.js';

const URL = 'http://silly-demo.127.0.0.1.nip.io';

function usageError(argv: string[]): HeyUsageError {
  try {
    parseHeyArgs(argv, { numCpu: 2 });
  } catch (e) {
    if (e instanceof HeyUsageError) return e;
    throw e;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('parseHeyArgs', () => {
  it("has hey's defaults", () => {
    expect(parseHeyArgs([URL], { numCpu: 4 })).toEqual({
      n: 200,
      c: 50,
      q: 0,
      z: 0,
      method: 'GET',
      headers: [],
      timeoutSec: 20,
      accept: '',
      body: '',
      bodyFile: '',
      contentType: 'text/html',
      userAgent: '',
      basicAuth: null,
      proxy: '',
      h2: false,
      host: '',
      disableCompression: false,
      disableKeepAlive: false,
      disableRedirects: false,
      output: '',
      cpus: 4,
      url: URL,
      extraArgs: [],
    });
  });

  it('parses the blog command: -z 60m replaces -n by MaxInt32', () => {
    const o = parseHeyArgs(['-z', '60m', `${URL}?fail=true`]);
    expect(o.z).toBe(3_600_000);
    expect(o.n).toBe(2147483647);
    expect(o.url).toBe(`${URL}?fail=true`);
  });

  it('accepts the spellings of Go flags', () => {
    for (const argv of [['-n', '10'], ['-n=10'], ['--n', '10'], ['--n=10']]) {
      expect(parseHeyArgs([...argv, '-c', '2', URL]).n).toBe(10);
    }
    expect(parseHeyArgs(['-n', '0x20', '-c', '010', URL])).toMatchObject({ n: 32, c: 8 });
    expect(parseHeyArgs(['-n', '1_000', URL]).n).toBe(1000);
    expect(parseHeyArgs(['-h2', '-disable-keepalive=true', '--disable-redirects', URL])).toMatchObject({
      h2: true,
      disableKeepAlive: true,
      disableRedirects: true,
    });
    expect(parseHeyArgs(['-h2=false', URL]).h2).toBe(false);
    expect(parseHeyArgs(['-q', '2.5', '-t', '0', '-cpus', '1', URL])).toMatchObject({
      q: 2.5,
      timeoutSec: 0,
      cpus: 1,
    });
  });

  it('reads string flags and upper-cases the method', () => {
    const o = parseHeyArgs([
      '-m',
      'post',
      '-d',
      '{"a":1}',
      '-D',
      './body.json',
      '-T',
      'application/json',
      '-A',
      'text/plain',
      '-U',
      'demo',
      '-host',
      'example.com',
      '-x',
      'http://proxy:3128',
      '-o',
      'csv',
      URL,
    ]);
    expect(o).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      bodyFile: './body.json',
      contentType: 'application/json',
      accept: 'text/plain',
      userAgent: 'demo',
      host: 'example.com',
      proxy: 'http://proxy:3128',
      output: 'csv',
    });
  });

  it('collects repeated -H headers with canonical names, and parses -a', () => {
    const o = parseHeyArgs(['-H', 'x-request-id:  abc', '-H', 'Accept: text/html', '-a', 'user:p:ss', URL]);
    expect(o.headers).toEqual([
      ['X-Request-Id', 'abc'],
      ['Accept', 'text/html'],
    ]);
    expect(o.basicAuth).toEqual({ username: 'user:p', password: 'ss' });
  });

  it('stops at the first non-flag argument and keeps what follows as ignored extras', () => {
    const o = parseHeyArgs([URL, '-n', '5']);
    expect(o.n).toBe(200);
    expect(o.extraArgs).toEqual(['-n', '5']);
    expect(parseHeyArgs(['--', '-weird-url']).url).toBe('-weird-url');
    expect(parseHeyArgs(['-h2', 'false']).url).toBe('false');
  });

  it('z durations follow time.ParseDuration', () => {
    expect(parseHeyArgs(['-z', '1h30m', URL]).z).toBe(5_400_000);
    expect(parseHeyArgs(['-z', '1.5s', URL]).z).toBe(1500);
    expect(parseHeyArgs(['-z', '0', URL]).z).toBe(0);
    expect(parseHeyArgs(['-z', '-5s', '-n', '10', '-c', '1', URL])).toMatchObject({ z: 0, n: 10 });
    expect(parseGoDuration('300ms')).toBe(3e8);
    expect(parseGoDuration('2µs')).toBe(2000);
    expect(parseGoDuration('.5m')).toBe(30e9);
    for (const bad of ['', '10', '1d', 'h', '.s', '1.5.5s', '10 s', '+'])
      expect(parseGoDuration(bad)).toBeUndefined();
  });

  it("refuses what hey refuses, with hey's messages and exit codes", () => {
    const cases: Array<[string[], string, number]> = [
      [['-n', '10', '-c', '20', URL], '-n cannot be less than -c.', 1],
      [['-n', '0', URL], '-n and -c cannot be smaller than 1.', 1],
      [['-c', '-1', URL], '-n and -c cannot be smaller than 1.', 1],
      [['-z', '10s', '-c', '0', URL], '-c cannot be smaller than 1.', 1],
      [['-h', 'Accept: x', URL], "Flag '-h' is deprecated, please use '-H' instead.", 1],
      [['-H', 'no colon', URL], 'could not parse the provided input; input = no colon', 1],
      [['-a', 'user:p', URL], 'could not parse the provided input; input = user:p', 1],
      [['-m', 'GE T', URL], 'net/http: invalid method "GE T"', 1],
      [['://nope'], 'parse "://nope": missing protocol scheme', 1],
      [['127.0.0.1:8080'], 'parse "127.0.0.1:8080": first path segment in URL cannot contain colon', 1],
      [['http://host:port/'], 'parse "http://host:port/": invalid port ":port" after host', 1],
      [['http://host/%zz'], 'parse "http://host/%zz": invalid URL escape "%zz"', 1],
      [
        ['-x', '127.0.0.1:3128', URL],
        'parse "127.0.0.1:3128": first path segment in URL cannot contain colon',
        1,
      ],
      [['-n', 'ten', URL], 'invalid value "ten" for flag -n: parse error', 2],
      [
        ['-n', '99999999999999999999', URL],
        'invalid value "99999999999999999999" for flag -n: value out of range',
        2,
      ],
      [['-q', '1e400', URL], 'invalid value "1e400" for flag -q: value out of range', 2],
      [['-z', '10', URL], 'invalid value "10" for flag -z: parse error', 2],
      [['-h2=maybe', URL], 'invalid boolean value "maybe" for -h2: parse error', 2],
      [['-n'], 'flag needs an argument: -n', 2],
      [['-k', URL], 'flag provided but not defined: -k', 2],
      [['---n', '1', URL], 'bad flag syntax: ---n', 2],
      [['-o', 'json', URL], 'canarysim: -o "json" is not supported; use -o csv or no -o', 1],
    ];
    for (const [argv, message, exitCode] of cases) {
      const e = usageError(argv);
      expect([argv, e.message, e.exitCode]).toEqual([argv, message, exitCode]);
    }
  });

  it('prints the usage after the message, as hey does', () => {
    const e = usageError(['-n', '1', '-c', '2', URL]);
    expect(
      e.stderr.startsWith('-n cannot be less than -c.\n\nUsage: hey [options...] <url>\n\nOptions:\n'),
    ).toBe(true);
    expect(e.stderr.endsWith('(default for current machine is 2 cores)\n\n')).toBe(true);
    expect(e.stderr).toContain('\n  -host\tHTTP Host header.\n');

    const flag = usageError(['-k', URL]);
    expect(flag.stderr.startsWith('flag provided but not defined: -k\nUsage: hey')).toBe(true);

    const none = usageError([]);
    expect([none.exitCode, none.stderr.startsWith('Usage: hey [options...] <url>\n')]).toEqual([1, true]);
    const help = usageError(['-help']);
    expect([help.exitCode, help.stderr.startsWith('Usage: hey')]).toEqual([0, true]);
  });
});

describe('perWorkerRequests', () => {
  it('divides n by c as integers, dropping the remainder', () => {
    expect(perWorkerRequests({ n: 200, c: 50 })).toBe(4);
    expect(perWorkerRequests({ n: 205, c: 50 })).toBe(4);
    expect(perWorkerRequests({ n: 20, c: 2 })).toBe(10);
    expect(perWorkerRequests(parseHeyArgs(['-z', '1s', URL]))).toBe(42949672);
  });
});
