import { describe, expect, it } from 'vitest';
import type { RolloutTimeline } from '../../cli/lint/index.js';
import { BLOG_TEMPLATE, fixture, lint, overlay, where } from './helpers.js';

/** [start, end] of each row in seconds. */
const spans = (tl: RolloutTimeline) => tl.rows.map((r) => [r.startMs / 1000, r.endMs / 1000]);

/*
 * Every number below is worked out by hand from spec/argo-rollouts.md and sim/cluster's default
 * pod timings (image pull 3 s, 0.6 s once cached; first readiness probe 1 s; istio-proxy 1.5 s):
 * a new pod is ready after 3 + max(1, 1.5) = 4.5 s with a sidecar (4 s without), and after
 * 0.6 + 1.5 = 2.1 s (1.6 s) once the image is on the node.
 */
describe("the demo's timelines", () => {
  it('istio-prometheus: 4 × 300 s pauses, one canary pod per setWeight, background analysis from step 2', () => {
    const result = lint([BLOG_TEMPLATE], [overlay('istio-prometheus')]);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const [tl] = result.timelines;
    expect(result.timelines).toHaveLength(1);
    // Traffic routing, n = 5: canary = ceil(w·5/100) = 1, 2, 3, 4 pods at 20/40/60/80 % (§2.4),
    // so every setWeight adds one pod: 4.5 s the first time, 2.1 s after. Pauses start once the
    // weight is set and last 300 s (§3.1). Past the last step the canary goes to 5 pods (§3.4).
    expect(spans(tl!)).toEqual([
      [0, 4.5], // setWeight 20
      [4.5, 304.5], // pause 300
      [304.5, 306.6], // setWeight 40
      [306.6, 606.6],
      [606.6, 608.7], // setWeight 60
      [608.7, 908.7],
      [908.7, 910.8], // setWeight 80
      [910.8, 1210.8],
      [1210.8, 1212.9], // promotion: the 5th pod
    ]);
    expect(tl!.rows.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, undefined]);
    expect(tl!.totalMs).toBe(1_212_900);
    // startingStep 2: the run is created when the index reaches 2 (§5.9), at 304.5 s. No interval
    // and no count: effective count 1 (§5.2), taken at once; failureLimit 0: that one measurement
    // failing aborts (§9 fact 23); five Errors 10 s apart abort 40 s later (§5.7).
    expect(tl!.metrics).toHaveLength(1);
    const m = tl!.metrics[0]!;
    expect(m).toMatchObject({
      analysis: 'background',
      template: 'success-rate',
      metric: 'success-rate',
      runStartMs: 304_500,
      measurements: 1,
      abortOnFailureMs: 304_500,
      abortOnErrorsMs: 344_500,
    });
    expect(tl!.earliestAbort?.atMs).toBe(304_500);
    // The run is Successful after its one measurement and not recreated (§5.9): only step 2 is measured.
    expect(tl!.uncoveredSteps).toEqual([0, 1, 3, 4, 5, 6, 7]);
  });

  it("the demo's manifests lint clean: no errors, two warnings on the template's successCondition", () => {
    for (const o of ['istio-prometheus', 'istio', 'simple']) {
      const result = lint([BLOG_TEMPLATE], [overlay(o)]);
      // result[0] >= 0.95 on an empty vector is an Error (§6.3; the README's live-mode story), and
      // the ratio can be 0/0 = NaN, which a lone successCondition fails (§6.3).
      expect(
        result.findings.map((f) => `${f.pos.file}:${f.pos.line}:${f.pos.col} ${f.severity} ${f.rule}`),
        o,
      ).toEqual([
        `${where(BLOG_TEMPLATE, 'successCondition: result[0] >= 0.95', 18)} warning nan-fails`,
        `${where(BLOG_TEMPLATE, 'result[0] >= 0.95', 6)} warning unguarded-index`,
      ]);
    }
  });

  it('istio: the first pause waits for promote and counts as 0 s; 3 × 10 s pauses', () => {
    const [tl] = lint([], [overlay('istio')]).timelines;
    expect(spans(tl!)).toEqual([
      [0, 4.5],
      [4.5, 4.5], // pause: {} — until promote
      [4.5, 6.6],
      [6.6, 16.6],
      [16.6, 18.7],
      [18.7, 28.7],
      [28.7, 30.8],
      [30.8, 40.8],
      [40.8, 42.9],
    ]);
    expect(tl!.rows[1]!.manual).toBe(true);
    expect(tl!.metrics).toEqual([]);
    expect(tl!.uncoveredSteps).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('simple: basic canary, n = 5, maxSurge/maxUnavailable 25 % → one pod per step', () => {
    const [tl] = lint([], [overlay('simple')]).timelines;
    // §2.3: n = 5 with the defaults (surge 2, unavailable 1): 20 %→1/4, 40 %→2/3, 60 %→3/2,
    // 80 %→4/1, 100 %→5/0, each step one more canary pod (and one stable pod less). No sidecar
    // is assumed without Istio routing: 4 s, then 1.6 s.
    expect(spans(tl!)).toEqual([
      [0, 4],
      [4, 4],
      [4, 5.6],
      [5.6, 15.6],
      [15.6, 17.2],
      [17.2, 27.2],
      [27.2, 28.8],
      [28.8, 38.8],
      [38.8, 40.4],
    ]);
  });
});

describe('fixture timelines', () => {
  it('background interval 10m on a 2-minute basic canary: one measurement, at the start', () => {
    const [tl] = lint([fixture('background-interval')]).timelines;
    // n = 1, default surge: 20 % → 1 canary + 1 stable (§9 fact 3), 4 s; 50 % is the same split;
    // 100 % only scales the stable down. 4 + 60 + 0 + 60 + 0 = 124 s.
    expect(spans(tl!)).toEqual([
      [0, 4],
      [4, 64],
      [64, 64],
      [64, 124],
      [124, 124],
    ]);
    const [every10m, delayed] = tl!.metrics;
    expect(every10m).toMatchObject({
      runStartMs: 0,
      measurements: 1,
      abortOnFailureMs: 0,
      abortOnErrorsMs: 40_000,
    });
    // initialDelay 5m > 124 s: no measurement, so no abort is possible.
    expect(delayed).toMatchObject({
      measurements: 0,
      abortOnFailureMs: undefined,
      abortOnErrorsMs: undefined,
    });
    expect(tl!.uncoveredSteps).toEqual([1, 2, 3]);
  });

  it('blue-green: preview up → pre-promotion → pause / auto-promotion → scale up → switch → post-promotion', () => {
    const [tl] = lint([fixture('bluegreen')]).timelines;
    // Preview of 1 pod: 4 s. Pre-promotion (initialDelay 10 s, 3 × 30 s): 4 + 10 + 2·30 = 74 s.
    // autoPromotionSeconds 60 (auto-promotion on): the pause begins when the preview is ready and
    // ends at 4 + 60 = 64 s (§1.5); the switch waits for both (74 s), after scaling to 3 pods
    // (cached image: 1.6 s). Post-promotion 2 × 1 m: 60 s.
    expect(tl!.strategy).toBe('blueGreen');
    expect(tl!.rows.map((r) => [r.label.split(':')[0], r.startMs / 1000, r.endMs / 1000])).toEqual([
      ['preview up', 0, 4],
      ['pre-promotion analysis', 4, 74],
      ['pause', 4, 64],
      ['scale to 3 pods', 74, 75.6],
      ['switch', 75.6, 75.6],
      ['post-promotion analysis', 75.6, 135.6],
      ['complete', 135.6, 135.6],
      ['old ReplicaSet scaled down (scaleDownDelaySeconds 30)', 165.6, 165.6],
    ]);
    expect(tl!.totalMs).toBe(135_600);
    const [smoke, soak] = tl!.metrics;
    // First measurement after initialDelay: 14 s; failureLimit 0 → it can abort then.
    expect(smoke).toMatchObject({
      runStartMs: 4000,
      measurements: 3,
      abortOnFailureMs: 14_000,
      abortOnErrorsMs: 54_000,
    });
    // failureLimit 1: the 2nd failure, one interval after the first measurement.
    expect(soak).toMatchObject({
      runStartMs: 75_600,
      measurements: 2,
      abortOnFailureMs: 135_600,
      abortOnErrorsMs: 115_600,
    });
  });

  it('a step analysis with a metric that never ends never completes', () => {
    const [tl] = lint([fixture('app'), fixture('unbounded-step')]).timelines;
    expect(tl!.rows[1]).toMatchObject({ step: 1, label: 'analysis', startMs: 4500, endMs: Infinity });
    expect(tl!.totalMs).toBe(Infinity);
  });
});
