import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Test helper: the `kubectl argo rollouts get rollout` outputs printed in the seed blog post,
 * parsed into comparable data, and the same parser for our own rendered text, so that a
 * scenario can be checked against the blog field by field.
 *
 * The blog's blocks are terminal copies, edited by hand: `...` lines mark cut text, long lines
 * are hard-wrapped at 80 columns ("succes" / "s-rate"), AGE is sometimes right-aligned, and a
 * few ages are impossible for HumanDuration ("5m69s", "14m24s"). The parser undoes the wraps
 * and splits cells on runs of two or more spaces; the comparison ignores ages by default.
 */

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the seed post lives, next to the repository. */
export const BLOG_PATH = path.resolve(
  REPO_ROOT,
  '../shared/seed/testing-in-production-canary-deployments.md',
);

export interface ParsedSummary {
  name: string;
  namespace: string;
  /** The glyph before the status, e.g. "✖". */
  icon: string;
  status: string;
  /** Unwrapped; "" when the block has no Message line. */
  message: string;
  strategy: string;
  step: string;
  setWeight: string;
  actualWeight: string;
  images: Array<{ image: string; tags: string[] }>;
  replicas: { desired: number; current: number; updated: number; ready: number; available: number };
}

export type RowKind = 'Rollout' | 'Revision' | 'ReplicaSet' | 'Pod' | 'AnalysisRun' | 'Experiment' | 'Job';

export interface TreeRow {
  /** The tree drawing before the kind glyph, e.g. "│  ├──"; "" for the rollout itself. */
  prefix: string;
  /** Nesting level: 0 rollout, 1 revision, 2 ReplicaSet / AnalysisRun, 3 pod. */
  depth: number;
  /** Drawn with └── (last child of its parent). */
  last: boolean;
  kind: RowKind;
  name: string;
  icon: string;
  status: string;
  age: string;
  info: string;
}

export interface ParsedTree {
  /** Rows were cut ("..." after the header): the blog's rows are a subsequence of the real ones. */
  truncated: boolean;
  rows: TreeRow[];
}

export interface ParsedGetRollout {
  summary?: ParsedSummary;
  tree?: ParsedTree;
  /** "..." stood before the first printed line: whatever came above (usually the summary) was cut. */
  truncatedBefore: boolean;
}

export interface BlogBlock extends ParsedGetRollout {
  /** 0-based order among the get-rollout blocks of the post. */
  index: number;
  /** 1-based line of the opening fence in the markdown, for messages. */
  line: number;
}

/** Reads the seed post and returns its get-rollout output blocks. */
export function readBlogBlocks(file: string = BLOG_PATH): BlogBlock[] {
  return extractBlogBlocks(readFileSync(file, 'utf8'));
}

/** Every fenced block of `markdown` that is get-rollout output, parsed. */
export function extractBlogBlocks(markdown: string): BlogBlock[] {
  const blocks: BlogBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]?.startsWith('```')) continue;
    const open = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]?.startsWith('```'); i++) body.push(lines[i] ?? '');
    const text = body.join('\n');
    if (!isGetRolloutOutput(text)) continue;
    blocks.push({ index: blocks.length, line: open + 1, ...parseGetRolloutOutput(text) });
  }
  return blocks;
}

const TREE_HEADER = /^NAME\s+KIND\s+STATUS\s+AGE\s+INFO$/;
const SUMMARY_LABEL =
  /^ {0,2}(Name|Namespace|Status|Message|Strategy|Step|SetWeight|ActualWeight|Images|Replicas|Desired|Current|Updated|Ready|Available|Errors):/;
