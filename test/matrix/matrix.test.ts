import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagOf } from '../../cli/matrix/runMatrix.js';
import { abs, BLOG_TEMPLATE, cli, overlay } from '../lint/helpers.js';

const BLOG = [
  abs(BLOG_TEMPLATE),
  abs('scenarios/blog/scenario.yaml'),
  '-k',
  abs(overlay('istio-prometheus')),
];
const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-matrix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface JsonRow {
  id: string;
  reached: boolean;
  metrics: {
    metric: string;
    measurements: string;
    values: string[];
    phase: string;
    runPhase: string;
    reason: string | null;
  }[];
  next: { action: string; at: number; message: string };
  flag: string | null;
  accepted: boolean;
}

describe("canarysim matrix on the blog's success-rate template", () => {
  let run: { code: number; stdout: string; stderr: string };
  let rows: Map<string, JsonRow>;
  beforeAll(async () => {
    run = await cli([
      'matrix',
      ...BLOG,
      '--accept',
      'nan',
      '--json',
      path.join(dir, 'm.json'),
      '--markdown',
      path.join(dir, 'm.md'),
    ]);
    const json = JSON.parse(readFileSync(path.join(dir, 'm.json'), 'utf8')) as {
      rows: JsonRow[];
      failed: number;
    };
    rows = new Map(json.rows.map((r) => [r.id, r]));
  }, 120_000);

  // The template: one measurement (no interval or count) of
  //   sum(irate(non-5xx to the canary [5m])) / sum(irate(all to the canary [5m]))
  // with successCondition result[0] >= 0.95, failureLimit 0, consecutiveErrorLimit 4 (defaults),
  // as a background analysis from step 2 (setWeight 40, at 5m4.4s after the update, once the
  // canary's pods are up); Argo Rollouts 1.7 (the scenario's). Load: 10 req/s through the gateway.
  it('golden: each row as Argo decides it', () => {
    expect(run.stderr).toBe('');
    const at = (id: string) => rows.get(id)!;
    // A healthy canary: [1] >= 0.95 → Successful; count 1 reached → run Successful; the rollout
    // goes on through its 300 s pauses and is promoted (Healthy) ~20m41s after the update.
    expect(at('healthy')).toMatchObject({
      metrics: [{ measurements: 'Successful', values: ['[1]'], phase: 'Successful', runPhase: 'Successful' }],
      next: { action: 'promote', at: 1241.166 },
      flag: null,
    });
    // No traffic: no series for the canary → an empty vector; result[0] cannot be evaluated →
    // Error (v1.7: "reflect: slice index out of range"), retried every 10 s; the 5th in a row
    // exceeds consecutiveErrorLimit 4 → metric and run Error → abort 40 s after the first: a
    // healthy version aborted because the night is quiet — flagged.
    for (const id of ['no-traffic', 'empty-vector'])
      expect(at(id)).toMatchObject({
        reached: true,
        metrics: [
          {
            measurements: 'Error×5',
            values: ['[]'],
            phase: 'Error',
            runPhase: 'Error',
            reason: 'consecutiveErrors (5) > consecutiveErrorLimit (4)',
          },
        ],
        next: { action: 'abort', at: 344.439 },
        flag: 'healthy quiet traffic aborts',
      });
    expect(at('no-traffic').next.message).toContain('"Error Message: reflect: slice index out of range"');
    // NaN: the canary served, then the load stopped: irate over two equal samples is 0, 0/0 is
    // NaN, NaN >= 0.95 is false → Failed; failed 1 > failureLimit 0 → run Failed → abort at the
    // first measurement. Flagged, and accepted here (--accept nan).
    expect(at('nan')).toMatchObject({
      reached: true,
      metrics: [
        {
          measurements: 'Failed',
          values: ['[NaN]'],
          phase: 'Failed',
          reason: 'failed (1) > failureLimit (0)',
        },
      ],
      next: { action: 'abort', at: 304.439 },
      flag: 'healthy quiet traffic aborts',
      accepted: true,
    });
    // A counter reset just before the measurement: irate sees the drop and takes the last sample
    // as the increase; both sides reset alike, the ratio stays 1 → promoted as the healthy row.
    expect(at('counter-reset')).toMatchObject({
      metrics: [{ measurements: 'Successful', values: ['[1]'] }],
      next: { action: 'promote', at: 1241.166 },
      flag: null,
    });
    // Only 500s: the non-5xx side has no canary series, sum() of nothing is empty, so is the
    // division: Error ×5 → abort after 40 s — the right outcome, by way of Error, not Failed.
    expect(at('only-errors')).toMatchObject({
      metrics: [{ measurements: 'Error×5', values: ['[]'], phase: 'Error' }],
      next: { action: 'abort', at: 344.439 },
      flag: null,
    });
    // +Inf: a ratio whose dividend is part of its divisor cannot be +Inf; slow answers are all 200:
    // [1], promoted. Not reached, said so, and not a trap of this template.
    expect(at('inf')).toMatchObject({
      reached: false,
      metrics: [{ values: ['[1]'] }],
      next: { action: 'promote' },
    });
    // Prometheus down: connection refused at once → Error ×5, 10 s apart → abort after 40 s.
    expect(at('prometheus-unreachable')).toMatchObject({
      reached: true,
      metrics: [{ measurements: 'Error×5', values: ['-'], phase: 'Error' }],
      next: { action: 'abort', at: 344.439 },
      flag: null,
    });
    // Prometheus slow: each query gives up after the provider's 30 s, the next 10 s later:
    // 5 × 30 s + 4 × 10 s = 190 s after the first → abort at 5m4.4s + 3m10s.
    expect(at('prometheus-slow')).toMatchObject({
      reached: true,
      metrics: [{ measurements: 'Error×5', phase: 'Error' }],
      next: { action: 'abort', at: 494.439 },
      flag: null,
    });
    expect(at('prometheus-slow').next.message).toContain('context deadline exceeded');
  });

  it('prints the table and the flagged rows; exit 1 while a flagged row is not accepted', () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /\nno-traffic +no traffic at all +success-rate: Error×5 +\[\] +Error +Error +abort at \+5m44\.439s +✖ healthy quiet traffic aborts\n/,
    );
    expect(run.stdout).toMatch(
      /\nnan +NaN \(0\/0\) .* +abort at \+5m4\.439s +accepted: healthy quiet traffic aborts\n/,
    );
    expect(run.stdout).toMatch(/\ninf +\+Inf .* +\[1\] \(no \+Inf\) +Successful/);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(
      '3 rows flagged (no-traffic, empty-vector), 1 accepted: --accept ROW records a decided trade-off',
    );
    const md = readFileSync(path.join(dir, 'm.md'), 'utf8');
    expect(md).toContain(
      '| no-traffic | no traffic at all | `success-rate: Error×5` | `[]` | Error | Error | abort at +5m44.439s | ✖ healthy quiet traffic aborts |',
    );
  });
});

