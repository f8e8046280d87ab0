import {
  AnalysisController,
  providerResult,
  type ProviderResult,
  type ReturnedSeries,
} from '../../sim/analysis/index.js';
import type { Value } from '../../sim/analysis/condition/index.js';
import { VirtualClock } from '../../sim/clock/index.js';
import { EventLog } from '../../sim/EventLog.js';
import {
  parseManifest,
  parseYamlFile,
  type AnalysisTemplateSpec,
  type ManifestObject,
} from '../../sim/manifests/index.js';
import type { CreateRunRequest, RolloutAnalysis } from '../../sim/rollout/index.js';

export const T0 = Date.UTC(2024, 10, 11, 12, 0, 0);
export const S = 1000;
export const MIN = 60 * S;

/** Parses AnalysisTemplate / ClusterAnalysisTemplate YAML documents with the real manifest parser. */
export function parseTemplates(yaml: string): ManifestObject<string, AnalysisTemplateSpec>[] {
  return parseYamlFile('templates.yaml', yaml)
    .filter((d) => d.doc.toJS() !== null)
    .map((d) => parseManifest(d) as ManifestObject<string, AnalysisTemplateSpec>);
}

/** One template document; `body` is the YAML under `spec:` (indented by the caller's two spaces). */
export function template(name: string, body: string, kind = 'AnalysisTemplate'): string {
  const spec = body
    .replace(/^\n/, '')
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `apiVersion: argoproj.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}\n---\n`;
}

/** What the fake Prometheus answers: a value (float64 or vector), labelled series, or an error text. */
export type Answer = Value | { error: string } | { series: ReturnedSeries[] };

/**
 * An AnalysisController on a VirtualClock with templates from YAML and a scripted Prometheus:
 * `answer(query, atMs, n)` gives the n-th answer (per query) at simulated time atMs.
 */
export class Harness {
  readonly clock = new VirtualClock(T0);
  readonly events = new EventLog(this.clock);
  readonly ctrl: AnalysisController;
  readonly queries: { address: string | undefined; query: string; at: number }[] = [];
  changed = 0;
  private readonly templates = new Map<string, ManifestObject<string, AnalysisTemplateSpec>>();
  private readonly asked = new Map<string, number>();

  constructor(
    yaml: string,
    private readonly answer: (query: string, atMs: number, n: number) => Answer = () => [1],
    opts: { trace?: boolean } = {},
  ) {
    for (const t of parseTemplates(yaml)) this.templates.set(`${t.kind}/${t.name}`, t);
    this.ctrl = new AnalysisController({
      clock: this.clock,
      events: this.events,
      template: (_ns, ref) =>
        this.templates.get(
          `${ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'}/${ref.templateName}`,
        ),
      provider: {
        measure: (address, query, atMs): ProviderResult => {
          this.queries.push({ address, query, at: atMs });
          const n = this.asked.get(query) ?? 0;
          this.asked.set(query, n + 1);
          const a = this.answer(query, atMs, n);
          if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
            if ('error' in a && typeof a.error === 'string') return { error: a.error };
            if ('series' in a && Array.isArray(a.series))
              return providerResult({ resultType: 'vector', series: a.series as ReturnedSeries[] });
          }
          // Prometheus answers a scalar or a vector (unlabelled, unless given as series).
          if (typeof a === 'number') return providerResult({ resultType: 'scalar', value: a });
          if (Array.isArray(a) && a.every((x) => typeof x === 'number'))
            return providerResult({
              resultType: 'vector',
              series: a.map((value) => ({ labels: {}, value })),
            });
          throw new Error(`the harness answers Prometheus values only, not ${JSON.stringify(a)}`);
        },
      },
      onRunChanged: () => this.changed++,
      ...opts,
    });
  }

  /** createRun with a background request for `templates` (names), overridable field by field. */
  create(
    templates: string | (string | { templateName: string; clusterScope: boolean })[] = 't',
    req: Partial<Omit<CreateRunRequest, 'analysis'>> & { analysis?: Partial<RolloutAnalysis> } = {},
  ): ReturnType<AnalysisController['createRun']> {
    const refs = (Array.isArray(templates) ? templates : [templates]).map((t) =>
      typeof t === 'string' ? { templateName: t, clusterScope: false } : t,
    );
    const { analysis, ...rest } = req;
    return this.ctrl.createRun({
      kind: 'Background',
      namespace: 'default',
      rollout: 'ro',
      podHash: 'newhash',
      stablePodHash: 'stablehash',
      revision: 2,
      rolloutJson: ROLLOUT_JSON,
      ...rest,
      analysis: {
        templates: refs,
        args: [],
        startingStep: 0,
        dryRun: [],
        measurementRetention: [],
        ...analysis,
      },
    });
  }

  /** Creates a run that must succeed and returns its name. */
  start(...args: Parameters<Harness['create']>): string {
    const out = this.create(...args);
    if ('error' in out) throw new Error(`createRun failed: ${out.error}`);
    return out.name;
  }

  run(name: string) {
    const r = this.ctrl.run('default', name);
    if (!r) throw new Error(`no run ${name}`);
    return r;
  }

  /** Runs the clock to `T0 + ms`. */
  async at(ms: number): Promise<void> {
    await this.clock.runUntil(T0 + ms);
  }

  /** Rollout events (reason: message), in order. */
  rolloutEvents(): string[] {
    return this.events.events
      .filter((e) => e.object.startsWith('Rollout/'))
      .map((e) => `${e.reason}: ${e.message}`);
  }

  runEvents(): string[] {
    return this.events.events
      .filter((e) => e.object.startsWith('AnalysisRun/'))
      .map((e) => `${e.type} ${e.reason}: ${e.message}`);
  }

  /** When each measurement of a query was taken, in seconds after T0. */
  times(query = 'q'): number[] {
    return this.queries.filter((q) => q.query === query).map((q) => (q.at - T0) / 1000);
  }
}

/** A Rollout as Argo serialises it, for fieldRef args. */
export const ROLLOUT_JSON = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: {
    name: 'ro',
    namespace: 'default',
    uid: 'b5a9a7c2-0000-4000-8000-000000000001',
    labels: { app: 'ro', env: 'prod' },
    annotations: { 'rollout.argoproj.io/revision': '2', 'example.com/team': 'a-team' },
  },
  spec: {
    replicas: 5,
    selector: { matchLabels: { app: 'ro' } },
    template: { metadata: { labels: { app: 'ro', version: 'v2' } } },
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } },
    paused: false,
  },
  status: { canary: { weights: { canary: { weight: 20 } } }, big: 1000000 },
};

/** The Prometheus provider block of a metric in `template()` YAML (address http://prom:9090). */
export const PROM = `provider:
      prometheus:
        address: http://prom:9090`;

/**
 * A Harness with one template `t` holding one metric `success-rate`: `fields` are its other
 * fields, one per line; `head` goes before `metrics:` (`args:` …); the query is `q` unless given.
 */
export function singleMetric(
  fields: string,
  answer: (n: number, at: number) => Answer,
  opts: { head?: string; query?: string; trace?: boolean } = {},
): Harness {
  const body = fields
    .trim()
    .split('\n')
    .map((l) => `    ${l.trim()}`)
    .join('\n');
  return new Harness(
    template(
      't',
      `${opts.head ?? ''}metrics:\n  - name: success-rate\n${body}\n    ${PROM}\n        query: ${opts.query ?? 'q'}`,
    ),
    (_q, at, n) => answer(n, at),
    opts.trace === undefined ? {} : { trace: opts.trace },
  );
}
