import { formatGoDuration } from '../../go/duration.js';
import { escapeHtml, htmlPage } from './htmlPage.js';

/**
 * A sweep's result as the HTML renderer takes it: a grid of cells over named axes. Plain data —
 * `canarysim sweep --json` (docs/sweep.md) converts to it with `sweepGridOfJson`.
 *
 *   axes:  [{key: 'apps[0].errors', values: ['0%', '1%', '5%']}, {key: '…successCondition', values: ['0.9', '0.95']}]
 *   cells: [{coords: [0, 1], runs: 40, pAbort: 0.05, …}, …]   coords index each axis's values
 *
 * One axis draws one row of cells; two draw rows (the first axis) by columns (the second); every
 * further axis draws another table for each of its values.
 */
export interface SweepGrid {
  /** The heading: the scenario and its seed, say. */
  title: string;
  axes: { key: string; values: string[] }[];
  cells: SweepCell[];
  /** The sample-size advisor's warnings (`advisor` of the JSON), shown under the heatmaps; none: nothing. */
  advisor?: string[];
}

export interface SweepCell {
  /** An index into each axis's values, in axis order. */
  coords: number[];
  runs: number;
  /** Share of the runs that aborted (0..1), and its 95 % interval when known. */
  pAbort: number;
  pAbortInterval?: [number, number] | null;
  /** Simulated seconds from the update to the abort over the aborted runs; null when none aborted. */
  medianTimeToAbortSeconds: number | null;
  p95TimeToAbortSeconds: number | null;
  /** User requests the canary answered with a 5xx before the abort (median, p95); null when none aborted. */
  blastRadiusMedian: number | null;
  blastRadiusP95: number | null;
  /** A healthy version: every abort of it is a false abort. */
  healthy: boolean;
}

/** The fields of `canarysim sweep --json` (docs/sweep.md, schema version 1) the grid reads. */
export interface SweepJson {
  scenario: string;
  seed: number;
  seedsPerCell: number;
  vary: { key: string; values: string[] }[];
  mutants: { name: string; description?: string }[] | null;
  advisor?: string[];
  cells: {
    values: Record<string, string>;
    mutant?: string;
    healthy: boolean;
    runs: number;
    abort: { k: number; p: number; low: number; high: number };
    timeToAbort: { median: number; p95: number } | null;
    errorsBeforeAbort: { median: number; p95: number } | null;
  }[];
}

