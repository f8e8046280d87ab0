import { humanDuration } from './humanDuration.js';
import type {
  AnalysisRunView,
  ImageView,
  PodView,
  ReplicaSetView,
  RevisionView,
  RolloutView,
} from './RolloutView.js';
import { tabwriter } from './tabwriter.js';

/**
 * The text of `kubectl argo rollouts get rollout <name>`: the summary block, a blank line and
 * the object tree, as the plugin (pkg/kubectl-argo-rollouts/cmd/get) prints them. Pure: ages
 * are measured against `now` (simulated ms). Colour is off unless asked for, as with
 * `--no-color`; trailing spaces are trimmed from every line, as the plugin's tests do.
 */
export function renderGetRollout(
  view: RolloutView,
  now: number,
  opts: { color?: boolean; clock?: LiveClock } = {},
): string {
  const paint = painter(opts.color ?? false);
  const clock = opts.clock ? clockLine(opts.clock) : '';
  return `${renderSummary(view, paint)}${clock}\n${renderTree(view, now, paint)}`;
}

/** Live mode's simulated clock, as the control API reports it. */
export interface LiveClock {
  speed: number;
  paused?: boolean;
  offsetMs?: number;
}

/**
 * The summary's `Clock:` row in live mode, when AGE is not wall-clock time: the clock runs at
 * another speed, is paused, or was (so it is behind or ahead of the wall clock). At 1× from the
 * start there is none, and the tree reads as the plugin's does against a cluster.
 *
 *   {speed: 10}                        → "Clock:           10× (AGE in simulated time)"
 *   {speed: 1, paused: true}           → "Clock:           paused at 1× (AGE in simulated time)"
 *   {speed: 1, offsetMs: -125_000}     → "Clock:           1×, 2m5s behind the wall clock (AGE in simulated time)"
 */
export function clockLine(c: LiveClock): string {
  if (c.paused) return `${'Clock:'.padEnd(LABEL_WIDTH)}paused at ${c.speed}× (AGE in simulated time)\n`;
  if (c.speed !== 1) return `${'Clock:'.padEnd(LABEL_WIDTH)}${c.speed}× (AGE in simulated time)\n`;
  // At 1× AGE is wall-clock time, unless the clock was paused or sped up before.
  const offset = Math.trunc((c.offsetMs ?? 0) / 1000) * 1000;
  if (offset === 0) return '';
  const drift = `${humanDuration(Math.abs(offset))} ${offset < 0 ? 'behind' : 'ahead of'} the wall clock`;
  return `${'Clock:'.padEnd(LABEL_WIDTH)}1×, ${drift} (AGE in simulated time)\n`;
}

/** Label column of the summary: Go's `%-17s`. */
const LABEL_WIDTH = 17;

/** Tree glyphs of the plugin (get.go). */
const KIND_ICON = {
  rollout: '⟳',
  revision: '#',
  replicaSet: '⧉',
  pod: '□',
  analysisRun: 'α',
} as const;

/** Status icons of the plugin (info/info.go). */
const ICON = {
  waiting: '◷',
  progressing: '◌',
  warning: '⚠',
  unknown: '?',
  ok: '✔',
  bad: '✖',
  paused: '॥',
  neutral: '•',
} as const;

function renderSummary(view: RolloutView, paint: Painter): string {
  const lines: string[] = [];
  const row = (label: string, value: string | number): void => {
    lines.push(label.padEnd(LABEL_WIDTH) + String(value));
  };
  row('Name:', view.name);
  row('Namespace:', view.namespace);
  row('Status:', `${paint.word(rolloutIcon(view.status))} ${view.status}`);
  if (view.message !== '') row('Message:', view.message);
  row('Strategy:', view.strategy);
  if (view.strategy === 'Canary') {
    row('  Step:', view.step);
    row('  SetWeight:', view.setWeight);
    row('  ActualWeight:', view.actualWeight);
  }
  view.images.forEach((image, i) => row(i === 0 ? 'Images:' : '', formatImage(image, paint)));
  lines.push('Replicas:');
  row('  Desired:', view.replicas.desired);
  row('  Current:', view.replicas.current);
  row('  Updated:', view.replicas.updated);
  row('  Ready:', view.replicas.ready);
  row('  Available:', view.replicas.available);
  return lines.map((l) => l.trimEnd() + '\n').join('');
}

