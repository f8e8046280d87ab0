import type { AnyWorld } from '../../sim/world.js';
import { parseReports } from '../scenario/readReport.js';
import type { Report } from '../scenario/report.js';
import { renderExplain } from '../views/renderExplain.js';
import { conditionThresholds } from './conditionThresholds.js';
import type { AnalysisChart, ChartSeries, Marker, RolloutCharts, RunCharts, TimeChart } from './RunCharts.js';
import type { RolloutFrame, TimelineRecorder } from './TimelineRecorder.js';
import { trafficByReplicaSet, type TrafficByReplicaSet } from './trafficCharts.js';

/** The rollout's events that mark its charts, by reason. */
const EVENT_MARKERS: Record<string, Marker['kind']> = {
  RolloutStepCompleted: 'step',
  RolloutPaused: 'pause',
  RolloutResumed: 'resume',
  RolloutAborted: 'abort',
  RolloutCompleted: 'complete',
  RolloutUpdated: 'update',
};

/**
 * The HTML report's data for a run that has ended: weights, phases and pods from the recorder's
 * frames, request and success rates and p99 from the embedded TSDB, measurements, events and
 * the explain text from the run's JSON report (the same `report` `--json` writes).
 */
export function buildRunCharts(report: Report, world: AnyWorld, recorder: TimelineRecorder): RunCharts {
  const startMs = Date.parse(report.startTime);
  const tracks = recorder.finish();
  const traffic = trafficByReplicaSet(world, startMs);
  const explainable = parseReports(JSON.stringify(report), '(the run)')[0]!;
  const rollouts: RolloutCharts[] = [];
  for (const [key, track] of [...tracks].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [namespace, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const final = report.rollouts[name];
    const frames = track.frames;
    const versionOf = versionNames(frames);
    const versions = [...new Set([...versionOf.values()])];
    rollouts.push({
      name,
      namespace,
      phase: final?.namespace === namespace ? final.phase : (frames[frames.length - 1]?.phase ?? ''),
      message: final?.namespace === namespace ? final.message : '',
      versions,
      weights: weightChart(frames, versionOf, report.simulatedSeconds),
      pods: podChart(frames, versionOf, report.simulatedSeconds),
      ...trafficCharts(traffic, namespace, frames, versionOf),
      queries: traffic.queries,
      analysis: analysisCharts(report, name),
      markers: markers(report, recorder, namespace, name),
      explain: final?.namespace === namespace ? renderExplain(explainable, { rollout: name }) : '',
      framesDropped: track.dropped,
    });
  }
  return {
    name: report.scenario.name,
    file: report.scenario.file,
    seed: report.scenario.seed,
    passed: report.passed,
    startTime: report.startTime,
    simulatedSeconds: report.simulatedSeconds,
    expectations: report.expectations.map((e) => ({
      source: e.source,
      condition: e.condition,
      passed: e.passed,
      t: e.t,
      ...(e.error !== undefined ? { error: e.error } : {}),
    })),
    rollouts,
  };
}

/**
 * Each image's name in the legend: its tag (`1.4.126`), or the whole image where two images of the
 * rollout share a tag. Keyed by image.
 */
function versionNames(frames: readonly RolloutFrame[]): Map<string, string> {
  const images: string[] = [];
  for (const f of frames) {
    for (const rs of f.replicaSets) if (!images.includes(rs.image)) images.push(rs.image);
    for (const img of Object.keys(f.weights)) if (!images.includes(img)) images.push(img);
  }
  const tag = (img: string) => {
    const m = /:([^/:@]+)$/.exec(img);
    return m ? m[1]! : img;
  };
  return new Map(
    images.map((img) => [img, images.filter((o) => tag(o) === tag(img)).length > 1 ? img : tag(img)]),
  );
}

/** A stepped chart's x values: each frame's time, and the end of the run (the last value holds). */
function frameTimes(frames: readonly RolloutFrame[], end: number): number[] {
  const t = frames.map((f) => f.t / 1000);
  if (t.length && t[t.length - 1]! < end) t.push(end);
  return t;
}

function weightChart(
  frames: readonly RolloutFrame[],
  versionOf: Map<string, string>,
  end: number,
): TimeChart {
  const t = frameTimes(frames, end);
  const at = (i: number) => frames[Math.min(i, frames.length - 1)]!;
  const series: ChartSeries[] = [...versionOf].map(([image, version]) => ({
    label: version,
    version,
    values: t.map((_, i) => {
      const f = at(i);
      // Absent while no ReplicaSet of the rollout runs it (a gap, not a 0 %).
      return f.weights[image] ?? (f.replicaSets.some((r) => r.image === image && r.replicas > 0) ? 0 : null);
    }),
  }));
  return { t, series: series.filter((s) => s.values.some((v) => v !== null)) };
}

function podChart(frames: readonly RolloutFrame[], versionOf: Map<string, string>, end: number): TimeChart {
  const t = frameTimes(frames, end);
  const at = (i: number) => frames[Math.min(i, frames.length - 1)]!;
  const sets = new Map<string, { revision: number; image: string }>();
  for (const f of frames) for (const rs of f.replicaSets) sets.set(rs.name, rs);
  return {
    t,
    series: [...sets].map(([rsName, rs]) => {
      const version = versionOf.get(rs.image) ?? rs.image;
      return {
        label: `${version} (${rsName})`,
        version,
        values: t.map((_, i) => at(i).replicaSets.find((r) => r.name === rsName)?.ready ?? null),
      };
    }),
  };
}

function trafficCharts(
  traffic: TrafficByReplicaSet,
  namespace: string,
  frames: readonly RolloutFrame[],
  versionOf: Map<string, string>,
): Pick<RolloutCharts, 'requestRate' | 'successRate' | 'p99'> {
  const sets = new Map<string, string>();
  for (const f of frames) for (const rs of f.replicaSets) sets.set(rs.name, rs.image);
  const rate: ChartSeries[] = [];
  const success: ChartSeries[] = [];
  const p99: ChartSeries[] = [];
  for (const [rsName, image] of sets) {
    const key = `${namespace}/${rsName}`;
    const all = traffic.rate.get(key);
    if (!all || !all.some((v) => v !== null && v > 0)) continue;
    const version = versionOf.get(image) ?? image;
    const label =
      [...sets.values()].filter((i) => i === image).length > 1 ? `${version} (${rsName})` : version;
    const ok = traffic.ok.get(key);
    rate.push({ label, version, values: all.map((v) => (v === null ? null : round(v, 3))) });
    success.push({
      label,
      version,
      values: all.map((v, i) => (v === null || v === 0 ? null : round((ok?.[i] ?? 0) / v, 5))),
    });
    const q = traffic.p99.get(key);
    if (q?.some((v) => v !== null))
      p99.push({ label, version, values: q.map((v) => (v === null ? null : round(v, 3))) });
  }
  const chart = (series: ChartSeries[]): TimeChart | null =>
    series.length ? { t: traffic.t, series } : null;
  return { requestRate: chart(rate), successRate: chart(success), p99: chart(p99) };
}

function analysisCharts(report: Report, rollout: string): AnalysisChart[] {
  const out: AnalysisChart[] = [];
  for (const run of Object.values(report.analysisRuns)) {
    if (run.rollout !== rollout) continue;
    for (const m of run.metrics) {
      const first = m.measurements[0];
      out.push({
        run: run.name,
        kind: run.kind,
        revision: run.revision,
        phase: m.phase,
        metric: m.name,
        conditions: (first?.conditions ?? []).map((c) => ({
          condition: c.condition,
          expression: c.expression,
          thresholds: conditionThresholds(c.expression),
        })),
        points: m.measurements.map((x) => ({
          t: x.t,
          values: (x.result?.series ?? []).map((s) => s.value).filter((v) => Number.isFinite(v)),
          phase: x.phase,
        })),
      });
    }
  }
  return out;
}

function markers(report: Report, recorder: TimelineRecorder, namespace: string, name: string): Marker[] {
  const out: Marker[] = [];
  for (const e of report.events) {
    const kind = EVENT_MARKERS[e.reason];
    if (!kind || e.object !== `Rollout/${name}` || e.namespace !== namespace) continue;
    const step = kind === 'step' ? /step (\d+\/\d+)/.exec(e.message)?.[1] : undefined;
    out.push({ t: e.t, kind, label: step ?? e.reason.replace(/^Rollout/, '').toLowerCase() });
  }
  for (const a of recorder.actions)
    if (a.namespace === namespace && a.rollout === name)
      out.push({ t: a.t / 1000, kind: 'command', label: a.action });
  return out.sort((a, b) => a.t - b.t);
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
