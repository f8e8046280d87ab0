/**
 * How much a finding matters: errors are what Argo rejects or what fails whatever the canary does;
 * warnings are traps. Either makes `lint` exit 1 unless its rule is passed to `--ignore`.
 */
export type Severity = 'error' | 'warning';

export interface RuleInfo {
  severity: Severity;
  /** One line: what the rule finds and why it matters in Argo Rollouts. */
  summary: string;
}

/**
 * Every rule `canarysim lint` reports, with its severity. Errors are things Argo rejects or that
 * make the rollout fail whatever the canary does; warnings are traps that depend on traffic or
 * timing (spec/argo-rollouts.md §5, §6; spec/landscape.md §3).
 */
export const RULES = {
  input: {
    severity: 'error',
    summary:
      'an input that cannot be read at all (no such file, YAML that does not parse, a Helm template, a kustomization that cannot be built, a bad flag): exit 2; --json lists it as a finding',
  },
  'invalid-manifest': {
    severity: 'error',
    summary:
      "a manifest a cluster would reject: an unknown field, a wrong type or value, or what Argo Rollouts' own validation refuses (quoted with its message)",
  },
  'not-simulated': {
    severity: 'warning',
    summary:
      'a kind or field a cluster accepts that canarysim does not simulate (experiments, other traffic routers, job and web providers…): a rehearsal refuses it; or an Istio metric its mesh does not record (istio_request_bytes, istio_tcp_…): a rehearsal finds no series',
  },
  'duplicate-object': {
    severity: 'error',
    summary: 'two inputs define the same kind, namespace and name: applying both, the last one wins',
  },
  'workload-not-found': {
    severity: 'error',
    summary: 'the Deployment named by workloadRef is not among the inputs (the Rollout has no pod template)',
  },
  'service-not-found': {
    severity: 'error',
    summary:
      "a canary, stable, active or preview Service, or an Ingress backend's Service, is not among the inputs",
  },
  'virtualservice-not-found': {
    severity: 'error',
    summary: 'a VirtualService named by trafficRouting.istio is not among the inputs',
  },
  'destinationrule-not-found': {
    severity: 'error',
    summary:
      "the DestinationRule named by trafficRouting.istio.destinationRule is not among the inputs (Argo looks it up in the Rollout's namespace)",
  },
  'subset-not-found': {
    severity: 'error',
    summary:
      'the DestinationRule has no subset of the canary or stable subset name: the route sends that traffic to a subset Istio does not know',
  },
  'route-not-found': {
    severity: 'error',
    summary:
      'a route named by the Rollout is not in the VirtualService (or routes are omitted and it does not have exactly one)',
  },
  'service-not-in-route': {
    severity: 'error',
    summary:
      'the canary or stable Service (or DestinationRule subset) is not a destination of a route the Rollout rewrites',
  },
  'managed-route-weighted': {
    severity: 'error',
    summary:
      'managedRoutes lists a route setWeight rewrites: Argo replaces managed routes by name and removes them all at the end, so the VirtualService loses it',
  },
  'template-not-found': {
    severity: 'error',
    summary:
      'an (Cluster)AnalysisTemplate is not among the inputs; names the other kind when clusterScope is the mistake',
  },
  'duplicate-metric': {
    severity: 'error',
    summary: 'two referenced templates have a metric of the same name: the AnalysisRun cannot be created',
  },
  'arg-conflict': {
    severity: 'error',
    summary: 'two referenced templates give the same arg different default values',
  },
  'arg-unresolved': {
    severity: 'error',
    summary: 'a template arg without a default is not supplied by the Rollout: args.<name> was not resolved',
  },
  'undeclared-arg': {
    severity: 'warning',
    summary: 'a Rollout arg no referenced template declares: Argo drops it silently (often a typo)',
  },
  'placeholder-undeclared': {
    severity: 'error',
    summary:
      'a {{args.x}} placeholder names an arg no included template declares (or is not {{args.…}}): failed to resolve',
  },
  'promql-syntax': { severity: 'error', summary: 'a query does not parse as PromQL' },
  'condition-syntax': {
    severity: 'error',
    summary: 'a successCondition or failureCondition does not parse as an expr-lang expression',
  },
  'query-type': {
    severity: 'error',
    summary: 'a query returns a string: every measurement is an Error (Prometheus metric type not supported)',
  },
  'condition-error': {
    severity: 'error',
    summary:
      "a condition cannot be evaluated on any result of its query's type (type mismatch, not a bool): every measurement is an Error",
  },
  'unguarded-index': {
    severity: 'warning',
    summary:
      'a condition fails on an empty result (typically result[0] without len(result)): Error measurements 10 s apart abort the rollout',
  },
  'nan-fails': {
    severity: 'warning',
    summary:
      'a query that can return NaN (division, histogram_quantile, scalar) with only a successCondition: NaN is a Failed measurement',
  },
  'low-sample-size': {
    severity: 'warning',
    summary:
      "at the declared traffic (--rps, or the scenario's), a step's query window holds too few requests for the threshold: at 95% confidence the binomial noise is as large as the error rate it allows",
  },
  'range-too-short': {
    severity: 'warning',
    summary:
      'a range shorter than twice the scrape interval for rate, irate, increase, delta, idelta, deriv, predict_linear (or than the interval for *_over_time, changes, resets): the window often holds too few samples and the query returns nothing',
  },
  'unknown-metric': {
    severity: 'warning',
    summary:
      "an istio_… metric name Istio's proxies do not export (istio_requests_totals): the selector matches no series",
  },
  'unknown-label': {
    severity: 'warning',
    summary:
      'a label Istio does not put on its metric (a typo of one of its 25, or another source_/destination_… name): the selector matches nothing, or a negative matcher filters nothing',
  },
  'label-value-never-set': {
    severity: 'warning',
    summary:
      'a value Istio never writes for reporter, response_code, request_protocol or connection_security_policy (reporter="sourec", response_code="5xx"): the selector matches no series',
  },
  'selector-service-not-found': {
    severity: 'warning',
    summary:
      "destination_service (the Service's host, <name>.<namespace>.svc.cluster.local) or destination_service_name matches no Service among the inputs, args substituted: the selector matches no series",
  },
  'selector-workload-not-found': {
    severity: 'warning',
    summary:
      'destination_workload matches no Rollout or Deployment among the inputs, args substituted: the selector matches no series',
  },
  'count-below-limits': {
    severity: 'error',
    summary: 'count is smaller than failureLimit + consecutiveSuccessLimit, or than inconclusiveLimit',
  },
  'unbounded-metric': {
    severity: 'error',
    summary: 'a step, pre- or post-promotion analysis has a metric that never ends (interval without count)',
  },
  'dry-run-no-match': {
    severity: 'error',
    summary: "a dryRun rule matches no metric: the run fails with Rule didn't match any metric name(s)",
  },
  'retention-no-match': {
    severity: 'error',
    summary:
      "a measurementRetention rule matches no metric: the run fails with Rule didn't match any metric name(s)",
  },
  'interval-exceeds-rollout': {
    severity: 'warning',
    summary:
      'a background metric whose interval (or initialDelay) is longer than the rollout runs after startingStep: at most one measurement, or none',
  },
  'auto-promotion-ignored': {
    severity: 'warning',
    summary:
      'autoPromotionSeconds is set but autoPromotionEnabled is not false: Argo never pauses, so it is ignored',
  },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;