function formatImage(image: ImageView, paint: Painter): string {
  if (image.tags.length === 0) return image.image;
  return `${image.image} (${image.tags.map((t) => paint.word(t)).join(', ')})`;
}

function renderTree(view: RolloutView, now: number, paint: Painter): string {
  const age = (createdAt: number): string => humanDuration(now - wholeSeconds(createdAt));
  const rows: string[][] = [['NAME', 'KIND', 'STATUS', 'AGE', 'INFO']];
  rows.push([
    `${KIND_ICON.rollout} ${view.name}`,
    'Rollout',
    `${paint.word(rolloutIcon(view.status))} ${view.status}`,
    age(view.createdAt),
    '',
  ]);
  view.revisions.forEach((revision, i) => {
    const [prefix, childIndent] = branch(i === view.revisions.length - 1, '');
    rows.push(...revisionRows(revision, prefix, childIndent, age, now, paint));
  });
  // Every row has the same five cells, so the table is one tabwriter block.
  return tabwriter(rows.map((cells) => cells.join('\t')).join('\n') + '\n');
}

function revisionRows(
  revision: RevisionView,
  prefix: string,
  indent: string,
  age: (createdAt: number) => string,
  now: number,
  paint: Painter,
): string[][] {
  // The plugin prints an empty icon and status separated by a space: the STATUS cell is " ".
  const rows: string[][] = [
    [`${prefix}${KIND_ICON.revision} revision:${revision.revision}`, '', ' ', '', ''],
  ];
  const total = revision.replicaSets.length + revision.analysisRuns.length;
  let index = 0;
  for (const rs of revision.replicaSets) {
    const [p, childIndent] = branch(index++ === total - 1, indent);
    rows.push(replicaSetRow(rs, p, age, now, paint));
    rs.pods.forEach((pod, i) => {
      const [podPrefix] = branch(i === rs.pods.length - 1, childIndent);
      rows.push(podRow(pod, podPrefix, age, paint));
    });
  }
  for (const run of revision.analysisRuns) {
    const [p] = branch(index++ === total - 1, indent);
    rows.push(analysisRunRow(run, p, age, paint));
  }
  return rows;
}

function replicaSetRow(
  rs: ReplicaSetView,
  prefix: string,
  age: (createdAt: number) => string,
  now: number,
  paint: Painter,
): string[] {
  const info: string[] = [];
  let name = rs.name;
  // The plugin colours the name once per tag, nesting the escapes; reproduced as is.
  if (rs.stable) {
    info.push(paint.word('stable'));
    name = paint.as(name, 'stable');
  }
  // As the plugin's PrintReplicaSetInfo: canary, else active, else preview.
  const role = rs.canary ? 'canary' : rs.active ? 'active' : rs.preview ? 'preview' : undefined;
  if (role) {
    info.push(paint.word(role));
    name = paint.as(name, role);
  }
  if (rs.scaleDownDeadline !== undefined) info.push(`delay:${scaleDownDelay(rs.scaleDownDeadline, now)}`);
  return [
    `${prefix}${KIND_ICON.replicaSet} ${name}`,
    'ReplicaSet',
    `${paint.word(replicaSetIcon(rs.status))} ${rs.status}`,
    age(rs.createdAt),
    info.join(','),
  ];
}

function podRow(pod: PodView, prefix: string, age: (createdAt: number) => string, paint: Painter): string[] {
  const info = [`ready:${pod.ready}`];
  if (pod.restarts > 0) info.push(`restarts:${pod.restarts}`);
  return [
    `${prefix}${KIND_ICON.pod} ${pod.name}`,
    'Pod',
    `${paint.word(podIcon(pod.status))} ${pod.status}`,
    age(pod.createdAt),
    info.join(','),
  ];
}

function analysisRunRow(
  run: AnalysisRunView,
  prefix: string,
  age: (createdAt: number) => string,
  paint: Painter,
): string[] {
  const counts: Array<[string, number]> = [
    [ICON.ok, run.successful],
    [ICON.bad, run.failed],
    [ICON.unknown, run.inconclusive],
    [ICON.warning, run.error],
  ];
  const info = counts.filter(([, n]) => n > 0).map(([icon, n]) => `${paint.word(icon)} ${n}`);
  return [
    `${prefix}${KIND_ICON.analysisRun} ${paint.as(run.name, run.status)}`,
    'AnalysisRun',
    `${paint.word(analysisIcon(run.status))} ${run.status}`,
    age(run.createdAt),
    info.join(','),
  ];
}