/** Continuation lines of Images: (and of Errors:) start at the value column. */
const VALUE_COLUMN = ' '.repeat(17);
const ROW = /^([│├└─ ]*)([⟳#⧉□αΣ⊞]) (.*)$/u;
const KIND_OF_GLYPH: Record<string, RowKind> = {
  '⟳': 'Rollout',
  '#': 'Revision',
  '⧉': 'ReplicaSet',
  '□': 'Pod',
  α: 'AnalysisRun',
  Σ: 'Experiment',
  '⊞': 'Job',
};
const STATUS_ICONS = new Set(['✔', '◌', '॥', '✖', '⚠', '?', '◷', '•']);
// Colour escapes start with ESC, a control character by design.
// eslint-disable-next-line no-control-regex -- ESC is part of the pattern
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;

function isGetRolloutOutput(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '' && l.trim() !== '...');
  return first !== undefined && (first.startsWith('Name:') || TREE_HEADER.test(first.trim()));
}

/** Parses one printed get-rollout output (the blog's or ours; colours are stripped). */
export function parseGetRolloutOutput(text: string): ParsedGetRollout {
  const lines = text
    .replace(ANSI, '')
    .split('\n')
    .map((l) => l.trimEnd());
  const result: ParsedGetRollout = { truncatedBefore: false };
  const summaryLines: string[] = [];
  const rowLines: string[] = [];
  let mode: 'start' | 'summary' | 'tree' = 'start';
  let truncated = false;
  for (const line of lines) {
    if (line.trim() === '...') {
      if (mode === 'start') result.truncatedBefore = true;
      else if (mode === 'tree') truncated = true;
      continue;
    }
    if (TREE_HEADER.test(line.trim())) {
      mode = 'tree';
      continue;
    }
    if (line === '') continue;
    if (mode === 'start' && line.startsWith('Name:')) mode = 'summary';
    if (mode === 'summary') {
      const isNew = SUMMARY_LABEL.test(line) || line.startsWith(VALUE_COLUMN) || summaryLines.length === 0;
      // A hard-wrapped line continues the previous one exactly where the terminal cut it.
      if (isNew) summaryLines.push(line);
      else summaryLines[summaryLines.length - 1] += line;
    } else if (mode === 'tree') {
      if (ROW.test(line) || rowLines.length === 0) rowLines.push(line);
      else rowLines[rowLines.length - 1] += line;
    }
  }
  if (summaryLines.length > 0) result.summary = parseSummary(summaryLines);
  if (mode === 'tree') result.tree = { truncated, rows: rowLines.map(parseRow) };
  return result;
}

function parseSummary(lines: string[]): ParsedSummary {
  const summary: ParsedSummary = {
    name: '',
    namespace: '',
    icon: '',
    status: '',
    message: '',
    strategy: '',
    step: '',
    setWeight: '',
    actualWeight: '',
    images: [],
    replicas: { desired: 0, current: 0, updated: 0, ready: 0, available: 0 },
  };
  let lastLabel = '';
  for (const line of lines) {
    const m = SUMMARY_LABEL.exec(line);
    const label = m?.[1] ?? lastLabel;
    const value = (m ? line.slice(m[0].length) : line).trim();
    lastLabel = label;
    switch (label) {
      case 'Name':
        summary.name = value;
        break;
      case 'Namespace':
        summary.namespace = value;
        break;
      case 'Status': {
        const [icon, status] = splitIcon(value);
        summary.icon = icon;
        summary.status = status;
        break;
      }
      case 'Message':
        summary.message = value;
        break;
      case 'Strategy':
        summary.strategy = value;
        break;
      case 'Step':
        summary.step = value;
        break;
      case 'SetWeight':
        summary.setWeight = value;
        break;
      case 'ActualWeight':
        summary.actualWeight = value;
        break;
      case 'Images': {
        const im = /^(\S+)(?: \((.*)\))?$/.exec(value);
        if (im?.[1]) summary.images.push({ image: im[1], tags: im[2] ? im[2].split(', ') : [] });
        break;
      }
      case 'Desired':
      case 'Current':
      case 'Updated':
      case 'Ready':
      case 'Available':
        summary.replicas[label.toLowerCase() as keyof ParsedSummary['replicas']] = Number(value);
        break;
      default:
        break;
    }
  }
  return summary;
}

/** "✖ Degraded" → ["✖", "Degraded"]; a cell without a known glyph has no icon. */
function splitIcon(cell: string): [string, string] {
  const [first, ...rest] = Array.from(cell);
  if (first !== undefined && STATUS_ICONS.has(first) && rest[0] === ' ')
    return [first, rest.slice(1).join('')];
  return ['', cell.trim()];
}

function parseRow(line: string): TreeRow {
  const m = ROW.exec(line);
  if (!m) throw new Error(`not a get-rollout tree row: ${JSON.stringify(line)}`);
  const prefix = m[1] ?? '';
  const kind = KIND_OF_GLYPH[m[2] ?? ''] ?? 'Rollout';
  const rest = m[3] ?? '';
  const nameEnd = rest.search(/\s|$/);
  const name = rest.slice(0, nameEnd);
  const cells = rest
    .slice(nameEnd)
    .trim()
    .split(/\s{2,}/)
    .filter((c) => c !== '');
  const depth = Array.from(prefix).length / 3;
  const row: TreeRow = {
    prefix,
    depth,
    last: prefix.endsWith('└──'),
    kind,
    name,
    icon: '',
    status: '',
    age: '',
    info: '',
  };
  if (kind === 'Revision') return row;
  // cells: KIND, "icon status", AGE, INFO…; the status cell is blank for unknown phases.
  let i = 1;
  const [icon, status] = splitIcon(cells[i] ?? '');
  if (icon !== '') {
    row.icon = icon;
    row.status = status;
    i++;
  }
  row.age = cells[i] ?? '';
  row.info = cells.slice(i + 1).join('  ');
  return row;
}

export interface CompareOptions {
  /**
   * Blog ReplicaSet hash → our hash. Share one Map across a whole story: a blog hash must map
   * to the same hash of ours every time, and no two blog hashes to one of ours.
   */
  hashes: Map<string, string>;
  /** Compare AGE cells too. Off by default: the blog's ages are wall-clock and hand-edited. */
  ages?: boolean;
}

/**
 * Differences between a blog block and our output, as readable lines; empty when they agree.
 * Ignores ages (unless asked), the random 5-character pod suffixes, and RS hashes (mapped
 * through `opts.hashes`). A truncated blog tree only has to appear in ours in order, and its
 * tree prefixes are not compared (the author's cuts leave ├── where └── would be).
 */
export function compareBlocks(
  blog: ParsedGetRollout,
  ours: ParsedGetRollout,
  opts: CompareOptions,
): string[] {
  const diffs: string[] = [];
  if (blog.summary) {
    if (ours.summary) diffs.push(...compareSummaries(blog.summary, ours.summary));
    else diffs.push('summary: missing in ours');
  }
  if (blog.tree) {
    if (!ours.tree) diffs.push('tree: missing in ours');
    else {
      const names = { blog: rolloutName(blog), ours: rolloutName(ours) };
      diffs.push(...compareTrees(blog.tree, ours.tree, names, opts));
    }
  }
  return diffs;
}

function compareSummaries(blog: ParsedSummary, ours: ParsedSummary): string[] {
  const diffs: string[] = [];
  const fields = [
    'name',
    'namespace',
    'icon',
    'status',
    'message',
    'strategy',
    'step',
    'setWeight',
    'actualWeight',
  ] as const;
  for (const f of fields) {
    if (blog[f] !== ours[f])
      diffs.push(`summary.${f}: blog ${JSON.stringify(blog[f])} ≠ ours ${JSON.stringify(ours[f])}`);
  }
  const images = (s: ParsedSummary): string => JSON.stringify(s.images);
  if (images(blog) !== images(ours))
    diffs.push(`summary.images: blog ${images(blog)} ≠ ours ${images(ours)}`);
  for (const [k, v] of Object.entries(blog.replicas)) {
    const o = ours.replicas[k as keyof ParsedSummary['replicas']];
    if (v !== o) diffs.push(`summary.replicas.${k}: blog ${v} ≠ ours ${o}`);
  }
  return diffs;
}

function rolloutName(p: ParsedGetRollout): string {
  return p.summary?.name ?? p.tree?.rows.find((r) => r.kind === 'Rollout')?.name ?? '';
}

interface NameShape {
  /** The name with the RS hash as <hash> and a pod's random suffix as *. */
  shape: string;
  hash?: string;
}

function nameShape(row: TreeRow, rollout: string): NameShape {
  if (row.kind === 'Rollout' || row.kind === 'Revision' || rollout === '') return { shape: row.name };
  const prefix = `${rollout}-`;
  if (!row.name.startsWith(prefix)) return { shape: row.name };
  const parts = row.name.slice(prefix.length).split('-');
  const hash = parts[0] ?? '';
  const rest = parts.slice(1);
  if (row.kind === 'Pod' && rest.length === 1 && rest[0]?.length === 5) rest[0] = '*';
  return { shape: [`${rollout}-<hash>`, ...rest].join('-'), hash };
}

function compareTrees(
  blog: ParsedTree,
  ours: ParsedTree,
  names: { blog: string; ours: string },
  opts: CompareOptions,
): string[] {
  const rowDiffs = (b: TreeRow, o: TreeRow, withPrefix: boolean): string[] => {
    const diffs: string[] = [];
    const bs = nameShape(b, names.blog);
    const os = nameShape(o, names.ours);
    if (bs.shape !== os.shape) {
      diffs.push(`name: blog ${b.name} ≠ ours ${o.name}`);
    } else if (bs.hash !== undefined && os.hash !== undefined) {
      const conflict = hashConflict(opts.hashes, bs.hash, os.hash);
      if (conflict) diffs.push(conflict);
    }
    const fields = ['kind', 'depth', 'icon', 'status', 'info'] as const;
    for (const f of fields)
      if (b[f] !== o[f]) diffs.push(`${f}: blog ${JSON.stringify(b[f])} ≠ ours ${JSON.stringify(o[f])}`);
    if (withPrefix && b.prefix !== o.prefix) diffs.push(`prefix: blog "${b.prefix}" ≠ ours "${o.prefix}"`);
    if (opts.ages && b.age !== o.age) diffs.push(`age: blog ${b.age} ≠ ours ${o.age}`);
    return diffs;
  };
  const bind = (b: TreeRow, o: TreeRow): void => {
    const bh = nameShape(b, names.blog).hash;
    const oh = nameShape(o, names.ours).hash;
    if (bh !== undefined && oh !== undefined && !opts.hashes.has(bh)) opts.hashes.set(bh, oh);
  };

  const diffs: string[] = [];
  if (!blog.truncated) {
    const n = Math.max(blog.rows.length, ours.rows.length);
    for (let i = 0; i < n; i++) {
      const b = blog.rows[i];
      const o = ours.rows[i];
      if (!b) diffs.push(`tree row ${i}: extra in ours: ${o?.name}`);
      else if (!o) diffs.push(`tree row ${i}: missing in ours: ${b.name}`);
      else {
        diffs.push(...rowDiffs(b, o, true).map((d) => `tree row ${i} (${b.kind} ${b.name}): ${d}`));
        bind(b, o);
      }
    }
    return diffs;
  }
  // Truncated: each blog row must match a later row of ours, in order.
  let j = 0;
  blog.rows.forEach((b, i) => {
    let k = j;
    while (k < ours.rows.length && rowDiffs(b, ours.rows[k] as TreeRow, false).length > 0) k++;
    const o = ours.rows[k];
    if (!o) {
      diffs.push(`tree row ${i} (${b.kind} ${b.name}): not found in ours after row ${j}`);
      return;
    }
    bind(b, o);
    j = k + 1;
  });
  return diffs;
}

/** The one-to-one rule for hashes; undefined when `blogHash → ourHash` is consistent. */
function hashConflict(hashes: Map<string, string>, blogHash: string, ourHash: string): string | undefined {
  const mapped = hashes.get(blogHash);
  if (mapped !== undefined) {
    return mapped === ourHash
      ? undefined
      : `hash: blog ${blogHash} is ours ${mapped} elsewhere, here ${ourHash}`;
  }
  for (const [b, o] of hashes) {
    if (o === ourHash) return `hash: ours ${ourHash} already stands for blog ${b}, here for ${blogHash}`;
  }
  return undefined;
}