/** A sweep's JSON as a grid: its --vary keys are the axes; with --mutants, the mutant is the first. */
export function sweepGridOfJson(j: SweepJson): SweepGrid {
  const mutants = j.mutants?.map((m) => m.name) ?? null;
  const axes = [...(mutants ? [{ key: 'mutant', values: mutants }] : []), ...j.vary];
  return {
    title: `${j.scenario} — seed ${j.seed}, ${j.seedsPerCell} runs per cell`,
    axes,
    advisor: j.advisor ?? [],
    cells: j.cells.map((c) => ({
      coords: [
        ...(mutants ? [Math.max(0, mutants.indexOf(c.mutant ?? ''))] : []),
        ...j.vary.map((a) => Math.max(0, a.values.indexOf(c.values[a.key] ?? ''))),
      ],
      runs: c.runs,
      pAbort: c.abort.p,
      pAbortInterval: [c.abort.low, c.abort.high],
      medianTimeToAbortSeconds: c.timeToAbort?.median ?? null,
      p95TimeToAbortSeconds: c.timeToAbort?.p95 ?? null,
      blastRadiusMedian: c.errorsBeforeAbort?.median ?? null,
      blastRadiusP95: c.errorsBeforeAbort?.p95 ?? null,
      healthy: c.healthy,
    })),
  };
}

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1400px; padding: 0 16px 48px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 17px; margin-top: 28px; } h3 { font-size: 14px; color: #555; }
table.heat { border-collapse: collapse; margin: 8px 0 4px; } .heat th, .heat td { border: 1px solid #fff; padding: 6px 10px; text-align: center; }
.heat th { background: #f0f0f0; font-weight: 600; } .heat td { min-width: 84px; font-variant-numeric: tabular-nums; }
.heat td small { display: block; font-size: 11px; opacity: 0.85; } .heat th.healthy { background: #dff0d8; }
.none { background: #eee; color: #777; } .meta { color: #555; } .scale span { display: inline-block; width: 28px; height: 10px; }
code { font-family: ui-monospace, Menlo, monospace; }
`;

/** White → red as `p` goes 0 → 1 (P(abort)). */
export function abortColor(p: number): string {
  const x = Math.min(1, Math.max(0, p));
  return `rgb(255, ${Math.round(255 - 200 * x)}, ${Math.round(255 - 215 * x)})`;
}

/** Dark blue (fast) → pale (slow) over [min, max] seconds; with no range, mid-tone. */
export function timeColor(s: number, min: number, max: number): string {
  const x = max > min ? (s - min) / (max - min) : 0.5;
  return `rgb(${Math.round(30 + 200 * x)}, ${Math.round(90 + 150 * x)}, ${Math.round(180 + 70 * x)})`;
}

/** Black or white text, whichever reads on the background. */
function ink(rgb: string): string {
  const [r, g, b] = (rgb.match(/\d+/g) ?? ['0', '0', '0']).map(Number);
  return 0.299 * r! + 0.587 * g! + 0.114 * b! > 150 ? '#222' : '#fff';
}

const pct = (p: number) => `${(p * 100).toFixed(p > 0 && p < 0.1 ? 1 : 0)} %`;
const dur = (s: number) => formatGoDuration(Math.round(s) * 1000);

/**
 * A sweep as one self-contained page: heatmaps of P(abort) and of the median time to abort over
 * the grid (the p95 and the blast radius in each cell), and the false-abort row — P(abort) of
 * every healthy cell. Tables, not canvases: they read without a script and copy as text. Pure:
 * the same grid gives the same bytes.
 */
export function renderSweepHtml(grid: SweepGrid): string {
  const cellAt = new Map(grid.cells.map((c) => [c.coords.join(','), c]));
  const times = grid.cells.flatMap((c) =>
    c.medianTimeToAbortSeconds === null ? [] : [c.medianTimeToAbortSeconds],
  );
  // From 0: 5m4s and 5m5s look alike, as they are.
  const [tMin, tMax] = [0, Math.max(0, ...times)];
  const [rows, cols, ...rest] = grid.axes;
  const rowAxis = rows ?? { key: '', values: [''] };
  const colAxis = cols ?? { key: '', values: [''] };
  // Every combination of the axes past the second: a table each.
  let pages: number[][] = [[]];
  for (const a of rest) pages = pages.flatMap((p) => a.values.map((_, i) => [...p, i]));

  const table = (
    page: number[],
    cellHtml: (c: SweepCell) => { bg: string; text: string } | undefined,
  ): string => {
    const head = `<tr><th>${escapeHtml(rowAxis.key)}${colAxis.key ? ` \\ ${escapeHtml(colAxis.key)}` : ''}</th>${colAxis.values.map((v) => `<th>${escapeHtml(v)}</th>`).join('')}</tr>`;
    const body = rowAxis.values
      .map((rv, r) => {
        const cells = colAxis.values.map((_, c) => {
          const coords = [...(rows ? [r] : []), ...(cols ? [c] : []), ...page];
          const cell = cellAt.get(coords.join(','));
          const h = cell && cellHtml(cell);
          return h
            ? `<td style="background: ${h.bg}; color: ${ink(h.bg)}">${h.text}</td>`
            : '<td class="none">–</td>';
        });
        const healthy = colAxis.values.some(
          (_, c) => cellAt.get([...(rows ? [r] : []), ...(cols ? [c] : []), ...page].join(','))?.healthy,
        );
        return `<tr><th${healthy ? ' class="healthy" title="a healthy version: its aborts are false aborts"' : ''}>${escapeHtml(rv)}${healthy ? ' (healthy)' : ''}</th>${cells.join('')}</tr>`;
      })
      .join('');
    const where = page.map((v, i) => `${escapeHtml(rest[i]!.key)} = ${escapeHtml(rest[i]!.values[v]!)}`);
    return `${where.length ? `<h3>${where.join(', ')}</h3>` : ''}<table class="heat">${head}${body}</table>`;
  };

  const abortTables = pages
    .map((p) =>
      table(p, (c) => ({
        bg: abortColor(c.pAbort),
        text: `${pct(c.pAbort)}<small>${c.pAbortInterval ? `${pct(c.pAbortInterval[0])}–${pct(c.pAbortInterval[1])}, ` : ''}${c.runs} runs</small>`,
      })),
    )
    .join('');
  const timeTables = pages
    .map((p) =>
      table(p, (c) =>
        c.medianTimeToAbortSeconds === null
          ? undefined
          : {
              bg: timeColor(c.medianTimeToAbortSeconds, tMin, tMax),
              text: `${dur(c.medianTimeToAbortSeconds)}<small>p95 ${c.p95TimeToAbortSeconds === null ? '–' : dur(c.p95TimeToAbortSeconds)}${c.blastRadiusMedian === null ? '' : ` · ${c.blastRadiusMedian} (p95 ${c.blastRadiusP95 ?? '–'}) 5xx`}</small>`,
            },
      ),
    )
    .join('');
  const healthy = grid.cells.filter((c) => c.healthy);
  const name = (c: SweepCell) =>
    c.coords
      .map((v, i) => `${escapeHtml(grid.axes[i]!.key)}=${escapeHtml(grid.axes[i]!.values[v]!)}`)
      .join(', ');
  const falseAbort = healthy.length
    ? `<table class="heat"><tr><th>false aborts</th>${healthy.map((c) => `<th><code>${name(c)}</code></th>`).join('')}</tr><tr><th>P(abort) of a healthy version</th>${healthy
        .map((c) => {
          const bg = abortColor(c.pAbort);
          return `<td style="background: ${bg}; color: ${ink(bg)}">${pct(c.pAbort)}<small>${c.pAbortInterval ? `${pct(c.pAbortInterval[0])}–${pct(c.pAbortInterval[1])}, ` : ''}${c.runs} runs</small></td>`;
        })
        .join('')}</tr></table>`
    : '<p class="meta">No cell is marked healthy (sweep --healthy KEY=V), so no false-abort rate.</p>';
  const scale = [0, 0.25, 0.5, 0.75, 1]
    .map((p) => `<span style="background: ${abortColor(p)}"></span>`)
    .join('');
  const body = `<h1>canarysim sweep: ${escapeHtml(grid.title)}</h1>
<p class="meta">${grid.cells.length} cells, ${grid.cells.reduce((a, c) => a + c.runs, 0)} runs. Cells without a value show –.</p>
<h2>P(abort)</h2><p class="meta scale">0 % ${scale} 100 %; under each, the 95 % interval and the runs</p>${abortTables}
<h2>Time to abort (median)</h2><p class="meta">simulated time from the update to the abort, over the aborted runs; under it the p95 and the blast radius (the canary's 5xx answers before the abort, median and p95); darker is sooner</p>${timeTables}
<h2>False aborts</h2>${falseAbort}${
    grid.advisor?.length
      ? `<h2>Sample size</h2><p class="meta">lint's low-sample-size warnings at each cell's traffic</p><ul>${grid.advisor.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`
      : ''
  }`;
  return htmlPage({ title: `canarysim sweep: ${grid.title}`, css: CSS, body, scripts: [], uplot: false });
}
