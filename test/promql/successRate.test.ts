import { describe, expect, it } from 'vitest';
import { Engine } from '../../sim/promql/index.js';
import { Storage } from '../../sim/tsdb/index.js';

// The canary success-rate query over many series, checked against the same ratio computed
// directly from the data; and the storage's 16 bytes per sample. (Timings are in `npm run bench`.)
const STEP = 15_000;
const SERIES = 200;
const SAMPLES = (2 * 3_600_000) / STEP;
const END = (SAMPLES - 1) * STEP;

describe('success rate over many series', () => {
  const storage = new Storage();
  const weight = (i: number) => (i % 5) + 1;
  for (let i = 0; i < SERIES; i++) {
    const ref = storage.seriesRef({
      __name__: 'x',
      a: i % 10 === 0 ? 'z' : 'b',
      c: i % 7 === 0 ? '503' : '200',
      instance: `pod-${i}`,
    });
    for (let k = 0; k < SAMPLES; k++) storage.append(ref, k * STEP, k * weight(i));
  }

  it('stores each sample in 16 bytes', () => {
    const stats = storage.stats();
    expect(stats.samples).toBe(SERIES * SAMPLES);
    expect(stats.sampleBytes / stats.samples).toBeLessThanOrEqual(16);
  });

  it('equals the ratio of per-second increments computed by hand', () => {
    // irate of series i is weight(i)/15 per second.
    let ok = 0;
    let all = 0;
    for (let i = 0; i < SERIES; i++) {
      if (i % 10 === 0) continue;
      all += weight(i) / 15;
      if (i % 7 !== 0) ok += weight(i) / 15;
    }
    const r = new Engine().instantQuery(
      storage,
      'sum(irate(x{a="b",c!~"5.*"}[5m])) / sum(irate(x{a="b"}[5m]))',
      END,
    );
    expect(r.resultType).toBe('vector');
    if (r.resultType !== 'vector') return;
    expect(r.result).toHaveLength(1);
    expect(r.result[0]!.value).toBeCloseTo(ok / all, 12);
  });
});
