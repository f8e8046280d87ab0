import { parse as parseYaml, stringify } from 'yaml';
import { imageMatches, parseImagePattern } from '../../sim/apps/index.js';
import { InputError } from '../../sim/errors.js';
import type { DeploymentSpec, ManifestObject, VirtualServiceSpec } from '../../sim/manifests/index.js';
import { placeholders, substituteArgs } from '../../sim/manifests/index.js';
import type { RolloutSpec } from '../../sim/rollout/index.js';
import { formatPos, type LintInputs, type LintResult } from '../lint/index.js';
import type { RolloutTimeline } from '../lint/timeline.js';
import { parseScenario } from '../scenario/parseScenario.js';

/** Simulated time a row may take past the rollout's static duration before it is called undecided. */
export const MATRIX_SLACK_MS = 30 * 60_000;
/** Simulated time one row may take at most (a rollout whose steps never end without a promote). */
export const MAX_ROW_MS = 24 * 3600_000;

/** What every row of the matrix rehearses: one Rollout, its manifests and the settings it runs under. */
export interface MatrixTarget {
  rollout: string;
  namespace: string;
  container: string;
  image: string;
  /** The image the rows update to: the same repository, tag `<tag>-canary`. */
  canaryImage: string;
  /** The load's target and, for a mesh-internal host, the client workload it starts in. */
  url: string;
  from?: { workload: string; namespace: string };
  /** Every input object as one multi-document YAML (applied once per row). */
  manifests: string;
  /** The scenario settings the rows play under (a scenario among the inputs, else canarysim's defaults). */
  header: Record<string, unknown>;
  scrapeIntervalMs: number;
  timeline: RolloutTimeline;
  /** When the first analysis measurement is due, ms after the update. */
  firstMeasurementMs: number;
  /** How long a row plays after the update before its outcome is read. */
  budgetMs: number;
}

const HEADER_KEYS = [
  'seed',
  'argoRollouts',
  'startTime',
  'namespace',
  'cluster',
  'prometheus',
  'traffic',
  'env',
  'apps',
  'pods',
] as const;

const where = (o: ManifestObject) => formatPos(o.node.pos());
const isTemplate = (o: ManifestObject) =>
  o.kind === 'AnalysisTemplate' || o.kind === 'ClusterAnalysisTemplate';

/**
 * The scenario's app models with one for the canary's image first: a copy of the model the
 * stable image runs under (so the new version behaves as the old one until a row says
 * otherwise), or a bare one that makes the tag exist as the image's built-in app.
 */
function canaryModel(apps: unknown, image: string, canaryImage: string): unknown[] {
  const list = Array.isArray(apps) ? (apps as Record<string, unknown>[]) : [];
  const stable = list.find(
    (m) => typeof m['image'] === 'string' && imageMatches(parseImagePattern(m['image']), image),
  );
  return [{ ...(stable ?? {}), image: canaryImage }, ...list];
}

/**
 * Refuses inputs a rehearsal cannot play: what canarysim does not simulate first (it names the
 * provider or router to change), then any error lint finds, at its file:line:col.
 */
export function refuseUnplayable(lint: LintResult): void {
  const refusal =
    lint.findings.find((f) => f.rule === 'not-simulated') ??
    lint.findings.find((f) => f.severity === 'error');
  if (refusal)
    throw new InputError(
      `${formatPos(refusal.pos)}: matrix: ${refusal.message}${refusal.rule === 'not-simulated' ? '' : ` (${refusal.rule})`}`,
    );
}

/**
 * The Rollout the matrix rehearses, from lint's reading of the inputs: refuses what a rehearsal
 * cannot play (a finding of severity error, or anything canarysim does not simulate — a job or web
 * provider, another traffic router), naming the field at its file:line:col.
 */
