import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createHeyAccumulator, type HeyPhaseTimes } from '../../loadgen/HeyResult.js';
import { formatGoFloat, goPrintfNoArgs, printHeySummary } from '../../loadgen/printHeySummary.js';

const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/spec/samples');
const sample = (name: string): string => readFileSync(path.join(SAMPLES, name), 'utf8');

/** Seconds → ms, for latencies written the way hey prints them. */
const ms = (sec: number): number => sec * 1000;

describe('printHeySummary reproduces the recorded hey 0.1.4 outputs', () => {
  it('connection refused only (hey-sample-output-errors.txt)', () => {
    const acc = createHeyAccumulator();
    acc.addErrors('Get "http://127.0.0.1:18089/": dial tcp 127.0.0.1:18089: connect: connection refused', 4);
    // Requests/sec counts errors: 4 results / total = 6816.0634.
    expect(printHeySummary(acc.finish(ms(4 / 6816.0634)))).toBe(sample('hey-sample-output-errors.txt'));
  });

  it('20 requests answered 404 by two workers (hey-sample-output-404.txt)', () => {
    // Latencies chosen to fall where the printed histogram, percentiles and average put them.
    const lats = [
      0.00033, 0.00047, 0.00049, 0.00055, 0.00058, 0.00062, 0.00064, 0.00066, 0.00067, 0.00068, 0.00072,
      0.00075, 0.0008, 0.00085, 0.00092, 0.00099, 0.00102, 0.0011, 0.0012, 0.00124,
    ];
    const acc = createHeyAccumulator();
    lats.forEach((lat, i) => {
      const phases: HeyPhaseTimes = {
        // keep-alive: only each worker's first request dials
        conn: i < 2 ? ms(0.0008) : 0,
        reqWrite: ms(i === 7 ? 0.00006 : 0.00001),
        respWait: ms(i < 10 ? 0.0002 : i < 19 ? 0.00075 : 0.001),
        respRead: ms(i === 3 ? 0.0004 : 0.00004),
      };
      acc.addOne({ statusCode: 404, durationMs: ms(lat), contentLength: 335, phases });
    });
    expect(printHeySummary(acc.finish(ms(20 / 2499.0557)))).toBe(sample('hey-sample-output-404.txt'));
  });

  it('200 requests to a backlogged server (hey-sample-output.txt)', () => {
    // Sorted latencies through the printed percentile points; four SYN retransmits near 1 s.
    const anchors: Array<[number, number]> = [
      [0, 0.0007],
      [20, 0.00141],
      [50, 0.00211],
      [100, 0.00341],
      [150, 0.00461],
      [180, 0.00781],
      [190, 0.01711],
    ];
    const lats: number[] = [];
    for (let k = 0; k + 1 < anchors.length; k++) {
      const [i0, v0] = anchors[k] ?? [0, 0];
      const [i1, v1] = anchors[k + 1] ?? [0, 0];
      // Just above each printed point, so that the unprinted bulk stays light.
      for (let i = i0; i < i1; i++) lats.push(v0 + (i - i0) * 1e-5);
      expect(v0 + (i1 - i0) * 1e-5).toBeLessThan(v1);
    }
    lats.push(0.01711);
    const slow = [1.007, 1.0075, 1.0078, 1.0116];
    // The Average line (0.0241) pins the sum; the five unreported latencies take up the slack.
    const sum = [...lats, ...slow].reduce((a, b) => a + b, 0);
    const filler = (0.0241 * 200 - sum) / 5;
    lats.push(...Array<number>(5).fill(filler), ...slow);
    expect([lats.length, filler > 0.0172 && filler < 0.1]).toEqual([200, true]);

    const acc = createHeyAccumulator();
    lats.forEach((lat, i) => {
      const slow = i >= 196;
      acc.addOne({
        statusCode: 200,
        durationMs: ms(lat),
        contentLength: 37,
        phases: {
          // HTTP/1.0: every request dials; the slow ones waited for a SYN retransmit.
          conn: slow ? ms(1.0) : ms(0.0002),
          reqWrite: ms(i === 0 ? 0.0006 : i % 2 ? 0.0001 : 0.00002),
          respWait: ms(i === 1 ? 0.0005 : i === 2 ? 0.0196 : 0.00325),
          respRead: ms(i === 3 ? 0.0151 : i === 4 ? 0 : 0.00043),
        },
      });
    });
    expect(printHeySummary(acc.finish(ms(200 / 190.5253)))).toBe(sample('hey-sample-output.txt'));
  });
});

