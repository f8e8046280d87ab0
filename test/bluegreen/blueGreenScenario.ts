import { HEADER, runInline } from '../helpers/inlineScenario.js';
import type { ScenarioRun } from '../helpers/runScenarioFile.js';

// Blue-green rollouts played as inline scenarios: a kustomization `bg/` with an active and a
// preview Service and a Rollout whose strategy.blueGreen each test writes, plus an
// AnalysisTemplate `probe` whose metric each test writes.

export const R = 'rollouts["silly-demo"]';
export const ACTIVE = 'silly-demo-active';
export const PREVIEW = 'silly-demo-preview';

export const failed = (run: ScenarioRun) => run.result.expectations.filter((e) => !e.passed);
export const events = (run: ScenarioRun, reason: string) =>
  run.report.events.filter((e) => e.reason === reason);
/** Simulated seconds of the first event with this reason whose message matches. */
export const at = (run: ScenarioRun, reason: string, message: RegExp | string) => {
  const e = events(run, reason).find((x) =>
    typeof message === 'string' ? x.message === message : message.test(x.message),
  );
  if (!e) throw new Error(`no ${reason} event matching ${String(message)}`);
  return e.t;
};
/** Simulated seconds at which the rollout's i-th AnalysisRun (oldest first) started. */
export const runStart = (run: ScenarioRun, i: number) => {
  const r = run.report.rollouts['silly-demo']!.analysisRuns[i]!;
  return (Date.parse(r.startedAt!) - Date.parse(run.report.startTime)) / 1000;
};
/** The pod-template hash a Service's managed selector points at now. */
export const selector = (run: ScenarioRun, svc: string) =>
  run.result.world.cluster.getService('a-team', svc)?.managedSelector['rollouts-pod-template-hash'];
/** ReplicaSets of the rollout by revision: name, hash, spec replicas, annotations. */
export const replicaSets = (run: ScenarioRun) =>
  run.result.world.cluster
    .listReplicaSets('a-team', 'silly-demo')
    .map((rs) => ({
      revision: Number(rs.meta.annotations['rollout.argoproj.io/revision']),
      name: rs.meta.name,
      hash: rs.podTemplateHash,
      replicas: rs.replicas,
      deadline: rs.meta.annotations['scale-down-deadline'],
    }))
    .sort((a, b) => a.revision - b.revision);

const SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: ${ACTIVE}
spec:
  selector:
    app: silly-demo
  ports:
    - {name: http, port: 8080, targetPort: 8080, protocol: TCP}
---
apiVersion: v1
kind: Service
metadata:
  name: ${PREVIEW}
spec:
  selector:
    app: silly-demo
  ports:
    - {name: http, port: 8080, targetPort: 8080, protocol: TCP}
`;

/** A Rollout named silly-demo with an inline template (silly-demo 1.4.126) and this blueGreen block. */
export function bgRollout(blueGreen: string, opts: { replicas?: number; spec?: string } = {}): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: silly-demo
spec:
  replicas: ${opts.replicas ?? 3}
${opts.spec ?? ''}
  selector:
    matchLabels:
      app: silly-demo
  template:
    metadata:
      labels:
        app: silly-demo
    spec:
      containers:
        - name: silly-demo
          image: ghcr.io/vfarcic/silly-demo:1.4.126
          readinessProbe:
            httpGet: {path: /, port: 8080}
  strategy:
    blueGreen:
      activeService: ${ACTIVE}
      previewService: ${PREVIEW}
${blueGreen}
`;
}

/** An AnalysisTemplate `probe` with one metric (indented as under `metrics:`). */
export function probeTemplate(metric: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: probe
spec:
  metrics:
${metric}
`;
}

/** A metric measured once on the embedded Prometheus: `vector(value)` judged `== 1` (NaN: Inconclusive). */
export function metric(name: string, query: string, extra = ''): string {
  return `    - name: ${name}
      successCondition: result[0] == 1
      failureCondition: result[0] < 1
${extra}      provider:
        prometheus:
          address: http://kube-prometheus-stack-prometheus.monitoring:9090
          query: ${query}`;
}

/** `set image` through the kustomization, then apply: the next revision. */
export const update = (tag: string) => `
  - setImage: {kustomization: bg, image: 'ghcr.io/vfarcic/silly-demo=ghcr.io/vfarcic/silly-demo:${tag}'}
  - apply: {kustomize: bg}`;

/**
 * Plays: apply the template (if any) and the kustomization, wait until Healthy, then `timeline`
 * (entries indented by two spaces, as under `timeline:`), then `expect` lines.
 */
export function playBlueGreen(
  rollout: string,
  timeline: string,
  opts: { template?: string; argo?: string; expect?: string[]; extraFiles?: Record<string, string> } = {},
): Promise<ScenarioRun> {
  const expect = opts.expect?.length ? `expect:\n${opts.expect.map((e) => `  - '${e}'`).join('\n')}\n` : '';
  return runInline(
    `${HEADER}${opts.argo ? `argoRollouts: "${opts.argo}"\n` : ''}
timeline:
${opts.template ? '  - apply: {file: probe.yaml}\n' : ''}  - apply: {kustomize: bg}
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}
${timeline}
${expect}`,
    {
      'bg/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - services.yaml
  - rollout.yaml
`,
      'bg/services.yaml': SERVICES,
      'bg/rollout.yaml': rollout,
      ...(opts.template ? { 'probe.yaml': opts.template } : {}),
      ...(opts.extraFiles ?? {}),
    },
  );
}