export function matrixTarget(
  inputs: LintInputs,
  lint: LintResult,
  opts: { rollout?: string; namespace: string },
): MatrixTarget {
  refuseUnplayable(lint);
  const rollouts = inputs.objects.filter((o) => o.kind === 'Rollout') as ManifestObject<
    string,
    RolloutSpec
  >[];
  const withAnalysis = lint.timelines.filter((t) => t.metrics.length > 0);
  if (rollouts.length === 0)
    throw new InputError(
      'matrix: no Rollout among the inputs: pass the manifests of the Rollout whose analyses to rehearse with its AnalysisTemplates (e.g. -k overlays/prod analysis-template.yaml)',
    );
  let tl: RolloutTimeline | undefined;
  if (opts.rollout !== undefined) {
    tl = lint.timelines.find((t) => t.rollout === opts.rollout);
    if (!tl)
      throw new InputError(
        `invalid --rollout ${JSON.stringify(opts.rollout)}: expected one of ${lint.timelines.map((t) => t.rollout).join(', ')}`,
      );
    if (tl.metrics.length === 0)
      throw new InputError(
        `matrix: Rollout ${JSON.stringify(tl.rollout)} has no analysis: nothing to rehearse`,
      );
  } else if (withAnalysis.length === 1) tl = withAnalysis[0];
  else if (withAnalysis.length === 0)
    throw new InputError(
      `matrix: no Rollout among the inputs has an analysis (${rollouts.map((r) => `${r.name} at ${where(r)}`).join(', ')}): nothing to rehearse`,
    );
  else
    throw new InputError(
      `matrix: ${withAnalysis.length} Rollouts have analyses (${withAnalysis.map((t) => t.rollout).join(', ')}): pass --rollout NAME`,
    );
  const timeline = tl!;
  const ro = rollouts.find((r) => r.name === timeline.rollout)!;
  const unbounded = timeline.metrics.find((m) => m.timing.unknown.length > 0);
  if (unbounded)
    throw new InputError(
      `matrix: Rollout ${JSON.stringify(ro.name)}: metric ${JSON.stringify(unbounded.metric)} has ${unbounded.timing.unknown.join(', ')} known only at run time: give the arg a value`,
    );

  const workload =
    ro.spec.workloadRef &&
    (inputs.objects.find((o) => o.kind === 'Deployment' && o.name === ro.spec.workloadRef!.name) as
      ManifestObject<string, DeploymentSpec> | undefined);
  const template = ro.spec.template ?? workload?.spec.template;
  const container = template?.containers[0];
  if (!container)
    throw new InputError(
      `${where(ro)}: matrix: Rollout ${JSON.stringify(ro.name)} has no pod template with a container`,
    );
  const image = container.image;
  const at = image.lastIndexOf(':');
  const tagged = at > image.lastIndexOf('/');
  const canaryImage = tagged ? `${image}-canary` : `${image}:canary`;

  const { header, scrapeIntervalMs } = settingsHeader(inputs, timeline.namespace, addresses(inputs, ro));
  header['apps'] = canaryModel(header['apps'], image, canaryImage);
  const { url, from } = trafficTarget(inputs.objects, ro, timeline.namespace);
  const firstMeasurementMs = Math.min(
    ...timeline.metrics.map((m) => m.measurementTimesMs[0] ?? m.runStartMs + m.timing.initialDelayMs),
  );
  const total = Number.isFinite(timeline.totalMs) ? timeline.totalMs : MAX_ROW_MS;
  return {
    rollout: ro.name,
    namespace: timeline.namespace,
    container: container.name,
    image,
    canaryImage,
    url,
    ...(from ? { from } : {}),
    // Templates first: a Rollout applied before its template is InvalidSpec until the template comes.
    manifests: [...inputs.objects]
      .sort((a, b) => Number(!isTemplate(a)) - Number(!isTemplate(b)))
      .map((o) => stringify(o.raw))
      .join('---\n'),
    header,
    scrapeIntervalMs,
    timeline,
    firstMeasurementMs,
    budgetMs: Math.min(MAX_ROW_MS, total + MATRIX_SLACK_MS),
  };
}

/**
 * Every Prometheus address the templates name, args substituted from the template's defaults and
 * the Rollout's values: the embedded Prometheus answers at each, so a healthy row measures.
 */
