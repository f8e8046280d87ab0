import { describe, expect, it } from 'vitest';
import { proportionThreshold } from '../../cli/lint/conditionThreshold.js';
import { adviseSampleSize, minRequests, resolution, Z95 } from '../../cli/lint/sampleSize.js';
import { abs, BLOG_TEMPLATE, cli, overlay, where } from './helpers.js';

describe('the sample-size statistics against closed-form binomial results', () => {
  it('δ(n) is the half-width of the 95 % interval of a binomial proportion at the threshold: z·√(e₀(1−e₀)/n)', () => {
    // success ≥ 0.99 on 40 requests: e₀ = 0.01, σ = √(0.01·0.99/40) = 0.015732…, δ = 1.96 σ.
    expect(resolution(0.01, 40)).toBeCloseTo(Z95 * Math.sqrt((0.01 * 0.99) / 40), 12);
    expect(resolution(0.01, 40)).toBeCloseTo(0.030834, 5);
    // success ≥ 0.95 on 120 requests: δ = 1.96·√(0.0475/120) = 0.038995…
    expect(resolution(0.05, 120)).toBeCloseTo(0.038995, 5);
    // A proportion moves by whole requests: never finer than 1/n (e₀ = ½, n = 1: the interval is wider than 1).
    expect(resolution(0.5, 1)).toBe(1);
    expect(resolution(0.05, 0)).toBe(Infinity);
  });

  it('n* = ⌈z²(1−e₀)/e₀⌉ is the first n whose δ falls under e₀ (1 %: 381, 5 %: 73, 0.1 %: 3,838)', () => {
    for (const [e0, n] of [
      [0.01, 381],
      [0.05, 73],
      [0.001, 3838],
      [0.1, 35],
    ] as const) {
      expect(minRequests(e0)).toBe(n);
      expect(resolution(e0, n)).toBeLessThan(e0);
      expect(resolution(e0, n - 1)).toBeGreaterThanOrEqual(e0);
    }
  });

  it('the advice: requests = rps × share × window, and the rate or window that reaches n*', () => {
    const a = adviseSampleSize({ rps: 10, share: 0.2, windowSeconds: 30, errorThreshold: 0.05 });
    expect(a.requests).toBe(60);
    expect(a.enough).toBe(false);
    expect(a.minRequests).toBe(73);
    expect(a.minRps).toBeCloseTo(73 / 6, 12);
    expect(a.minWindowSeconds).toBeCloseTo(36.5, 12);
    const none = adviseSampleSize({ rps: 0.5, share: 0, windowSeconds: 300, errorThreshold: 0.01 });
    expect(none).toMatchObject({ requests: 0, enough: false, minRps: Infinity, minWindowSeconds: Infinity });
    expect(adviseSampleSize({ rps: 100, share: 1, windowSeconds: 300, errorThreshold: 0.01 }).enough).toBe(
      true,
    );
  });

  it("reads a condition's proportion threshold, either way round; a latency or count is none", () => {
    expect(proportionThreshold('result[0] >= 0.99', 'successCondition')).toMatchObject({
      measures: 'success',
      text: 'result[0] >= 0.99',
      offset: 0,
    });
    expect(proportionThreshold('result[0] >= 0.99', 'successCondition')!.errorThreshold).toBeCloseTo(
      0.01,
      12,
    );
    expect(proportionThreshold('result[0] > 0.05', 'failureCondition')).toMatchObject({
      measures: 'error',
      errorThreshold: 0.05,
    });
    expect(proportionThreshold('result[0] < 0.95', 'failureCondition')!.measures).toBe('success');
    expect(proportionThreshold('0.02 >= result[0]', 'successCondition')).toMatchObject({
      measures: 'error',
      errorThreshold: 0.02,
    });
    const guarded = proportionThreshold('len(result) == 0 || result[0] >= 0.95', 'successCondition')!;
    expect(guarded.offset).toBe(20);
    expect(proportionThreshold('result[0] < 500', 'successCondition')).toBeUndefined();
    expect(proportionThreshold('len(result) > 0', 'successCondition')).toBeUndefined();
  });
});