describe('canarysim matrix: refusals and bad input (exit 2, one line)', () => {
  const shared = (p: string) => path.join('..', 'shared', 'argo-examples', p);
  it('refuses a template whose provider canarysim does not model, naming the field at its line:col', async () => {
    const r = await cli(['matrix', abs(shared('traffic-management/job.yaml'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /job\.yaml:13:9: matrix: AnalysisTemplate "load-test": spec\.metrics\[0\]\.provider\.job: not supported by canarysim: the job metric provider/,
    );
    const mesh = await cli(['matrix', abs(shared('appmesh/canary-rollout.yaml'))]);
    expect(mesh.code).toBe(2);
    expect(mesh.stderr).toMatch(
      /canary-rollout\.yaml:49:9: matrix: .*trafficRouting\.appMesh: not supported by canarysim/,
    );
  });

  it('a template alone runs in the stand-in Rollout once its args are given; bad flags', async () => {
    const alone = await cli(['matrix', abs(BLOG_TEMPLATE)]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe(
      'canarysim: matrix: no Rollout among the inputs, so the templates run in a stand-in Rollout "matrix-app" (namespace default; canary Service matrix-app-canary.default.svc.cluster.local): pass a value for arg "service-name" with --arg service-name=VALUE, or pass the Rollout\'s manifests\n',
    );
    const standIn = await cli([
      'matrix',
      abs(BLOG_TEMPLATE),
      '--arg',
      'service-name=matrix-app-canary.default.svc.cluster.local',
    ]);
    expect(standIn.code).toBe(1);
    expect(standIn.stdout).toMatch(/^Rollout "matrix-app" \(namespace default\): 9 situations/);
    expect(standIn.stdout).toMatch(
      /\nhealthy +traffic, no 5xx series yet +success-rate: Successful +\[1\] .* promote at /,
    );
    expect(standIn.stdout).toMatch(/\nno-traffic +.* abort at .* ✖ healthy quiet traffic aborts\n/);
    const withRollout = await cli(['matrix', ...BLOG, '--arg', 'x=1']);
    expect(withRollout.code).toBe(2);
    expect(withRollout.stderr).toMatch(
      /invalid --arg: the Rollout among the inputs gives its templates their args/,
    );
    const malformed = await cli(['matrix', abs(BLOG_TEMPLATE), '--arg', 'service-name']);
    expect(malformed.stderr).toBe(
      'canarysim: invalid --arg "service-name": expected NAME=VALUE, such as service-name=checkout\n',
    );
    const accept = await cli(['matrix', ...BLOG, '--accept', 'nann']);
    expect(accept.code).toBe(2);
    expect(accept.stderr).toBe(
      'canarysim: invalid --accept "nann": expected a row: healthy, no-traffic, empty-vector, nan, counter-reset, only-errors, inf, prometheus-unreachable, prometheus-slow\n',
    );
    const rps = await cli(['matrix', ...BLOG, '--rps', '0']);
    expect(rps.code).toBe(2);
    expect(rps.stderr).toMatch(/invalid --rps "0": expected requests per second above 0/);
    const none = await cli(['matrix']);
    expect(none.stderr).toBe('canarysim: matrix: expected manifest files and/or -k <kustomization dir>\n');
  });
});

describe('flags: which outcome is a trap for which situation', () => {
  const next = (action: 'promote' | 'abort' | 'pause' | 'none') => ({
    action,
    atMs: 0,
    phase: '',
    message: '',
  });
  it('a healthy or quiet version aborted; a quiet or outage row promoted; nothing else', () => {
    expect(flagOf('healthy', next('abort'))).toBe('a healthy version is aborted');
    expect(flagOf('quiet', next('abort'))).toBe('healthy quiet traffic aborts');
    expect(flagOf('quiet', next('promote'))).toBe('an absence of data promotes');
    expect(flagOf('outage', next('promote'))).toBe('a Prometheus outage promotes');
    expect(flagOf('quiet', next('pause'))).toBeNull();
    expect(flagOf('outage', next('abort'))).toBeNull();
    expect(flagOf('bad', next('abort'))).toBeNull();
    expect(flagOf('healthy', next('promote'))).toBeNull();
  });
});