/**
 * INFO of a ReplicaSet waiting to be scaled down. The annotation is RFC 3339 with whole
 * seconds; a deadline strictly before `now` has "passed", otherwise the time left is shown.
 */
function scaleDownDelay(deadline: number, now: number): string {
  const at = wholeSeconds(deadline);
  return at < now ? 'passed' : humanDuration(at - now);
}

/** Kubernetes stores timestamps with second precision; ages are measured from those. */
function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Tree prefixes: the item's own connector and the indentation its children continue with. */
function branch(isLast: boolean, indent: string): [string, string] {
  return isLast ? [`${indent}└──`, `${indent}   `] : [`${indent}├──`, `${indent}│  `];
}

function rolloutIcon(status: string): string {
  switch (status) {
    case 'Progressing':
      return ICON.progressing;
    case 'Error':
    case 'InvalidSpec':
      return ICON.warning;
    case 'Paused':
      return ICON.paused;
    case 'Healthy':
      return ICON.ok;
    case 'Degraded':
      return ICON.bad;
    case 'Unknown':
      return ICON.unknown;
    case 'ScaledDown':
      return ICON.neutral;
    default:
      return ' ';
  }
}

function replicaSetIcon(status: string): string {
  switch (status) {
    case 'Progressing':
      return ICON.progressing;
    case 'Healthy':
      return ICON.ok;
    case 'ReplicaFailure':
      return ICON.bad;
    case 'ScaledDown':
      return ICON.neutral;
    default:
      return ' ';
  }
}

/** Pod icons follow kubelet reason strings (`Init:…`, `ExitCode:…`, `…Error`, `Err…`). */
function podIcon(status: string): string {
  if (status.startsWith('Init:')) return ICON.progressing;
  if (status.startsWith('Signal:') || status.startsWith('ExitCode:')) return ICON.bad;
  if (status.endsWith('Error') || status.startsWith('Err')) return ICON.warning;
  switch (status) {
    case 'Pending':
    case 'Terminating':
    case 'ContainerCreating':
      return ICON.progressing;
    case 'Running':
    case 'Completed':
      return ICON.ok;
    case 'Failed':
    case 'InvalidImageName':
    case 'CrashLoopBackOff':
      return ICON.bad;
    case 'ImagePullBackOff':
    case 'RegistryUnavailable':
      return ICON.warning;
    case 'Unknown':
      return ICON.unknown;
    default:
      return ' ';
  }
}

function analysisIcon(status: string): string {
  switch (status) {
    case 'Successful':
      return ICON.ok;
    case 'Inconclusive':
      return ICON.unknown;
    case 'Failed':
      return ICON.bad;
    case 'Error':
      return ICON.warning;
    case 'Running':
      return ICON.progressing;
    case 'Pending':
      return ICON.waiting;
    default:
      return ' ';
  }
}

interface Painter {
  /** Colours a well-known word (icon or tag) by its own meaning. */
  word(s: string): string;
  /** Colours `s` by the meaning of `key` (a tag or an analysis phase). */
  as(s: string, key: string): string;
}

/** ANSI colours of the plugin's `colorMapping`; unmapped words get code 0. */
const COLOR_CODE = new Map<string, number>([
  [ICON.waiting, 33],
  [ICON.progressing, 94],
  [ICON.warning, 31],
  [ICON.unknown, 33],
  [ICON.ok, 32],
  [ICON.bad, 31],
  ['canary', 33],
  ['stable', 32],
  ['active', 32],
  ['preview', 94],
  ['Pending', 94],
  ['Running', 94],
]);

function painter(color: boolean): Painter {
  if (!color) return { word: (s) => s, as: (s) => s };
  // The plugin wraps even unmapped words (code 0) so that every cell carries escapes;
  // widths are unaffected because the tabwriter ignores escape sequences.
  const wrap = (s: string, key: string): string => `\u001b[${COLOR_CODE.get(key) ?? 0}m${s}\u001b[0m`;
  return { word: (s) => wrap(s, s), as: wrap };
}
