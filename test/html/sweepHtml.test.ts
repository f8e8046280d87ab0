// The sweep's HTML renderer: a pure function of the grid. The fixture is what `canarysim sweep
// --json` wrote on its branch for the blog's sweep (error share × success threshold, 8 seeds,
// runs left out): the adapter reads it, the heatmaps show its numbers, and chromium opens the
// page offline without an error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  abortColor,
  renderSweepHtml,
  sweepGridOfJson,
  type SweepGrid,
  type SweepJson,
} from '../../cli/html/renderSweepHtml.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { chromiumAvailable, openOffline } from './chromium.js';

const json = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'test/fixtures/sweep-blog.json'), 'utf8'),
) as SweepJson;
const tmp = mkdtempSync(path.join(tmpdir(), 'canarysim-sweephtml-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cell = (coords: number[], pAbort: number, extra: Partial<SweepGrid['cells'][number]> = {}) => ({
  coords,
  runs: 10,
  pAbort,
  medianTimeToAbortSeconds: pAbort > 0 ? 300 : null,
  p95TimeToAbortSeconds: pAbort > 0 ? 330 : null,
  blastRadiusMedian: pAbort > 0 ? 9 : null,
  blastRadiusP95: pAbort > 0 ? 12 : null,
  healthy: false,
  ...extra,
});

describe('sweepGridOfJson', () => {
  it('turns the sweep JSON into axes and coordinates', () => {
    const g = sweepGridOfJson(json);
    expect(g.axes.map((a) => [a.key, a.values])).toEqual([
      ['apps[0].errors', ['0%', '2%', '10%']],
      ['ClusterAnalysisTemplate/success-rate:spec.metrics[0].successCondition', ['0.9', '0.95']],
    ]);
    expect(g.cells.map((c) => [c.coords, c.pAbort, c.healthy])).toEqual([
      [[0, 0], 0, true],
      [[0, 1], 0, true],
      [[1, 0], 0, false],
      [[1, 1], 0.25, false],
      [[2, 0], 0.5, false],
      [[2, 1], 0.625, false],
    ]);
    expect(g.cells[3]!.medianTimeToAbortSeconds).toBe(304.724);
    expect(g.cells[3]!.blastRadiusMedian).toBe(9);
  });

  it('makes the mutants the first axis', () => {
    const g = sweepGridOfJson({
      ...json,
      vary: [],
      mutants: [{ name: 'healthy' }, { name: '5xx +1%' }],
      cells: [
        { ...json.cells[0]!, values: {}, mutant: 'healthy' },
        { ...json.cells[5]!, values: {}, mutant: '5xx +1%' },
      ],
    });
    expect(g.axes).toEqual([{ key: 'mutant', values: ['healthy', '5xx +1%'] }]);
    expect(g.cells.map((c) => c.coords)).toEqual([[0], [1]]);
  });
});

describe('sweep --html FILE', () => {
  it('writes the heatmaps of the sweep it played (dist/, on worker threads)', () => {
    const file = path.join(tmp, 'played.html');
    const p = spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist/cli/main.js'),
        'sweep',
        'scenarios/blog/sweep.yaml',
        '--vary',
        'apps[0].errors=0%,10%',
        '--healthy',
        'apps[0].errors=0%',
        '--seeds',
        '2',
        '--html',
        file,
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h1>canarysim sweep: scenarios/blog/sweep.yaml — seed 1, 2 runs per cell</h1>');
    expect(html.match(/<table class="heat">/g)).toHaveLength(3);
    expect(html).toContain('0% (healthy)');
  });
});

describe('renderSweepHtml', () => {
  it('draws P(abort), time to abort and the false-abort row from the grid', () => {
    const html = renderSweepHtml(sweepGridOfJson(json));
    const tables = html.match(/<table class="heat">/g);
    expect(tables).toHaveLength(3);
    // P(abort) 62.5 % with its interval; the median time to abort of that cell.
    expect(html).toContain(`<td style="background: ${abortColor(0.625)}`);
    expect(html).toMatch(/63 %<small>31 %–86 %, 8 runs<\/small>/);
    expect(html).toContain('5m5s<small>p95 5m5s · 9 (p95 12) 5xx</small>');
    // The healthy rows are marked, and their P(abort) is the false-abort row.
    expect(html.match(/\(healthy\)<\/th>/g)).toHaveLength(2);
    expect(html).toContain('<th>P(abort) of a healthy version</th>');
    // No script at all: a page of tables.
    expect(html).not.toContain('<script');
    expect(renderSweepHtml(sweepGridOfJson(json))).toBe(html);
  });

  it('draws a table per value of a third axis, – where a cell is missing, and escapes keys', () => {
    const html = renderSweepHtml({
      title: '<x>',
      axes: [
        { key: 'a<b', values: ['1', '2'] },
        { key: 'c', values: ['x'] },
        { key: 'd', values: ['p', 'q'] },
      ],
      cells: [cell([0, 0, 0], 0.5), cell([1, 0, 1], 1, { healthy: true })],
    });
    expect(html).toContain('<h3>d = p</h3>');
    expect(html).toContain('<h3>d = q</h3>');
    expect(html).toContain('a&#60;b');
    expect(html).not.toContain('<x>');
    expect(html.match(/<td class="none">–<\/td>/g)!.length).toBeGreaterThanOrEqual(4);
    expect(html).toContain('<code>a&#60;b=2, c=x, d=q</code>');
  });

  it('says when no cell is healthy, and handles a single axis', () => {
    const html = renderSweepHtml({
      title: 't',
      axes: [{ key: 'k', values: ['a', 'b'] }],
      cells: [cell([0], 0), cell([1], 0.2)],
    });
    expect(html).toContain('No cell is marked healthy');
    expect(html.match(/<tr>/g)!.length).toBeGreaterThan(3);
  });

  it.skipIf(!chromiumAvailable())('opens offline in headless chromium with no error', async () => {
    const file = path.join(tmp, 'sweep.html');
    writeFileSync(file, renderSweepHtml(sweepGridOfJson(json)));
    const opened = await openOffline(file);
    try {
      expect(opened.errors).toEqual([]);
      expect(opened.blocked).toEqual([]);
      expect(await opened.page.locator('table.heat').count()).toBe(3);
    } finally {
      await opened.close();
    }
  });
});
