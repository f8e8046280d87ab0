import { describe, expect, it } from 'vitest';
import { RULES, type RuleId } from '../../cli/lint/index.js';
import { fixture, lint, where } from './helpers.js';

interface Expected {
  rule: RuleId;
  /** `file:line:col`, from `where` on the fixture's text. */
  at: string;
  message: RegExp;
}

interface Case {
  name: string;
  /** Fixture names (test/lint/fixtures/<name>.yaml), linted together. */
  files: string[];
  /** Exactly these findings, no others. */
  expected: () => Expected[];
}

const APP = ['app'];
const TEMPLATE = ['app', 'success-rate-template'];

/*
 * Each fixture is a realistic mistake. What is expected is what Argo Rollouts does with it
 * (spec/argo-rollouts.md), and where a user would fix it; never our own output.
 */
const cases: Case[] = [
  {
    // §5.9 / rollout/analysis.go: a missing template fails run creation.
    name: 'a typo in templateName',
    files: [...TEMPLATE, 'template-typo'],
    expected: () => [
      {
        rule: 'template-not-found',
        at: where(fixture('template-typo'), 'templateName: sucess-rate', 14),
        message:
          /AnalysisTemplate "sucess-rate" not found in namespace default among the inputs \(did you mean "success-rate"\?\)/,
      },
    ],
  },
  {
    // §5.1: a ClusterAnalysisTemplate is only found with clusterScope: true.
    name: 'a ClusterAnalysisTemplate referenced without clusterScope',
    files: [...APP, 'cluster-template', 'missing-cluster-scope'],
    expected: () => [
      {
        rule: 'template-not-found',
        at: where(fixture('missing-cluster-scope'), 'templateName: cluster-success-rate', 14),
        message:
          /AnalysisTemplate "cluster-success-rate" not found in namespace default, but a ClusterAnalysisTemplate "cluster-success-rate" is: set clusterScope: true/,
      },
    ],
  },
  {
    // §5.3: undeclared Rollout args are dropped; the required template arg is then unresolved.
    name: 'an arg typo: dropped, and the required arg unresolved',
    files: [...TEMPLATE, 'arg-typo'],
    expected: () => [
      {
        rule: 'arg-unresolved',
        at: where(fixture('arg-typo'), '- name: service_name', 8),
        message:
          /arg "service_name" is not declared by any referenced template \(declared: service-name\): Argo Rollouts drops it silently, so args\.service-name was not resolved/,
      },
    ],
  },
  {
    // §9 fact 33: a Rollout arg no template declares is ignored.
    name: 'an extra arg no template declares',
    files: [...TEMPLATE, 'undeclared-arg'],
    expected: () => [
      {
        rule: 'undeclared-arg',
        at: where(fixture('undeclared-arg'), '- name: threshold', 8),
        message:
          /arg "threshold" is not declared by any referenced template \(declared: service-name\): Argo Rollouts drops it silently/,
      },
    ],
  },
  {
    // §5.2: step templates must terminate: "… which runs indefinitely. Invalid value for count".
    name: 'a step analysis with an unbounded metric',
    files: [...APP, 'unbounded-step'],
    expected: () => [
      {
        rule: 'unbounded-metric',
        at: where(fixture('unbounded-step'), 'templateName: error-rate-forever', 14),
        message:
          /AnalysisTemplate error-rate-forever has metric error-rate which runs indefinitely\. Invalid value for count: <nil>/,
      },
    ],
  },
  {
    // §5.8: unanchored Go regexps; a rule matching no metric makes the run Error.
    name: 'dryRun and measurementRetention rules that match no metric',
    files: [...TEMPLATE, 'unmatched-rules'],
    expected: () => [
      {
        rule: 'dry-run-no-match',
        at: where(fixture('unmatched-rules'), 'metricName: latency', 12),
        message: /dryRun\[0\]: Rule didn't match any metric name\(s\)/,
      },
      // "success" matches "success-rate" (unanchored): no finding for measurementRetention[0].
      {
        rule: 'retention-no-match',
        at: where(fixture('unmatched-rules'), 'metricName: error-rate', 12),
        message: /measurementRetention\[1\]: Rule didn't match any metric name\(s\)/,
      },
    ],
  },
  {
    // §1.2, §8.1: the Services must exist, the named routes must exist and hold both Services.
    name: 'broken traffic routing',
    files: [...APP, 'broken-routing'],
    expected: () => [
      {
        rule: 'service-not-found',
        at: where(fixture('broken-routing'), 'canaryService: web-canry', 15),
        message:
          /Service "web-canry" not found in namespace default among the inputs \(did you mean "web-canary"\?\)/,
      },
      {
        rule: 'route-not-found',
        at: where(fixture('broken-routing'), '- primay', 2),
        message:
          /HTTP Route 'primay' is not found in the defined Virtual Service\. \(did you mean "primary"\?\)/,
      },
      {
        rule: 'service-not-in-route',
        at: where(fixture('broken-routing'), '- internal', 2),
        message: /Canary Service 'web-canry' not found in route/,
      },
    ],
  },
  {
    // §8.1: managed routes are replaced by name and all removed at the end (RemoveManagedRoutes).
    name: 'the weighted route listed as a managed route',
    files: [...APP, 'managed-weighted'],
    expected: () => [
      {
        rule: 'managed-route-weighted',
        at: where(fixture('managed-weighted'), '- primary', 2),
        message: /route 'primary' is both rewritten by setWeight and listed in trafficRouting\.managedRoutes/,
      },
    ],
  },
  {
    // §5.3: "Argument `x` specified multiple times with different values"; "two metrics have the same name".
    name: 'two templates with the same metric and conflicting arg defaults',
    files: [...APP, 'two-templates'],
    expected: () => [
      {
        rule: 'arg-conflict',
        at: where(fixture('two-templates'), '- name: prometheus', 2, 2),
        message:
          /Argument `prometheus` specified multiple times with different values: 'http:\/\/prometheus\.monitoring:9090', 'http:\/\/prometheus\.istio-system:9090'/,
      },
      {
        rule: 'duplicate-metric',
        at: where(fixture('two-templates'), '- name: success-rate', 8, 2),
        message: /two metrics have the same name 'success-rate'/,
      },
    ],
  },
  {
    name: 'the same object twice',
    files: [...APP, 'duplicate-service'],
    expected: () => [
      {
        rule: 'duplicate-object',
        at: where(fixture('duplicate-service'), 'name: web-canary', 6),
        message: new RegExp(`also defined, differently, at ${where(fixture('app'), 'name: web-canary', 6)}`),
      },
    ],
  },
  {
    // §6.3: result[0] on an empty vector is an evaluation error → Error measurements 10 s apart →
    // the 5th aborts. Guarded forms are fine. scalar() of an empty vector is NaN, and a
    // successCondition alone fails on NaN.
    name: 'result[0] without a guard',
    files: [...APP, 'empty-result'],
    expected: () => [
      {
        rule: 'unguarded-index',
        at: where(fixture('empty-result'), 'result[0] < 0.01', 6),
        message:
          /it cannot be evaluated: the measurement is an Error, retried every 10s, and error 5 in a row \(consecutiveErrorLimit 4\) .* Argo Rollouts 1\.9 says: Metric "unguarded" assessed Error due to consecutiveErrors \(5\) > consecutiveErrorLimit \(4\): "Error Message: reflect: slice index out of range"/,
      },
      {
        rule: 'nan-fails',
        at: where(fixture('empty-result'), 'successCondition: result < 0.01', 18),
        message: /calls scalar\(\).*a NaN measurement is Failed/,
      },
    ],
  },
  {
    // Prometheus: `unexpected identifier "destination_service" in label matching, expected "," or "}"`,
    // at the identifier; expr-lang: `unexpected token Operator("<=")` at the second operator.
    name: 'a PromQL syntax error in a block scalar and a condition syntax error',
    files: [...APP, 'bad-syntax'],
    expected: () => [
      {
        rule: 'promql-syntax',
        at: where(fixture('bad-syntax'), 'destination_service="web"'),
        message:
          /invalid PromQL: unexpected identifier "destination_service" in label matching, expected "," or "}"/,
      },
      {
        rule: 'condition-syntax',
        at: where(fixture('bad-syntax'), '<= <=', 3),
        message: /invalid condition: unexpected token Operator\("<="\)/,
      },
    ],
  },
  {
    // §6.3: "Type mismatch (e.g. result > 1 when result is an array) → evaluation error → Error".
    name: 'a vector compared with a number',
    files: [...APP, 'condition-type'],
    expected: () => [
      {
        rule: 'condition-error',
        at: where(fixture('condition-type'), 'result < 0.05', 7),
        message:
          /every measurement would be an Error \(the query returns a vector, \[\]float64\) — Argo Rollouts 1\.9 says: invalid operation: < \(mismatched types \[\]float64 and float64\)$/,
      },
    ],
  },
  {
    // §6.3: NaN with success only → Failed; with a failure condition too → Inconclusive; isNaN accepts it.
    name: 'a ratio that can be NaN with only a successCondition',
    files: [...APP, 'nan'],
    expected: () => [
      {
        rule: 'nan-fails',
        at: where(fixture('nan'), 'successCondition: len(result) == 0 || result[0] >= 0.95', 18),
        message:
          /the query divides \(at 17:\d+\), so it returns NaN when both sides are 0.*a NaN measurement is Failed \(failureLimit 0: failure 1 aborts the rollout\)/,
      },
    ],
  },
  {
    // Two overlays sharing a base bring the same object twice: applying it twice changes nothing.
    name: 'the same object twice, identical',
    files: [...APP, 'app'],
    expected: () => [],
  },
  {
    // §5.2: count ≥ failureLimit + consecutiveSuccessLimit.
    name: 'count smaller than failureLimit + consecutiveSuccessLimit',
    files: [...APP, 'count-limits'],
    expected: () => [
      {
        rule: 'count-below-limits',
        at: where(fixture('count-limits'), 'count: 3', 7),
        message: /count \(3\) must be >= failureLimit \+ consecutiveSuccessLimit \(2 \+ 2\)/,
      },
    ],
  },
  {
    // §5.3: an unknown {{args.x}} → "failed to resolve {{args.x}}".
    name: 'a placeholder naming an undeclared arg',
    files: [...APP, 'placeholder-typo'],
    expected: () => [
      {
        rule: 'placeholder-undeclared',
        at: where(fixture('placeholder-typo'), '{{args.servce-name}}'),
        message:
          /failed to resolve \{\{args\.servce-name\}\}: arg "servce-name" is not declared in spec\.args \(declared: service-name\) \(did you mean "service-name"\?\)/,
      },
    ],
  },
  {
    // §5.7: the first measurement at run start, the next after `interval`; the run is terminated
    // at promotion. The rollout takes 4 s (one pod) + 60 s + 0 s + 60 s = 2m4s.
    name: 'a background interval of 10m on a 2-minute rollout',
    files: [...APP, 'background-interval'],
    expected: () => [
      {
        rule: 'interval-exceeds-rollout',
        at: where(fixture('background-interval'), 'interval: 10m', 10),
        message:
          /metric "error-rate" takes 1 measurement, at 0s, before the rollout completes: .* completes 2m4s later.*less than the interval \(10m0s\)/,
      },
      {
        rule: 'interval-exceeds-rollout',
        at: where(fixture('background-interval'), 'initialDelay: 5m', 14),
        message: /metric "late-error-rate" takes no measurement before the rollout completes/,
      },
    ],
  },
  {
    // rollout/pause.go CompletedBlueGreenPause: with auto-promotion off only `promote` ends the pause.
    name: 'autoPromotionSeconds with auto-promotion disabled',
    files: [...APP, 'bluegreen-auto'],
    expected: () => [
      {
        rule: 'auto-promotion-ignored',
        at: where(fixture('bluegreen-auto'), 'autoPromotionSeconds: 300', 22),
        message:
          /autoPromotionSeconds \(300\) is ignored while autoPromotionEnabled is false: the rollout pauses until `promote`/,
      },
    ],
  },
  {
    // Argo's own `lint` does not check templates (argo-rollouts#1187). On its own a template's
    // required args have no value: the query is still parsed, and the error placed in the file
    // past the placeholder; a query that only an arg's value can complete is not reported.
    name: 'a template on its own, with required args',
    files: ['required-args'],
    expected: () => [
      {
        rule: 'promql-syntax',
        at: where(fixture('required-args'), '[5m)) /', 3),
        message: /invalid PromQL: unexpected "\)" in subquery or range, expected ":" or "\]"/,
      },
    ],
  },
  {
    // §5.3: a Rollout arg with valueFrom counts as supplied (resolved when the run is created).
    name: 'an arg taken valueFrom the pod-template hash',
    files: [...APP, 'value-from'],
    expected: () => [],
  },
  {
    name: 'a well-formed blue-green rollout',
    files: [...APP, 'bluegreen'],
    expected: () => [],
  },
  {
    // promql-semantics §2, §4, §5: a window (t − r, t] over samples 30s apart holds ⌊r/30s⌋ or
    // ⌈r/30s⌉ of them; rate and irate need two, an _over_time function one.
    name: 'ranges too short for a 30s scrape',
    files: ['short-range'],
    expected: () => [
      {
        rule: 'range-too-short',
        at: where(fixture('short-range'), '}[30s]', 1),
        message:
          /the range \[30s\] holds at most one sample of a series when Prometheus scrapes every 30s \(canarysim's default\): rate\(\) needs two samples, so it returns nothing for that series at every measurement .* Use at least 1m0s \(2m0s, 4× the scrape interval/,
      },
      {
        rule: 'range-too-short',
        at: where(fixture('short-range'), '}[45s]', 1),
        message:
          /the range \[45s\] holds two samples of a series at only 50% of the measurements .*irate\(\) needs two samples/,
      },
      {
        rule: 'range-too-short',
        at: where(fixture('short-range'), '}[15s]', 1),
        message:
          /the range \[15s\] holds a sample of a series at only 50% of the measurements .*avg_over_time\(\) needs a sample.* Use at least 30s$/,
      },
    ],
  },
  {
    // seed-demo §5.1–§5.3: Istio's metric names, its 25 labels and the values it writes.
    name: "selectors of Istio's metrics that match no series",
    files: ['selector-typos'],
    expected: () => [
      {
        rule: 'unknown-metric',
        at: where(fixture('selector-typos'), 'istio_requests_totals'),
        message:
          /Istio's proxies export no metric istio_requests_totals .*\(did you mean "istio_requests_total"\?\)$/,
      },
      {
        rule: 'label-value-never-set',
        at: where(fixture('selector-typos'), '"sourec"'),
        message:
          /Istio never writes reporter="sourec" on istio_requests_total \(reporter is source, destination, waypoint\): the selector matches no series .*\(did you mean "source"\?\)$/,
      },
      {
        rule: 'unknown-label',
        at: where(fixture('selector-typos'), 'destination_servce'),
        message:
          /Istio puts no label destination_servce on istio_requests_total \(did you mean "destination_service"\?\): destination_servce="web-canary\.default\.svc\.cluster\.local" matches no series/,
      },
      {
        rule: 'label-value-never-set',
        at: where(fixture('selector-typos'), '"5xx"}'),
        message:
          /Istio never writes response_code="5xx" on istio_requests_total \(response_code is the status code alone/,
      },
      {
        rule: 'unknown-label',
        at: where(fixture('selector-typos'), 'response_cod!~'),
        message:
          /no label response_cod .*every series lacks it, so response_cod!~"5\.\*" filters nothing out/,
      },
      {
        rule: 'not-simulated',
        at: where(fixture('selector-typos'), 'istio_request_bytes_bucket'),
        message: /istio_request_bytes_bucket is an Istio metric canarysim does not record/,
      },
    ],
  },
  {
    // seed-demo §5.2: destination_service is the Service's host, destination_workload the
    // workload (the Rollout, or its ReplicaSet with older Istio); args are substituted first.
    name: 'selectors naming Services and workloads the inputs do not create',
    files: [...APP, 'selector-targets'],
    expected: () => [
      {
        rule: 'selector-service-not-found',
        at: where(fixture('selector-targets'), '"shop-canary.default'),
        message:
          /destination_service="shop-canary\.default\.svc\.cluster\.local" matches no Service among the inputs \(hosts web-canary\.default\.svc\.cluster\.local, web-stable\.default\.svc\.cluster\.local\)/,
      },
      {
        rule: 'selector-service-not-found',
        at: where(fixture('selector-targets'), '"web-canary"}'),
        message:
          /destination_service="web-canary" is a Service's short name, but Istio's destination_service is its host .* or destination_service_name="web-canary"$/,
      },
      {
        rule: 'selector-workload-not-found',
        at: where(fixture('selector-targets'), '"web-canary"}', 0, 2),
        message:
          /destination_workload="web-canary" matches no Rollout or Deployment among the inputs \(web\).*, not a Service/,
      },
      {
        rule: 'selector-service-not-found',
        at: where(fixture('selector-targets'), '"web-canry"'),
        message:
          /destination_service_name="web-canry" matches no Service among the inputs .*\(did you mean "web-canary"\?\)$/,
      },
    ],
  },
];

describe('lint findings: each mistake at the place to fix it', () => {
  it.each(cases)('$name', (c) => {
    const result = lint(c.files.map(fixture));
    const expected = c.expected();
    const got = result.findings.map((f) => `${f.pos.file}:${f.pos.line}:${f.pos.col} ${f.rule}`);
    expect(got).toEqual(expected.map((e) => `${e.at} ${e.rule}`));
    expected.forEach((e, i) => {
      const f = result.findings[i]!;
      expect(f.message).toMatch(e.message);
      expect(f.severity).toBe(RULES[e.rule].severity);
    });
  });

  it('every rule has a severity and a summary, and every fixture case names a known rule', () => {
    for (const [id, r] of Object.entries(RULES)) {
      expect(['error', 'warning'], id).toContain(r.severity);
      expect(r.summary.length, id).toBeGreaterThan(20);
    }
    for (const c of cases) for (const e of c.expected()) expect(Object.keys(RULES)).toContain(e.rule);
  });
});