function addresses(inputs: LintInputs, ro: ManifestObject<string, RolloutSpec>): string[] {
  const args = new Map<string, string>();
  const analyses = [
    ro.spec.strategy.canary?.analysis,
    ...(ro.spec.strategy.canary?.steps ?? []).map((s) => (s.kind === 'analysis' ? s.analysis : undefined)),
    ro.spec.strategy.blueGreen?.prePromotionAnalysis,
    ro.spec.strategy.blueGreen?.postPromotionAnalysis,
  ];
  for (const o of inputs.objects) {
    if (o.kind !== 'AnalysisTemplate' && o.kind !== 'ClusterAnalysisTemplate') continue;
    for (const a of (o.spec as { args: { name: string; value?: string }[] }).args)
      if (a.value !== undefined) args.set(a.name, a.value);
  }
  for (const a of analyses)
    for (const arg of a?.args ?? []) if (arg.value !== undefined) args.set(arg.name, arg.value);
  const out = new Set<string>();
  for (const o of inputs.objects) {
    if (o.kind !== 'AnalysisTemplate' && o.kind !== 'ClusterAnalysisTemplate') continue;
    for (const m of (o.spec as { metrics: { provider: { prometheus: { address?: string } } }[] }).metrics) {
      const raw = m.provider.prometheus.address;
      if (raw === undefined) continue;
      const { text } = substituteArgs(raw, args);
      if (placeholders(text).length === 0) out.add(text.replace(/\/+$/, ''));
    }
  }
  return [...out];
}

/**
 * The settings of a scenario among the inputs (its keys but the timeline, expectations and
 * names), else a namespace with Istio's sidecar injection on; the templates' addresses added.
 */
function settingsHeader(
  inputs: LintInputs,
  namespace: string,
  promAddresses: readonly string[],
): { header: Record<string, unknown>; scrapeIntervalMs: number } {
  if (inputs.scenarios.length > 1)
    throw new InputError(
      `matrix: ${inputs.scenarios.map((s) => s.fs.display(s.path)).join(', ')}: more than one scenario: pass the one whose settings the rows play under`,
    );
  const sc = inputs.scenarios[0];
  const header: Record<string, unknown> = {};
  let settings;
  if (sc) {
    settings = parseScenario(sc.fs, sc.path).settings;
    const raw = parseYaml(sc.fs.read(sc.path) ?? '') as Record<string, unknown>;
    for (const k of HEADER_KEYS) if (raw[k] !== undefined) header[k] = raw[k];
  } else {
    header['namespace'] = namespace;
    header['cluster'] = { namespaces: { [namespace]: { istioInjection: true } } };
  }
  const prom = { ...((header['prometheus'] as Record<string, unknown> | undefined) ?? {}) };
  const known = settings?.prometheusAddresses ?? ['http://kube-prometheus-stack-prometheus.monitoring:9090'];
  prom['addresses'] = [...new Set([...known, ...promAddresses])];
  header['prometheus'] = prom;
  return { header, scrapeIntervalMs: settings?.scrapeIntervalMs ?? 30_000 };
}

/**
 * Where the rows send their load: the first host of the Rollout's first VirtualService (through
 * the ingress gateway when the VirtualService is bound to one, else from a client pod in the
 * mesh), or its stable Service without traffic routing.
 */
function trafficTarget(
  objects: readonly ManifestObject[],
  ro: ManifestObject<string, RolloutSpec>,
  ns: string,
): { url: string; from?: { workload: string; namespace: string } } {
  const client = { workload: 'matrix-client', namespace: ns };
  const ref = ro.spec.strategy.canary?.trafficRouting?.istio.virtualServices[0];
  if (ref) {
    const [name, vsNs] = ref.name.includes('.') ? ref.name.split('.', 2) : [ref.name, ns];
    const vs = objects.find(
      (o) => o.kind === 'VirtualService' && o.name === name && (o.namespace ?? ns) === vsNs,
    ) as ManifestObject<string, VirtualServiceSpec> | undefined;
    const host = vs?.spec.hosts.find((h) => !h.includes('*'));
    if (vs && host) {
      const external = vs.spec.gateways.some((g) => g !== 'mesh');
      return external ? { url: `http://${host}/` } : { url: `http://${host}/`, from: client };
    }
  }
  const svc =
    ro.spec.strategy.canary?.stableService ??
    ro.spec.strategy.blueGreen?.activeService ??
    ro.spec.strategy.canary?.canaryService;
  if (!svc)
    throw new InputError(
      `${where(ro)}: matrix: Rollout ${JSON.stringify(ro.name)} has no VirtualService host or Service to send traffic to`,
    );
  return { url: `http://${svc}.${ns}.svc.cluster.local/`, from: client };
}