describe('lint --rps: the advice on the blog', () => {
  const DEMO = ['lint', '-k', abs(overlay('istio-prometheus')), abs(BLOG_TEMPLATE)];

  it("warns at 10 req/s: the one measurement's irate rests on 30 s of the canary's 20 % (60 requests)", async () => {
    const { code, stdout } = await cli([...DEMO, '--rps', '10']);
    expect(code).toBe(1);
    const line = stdout.split('\n').find((l) => l.includes('low-sample-size'))!;
    expect(line.startsWith(`${where(BLOG_TEMPLATE, 'result[0] >= 0.95')}: warning low-sample-size: `)).toBe(
      true,
    );
    expect(line).toContain(
      "at 10 req/s (--rps), step 2 (canary weight 20% in the window) puts 60 requests in the query's window (irate: the last two scrapes, 30s): at 95% confidence they resolve error rates only to ±5.51%, no finer than the 5% of errors result[0] >= 0.95 allows",
    );
    expect(line).toContain(
      '73 requests would resolve it: 12.2 req/s, or a window of 1m0s (rate over [1m0s] instead of irate)',
    );
    expect(stdout).toMatch(
      /\n {2}sample size at 10 req\/s \(--rps\):\n {2}ANALYSIS +METRIC +STEP +WEIGHT +WINDOW +REQUESTS +RESOLUTION \(95%\) +THRESHOLD\n {2}background +success-rate +2 +20% +irate: the last two scrapes, 30s +60 +±5\.51% +5% errors +too few: needs 73 \(12\.2 req\/s\)\n/,
    );
  });

  it('under one request in the window says so, instead of a resolution of ±333 %', async () => {
    const { stdout } = await cli([...DEMO, '--rps', '0.05']);
    expect(stdout).toContain(
      "puts 0.3 (less than one) requests in the query's window (irate: the last two scrapes, 30s): no error rate can be measured there, let alone told from the 5% of errors result[0] >= 0.95 allows. 73 requests would resolve it",
    );
    expect(stdout).toMatch(/ 0\.3 +none +5% errors +too few: needs 73/);
    expect(stdout).not.toMatch(/±\d{3,}%|±Infinity/);
  });

  it('is quiet at 20 req/s (120 requests resolve ±3.9 %), lists it in --json, and refuses a bad rate', async () => {
    const ok = await cli([...DEMO, '--rps', '20', '--json']);
    const json = JSON.parse(ok.stdout) as {
      findings: { rule: string }[];
      rollouts: {
        sampleSize: { requestsPerSecond: number; steps: { requests: number; enough: boolean }[] };
      }[];
    };
    expect(json.findings.map((f) => f.rule)).not.toContain('low-sample-size');
    expect(json.rollouts[0]!.sampleSize.requestsPerSecond).toBe(20);
    expect(json.rollouts[0]!.sampleSize.steps).toMatchObject([{ requests: 120, enough: true }]);
    const none = JSON.parse((await cli([...DEMO, '--json'])).stdout) as {
      rollouts: { sampleSize: unknown }[];
    };
    expect(none.rollouts[0]!.sampleSize).toBeNull();
    const bad = await cli([...DEMO, '--rps', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'canarysim: invalid lint --rps "lots": expected requests per second above 0 and at most 1000000, such as 10 or 0.5\n',
    );
  });

  it("takes a scenario's declared traffic: my-service's 40 req/s open traffic", async () => {
    const { stdout } = await cli([
      'lint',
      abs('scenarios/drills/my-service/manifests.yaml'),
      abs('scenarios/drills/my-service/scenario.yaml'),
    ]);
    expect(stdout).toMatch(/sample size at 40 req\/s \(the traffic "users" of .*scenario\.yaml\):/);
    expect(stdout).toMatch(/step 1 +success-rate +1 +10% +rate over \[2m0s\] +480 +±1\.95% +5% errors +ok/);
  });
});