describe('printHeySummary details', () => {
  it('keeps the line structure: 11 histogram lines, 7 latency lines, tabs, 3 trailing newlines', () => {
    const acc = createHeyAccumulator();
    acc.addBulk({ count: 1000, statusCode: 200, durationMs: 2, contentLength: 37 });
    acc.addBulk({ count: 10, statusCode: 500, durationMs: 12, contentLength: 27 });
    acc.addErrors(
      'Get "http://x/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      2,
    );
    acc.addErrors('Get "http://x/": EOF', 1);
    const out = printHeySummary(acc.finish(1000));
    const lines = out.split('\n');
    expect(lines.filter((l) => /^ {2}\d\.\d{3} \[\d+\]\t\|■*$/.test(l))).toHaveLength(11);
    expect(lines.filter((l) => /^ {2}\d+% in \d\.\d{4} secs$/.test(l))).toHaveLength(7);
    expect(out).toContain('  Requests/sec:\t1013.0000\n');
    expect(out).toContain('  Total data:\t37270 bytes\n  Size/request:\t36 bytes\n');
    expect(out).toContain(
      'Status code distribution:\n  [200]\t1000 responses\n  [500]\t10 responses\n\nError distribution:\n',
    );
    expect(out).toContain('  [1]\tGet "http://x/": EOF\n  [2]\tGet "http://x/": context');
    expect(out.endsWith('awaiting headers)\n\n')).toBe(true);
  });

  it('prints 0% in 0.0000 secs for percentiles a small sample never reaches', () => {
    const acc = createHeyAccumulator();
    for (const d of [1, 2, 3]) acc.addOne({ statusCode: 200, durationMs: d });
    const latency = printHeySummary(acc.finish(10)).split('Latency distribution:\n')[1]?.split('\n\n')[0];
    expect(latency).toBe(
      ['  10% in 0.0020 secs', '  25% in 0.0030 secs', ...Array(5).fill('  0% in 0.0000 secs')].join('\n'),
    );
  });

  it('averages over all responses but distributes only the first million', () => {
    const acc = createHeyAccumulator();
    acc.addBulk({ count: 1_000_000, statusCode: 200, durationMs: 1 });
    acc.addBulk({ count: 1_000_000, statusCode: 200, durationMs: 5 });
    const r = acc.finish(60_000);
    expect([r.results, r.responses, r.sampled, r.latency.slowestMs]).toEqual([
      2_000_000, 2_000_000, 1_000_000, 1,
    ]);
    // hey's inflated average: (1e6·1 ms + 1e6·5 ms) / 1e6 samples.
    expect(printHeySummary(r)).toContain('  Average:\t0.0060 secs\n');
    expect(printHeySummary(r)).toContain('  [200]\t2000000 responses');
  });

  it('omits Total data when no response had a Content-Length', () => {
    const acc = createHeyAccumulator();
    acc.addOne({ statusCode: 204, durationMs: 1 });
    expect(printHeySummary(acc.finish(1))).toContain(
      '  Requests/sec:\t1000.0000\n  \n\nResponse time histogram:\n',
    );
  });
});

describe('Go formatting helpers', () => {
  it('rounds %4.4f like Go: ties to even on the exact binary value', () => {
    expect(formatGoFloat(0.03125, 4, 4)).toBe('0.0312');
    expect(formatGoFloat(0.09375, 4, 4)).toBe('0.0938');
    expect(formatGoFloat(0.00005, 4, 4)).toBe('0.0001'); // 5e-5 is slightly above in binary
    expect(formatGoFloat(9.99996, 4, 4)).toBe('10.0000');
    expect(formatGoFloat(Number.NaN, 4, 4)).toBe(' NaN');
    expect(formatGoFloat(Infinity, 4, 4)).toBe('+Inf');
    expect(formatGoFloat(-0.00001, 4, 4)).toBe('-0.0000');
    expect(formatGoFloat(0.0005, 4, 3)).toBe('0.001');
  });

  it('treats the rendered text as a format string, as hey does', () => {
    expect(goPrintfNoArgs('10%% in')).toBe('10% in');
    expect(goPrintfNoArgs('Get "http://x/a%20b": EOF')).toBe('Get "http://x/a%!b(MISSING)": EOF');
    expect(goPrintfNoArgs('100%')).toBe('100%!(NOVERB)');
    expect(goPrintfNoArgs('%[1]d %-5.2f %*d')).toBe('%!d(BADINDEX) %!f(MISSING) %!(BADWIDTH)%!d(MISSING)');
  });
});
