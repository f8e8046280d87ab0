// `--html FILE`: the report's data comes from the run (the recorder's frames, the TSDB, the JSON
// report), the page is self-contained and byte-identical for the same run and seed, and a bad
// path is one clear error (exit 2) before anything runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunCharts } from '../../cli/html/buildRunCharts.js';
import { conditionThresholds } from '../../cli/html/conditionThresholds.js';
import { renderReportHtml } from '../../cli/html/renderReportHtml.js';
import type { RunCharts } from '../../cli/html/RunCharts.js';
import { TimelineRecorder } from '../../cli/html/TimelineRecorder.js';
import { loadScenario } from '../../cli/scenario/loadScenario.js';
import { buildReport } from '../../cli/scenario/report.js';
import { runScenario } from '../../cli/scenario/runScenario.js';
import { cliInRepo } from '../helpers/cliInRepo.js';
import { BLOG_SCENARIO, REPO_ROOT } from '../helpers/runScenarioFile.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'canarysim-html-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = cliInRepo;

async function blogCharts(
  withRecorder = true,
  file = BLOG_SCENARIO,
): Promise<{ charts: RunCharts; json: string }> {
  const { scenario, fs } = loadScenario(file, { root: REPO_ROOT });
  const recorder = new TimelineRecorder();
  const result = await runScenario(scenario, fs, {
    emit: (e) => (withRecorder ? recorder.event(e) : undefined),
    onWorld: (w) => (withRecorder ? recorder.attach(w) : undefined),
  });
  const report = buildReport(scenario, scenario.settings.seed, result);
  return { charts: buildRunCharts(report, result.world, recorder), json: JSON.stringify(report) };
}

describe('conditionThresholds', () => {
  it.each([
    ['result[0] >= 0.95', [{ op: '>=', value: 0.95 }]],
    ['0.95 <= result[0]', [{ op: '>=', value: 0.95 }]],
    ['len(result) > 0 && result[0] < -1e3', [{ op: '<', value: -1000 }]],
    ['all(result, {# > 2})', [{ op: '>', value: 2 }]],
    ['asFloat(result[0].value) != 10', [{ op: '!=', value: 10 }]],
    ['result[0] > result[1]', []],
    ['len(result) == 0', []],
    ['this is not a condition (', []],
  ])('%s', (condition, want) => {
    expect(conditionThresholds(condition)).toEqual(want);
  });
});

describe('the blog run as the HTML report draws it', () => {
  let charts: RunCharts;
  beforeAll(async () => {
    charts = (await blogCharts()).charts;
  });

  it('has the rollout, its versions and the weights the story set, from the run', () => {
    expect(charts.rollouts.map((r) => `${r.namespace}/${r.name}`)).toEqual(['a-team/silly-demo']);
    const r = charts.rollouts[0]!;
    expect(r.versions).toEqual(['1.4.126', '1.4.127', '1.4.128', '1.4.129']);
    const w = r.weights;
    const at = (version: string, t: number) => {
      const i = w.t.findLastIndex((x) => x <= t);
      return w.series.find((s) => s.version === version)!.values[i];
    };
    // The Istio canary: 1.4.127 at 20 % (VirtualService weight) at 258.896 s, then 40 % after promote.
    expect(at('1.4.127', 259)).toBe(20);
    expect(at('1.4.126', 259)).toBe(80);
    expect(at('1.4.127', 262)).toBe(40);
    // The end: aborted, 1.4.129 back to 0 %, the stable 1.4.126 at 100 %.
    expect(at('1.4.129', 2100)).toBe(0);
    expect(at('1.4.126', 2100)).toBe(100);
    expect(w.t[w.t.length - 1]).toBe(2100);
  });

  it('charts ready pods per ReplicaSet, as the report ends', () => {
    const pods = charts.rollouts[0]!.pods;
    const last = (label: string) => pods.series.find((s) => s.label.startsWith(label))!.values.at(-1);
    expect(last('1.4.126 (silly-demo-8b5546bf)')).toBe(5);
    expect(last('1.4.129')).toBe(0);
  });

  it('reads rates and success rates per version from the TSDB: 1.4.129 fails every request', () => {
    const r = charts.rollouts[0]!;
    const success = r.successRate!.series.find((s) => s.version === '1.4.129')!;
    const seen = success.values.filter((v) => v !== null);
    expect(seen.length).toBeGreaterThan(5);
    expect(Math.max(...(seen as number[]))).toBe(0);
    const stable = r
      .successRate!.series.find((s) => s.version === '1.4.126')!
      .values.filter((v) => v !== null);
    expect(Math.min(...(stable as number[]))).toBe(1);
    // hey at ~6,950 req/s: the stable's rate with the whole load on it.
    const rate = r.requestRate!.series.find((s) => s.version === '1.4.126')!.values;
    expect(Math.max(...(rate.filter((v) => v !== null) as number[]))).toBeGreaterThan(6000);
    expect(r.p99!.series.length).toBeGreaterThan(0);
    expect(r.queries.step).toBe(30);
  });

  it('has each measurement with its verdict and threshold, the markers, and explain', () => {
    const r = charts.rollouts[0]!;
    expect(r.analysis.map((a) => [a.run, a.phase, a.points.map((p) => [p.values, p.phase])])).toEqual([
      ['silly-demo-8b5546bf-3', 'Successful', [[[1], 'Successful']]],
      ['silly-demo-67f6f45f54-4', 'Failed', [[[0], 'Failed']]],
    ]);
    expect(r.analysis[0]!.conditions[0]!.thresholds).toEqual([{ op: '>=', value: 0.95 }]);
    const kinds = new Set(r.markers.map((m) => m.kind));
    for (const k of ['step', 'pause', 'resume', 'abort', 'complete', 'update', 'command'] as const)
      expect(kinds).toContain(k);
    expect(r.markers.filter((m) => m.kind === 'command').map((m) => m.label)).toEqual([
      'promote',
      'abort',
      'promote',
    ]);
    expect(r.explain).toContain('Background analysis silly-demo-67f6f45f54-4 (revision 4) → Failed');
  });

  it('is the same run with the recorder as without it (the JSON report is byte-identical)', async () => {
    const a = await blogCharts(true);
    const b = await blogCharts(false);
    expect(a.json).toBe(b.json);
  });
});

describe('a blue-green rollout as the HTML report draws it', () => {
  it('gives the active version 100 % and the preview none', async () => {
    const { charts } = await blogCharts(
      true,
      path.join(REPO_ROOT, 'scenarios/drills/blue-green/scenario.yaml'),
    );
    const w = charts.rollouts[0]!.weights;
    const last = (v: string) => w.series.find((s) => s.version === v)!.values.at(-1);
    expect(last('1.4.127')).toBe(100);
    expect(w.series.find((s) => s.version === '1.4.129')!.values.filter((v) => v !== null && v > 0)).toEqual(
      [],
    );
    expect(charts.rollouts[0]!.markers.filter((m) => m.kind === 'command').map((m) => m.label)).toContain(
      'promote',
    );
  });
});

describe('--html FILE', () => {
  it('writes one self-contained page, byte-identical for the same run and seed', async () => {
    const f1 = path.join(tmp, 'a.html');
    const f2 = path.join(tmp, 'b.html');
    expect((await cli(['run', 'scenarios/blog', '--quiet', '--html', f1])).code).toBe(0);
    expect((await cli(['demo', '--quiet', '--html', f2])).code).toBe(0);
    const html = readFileSync(f1, 'utf8');
    expect(readFileSync(f2, 'utf8')).toBe(html);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).toContain("default-src 'none'");
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
  });

  it('on test: one page with a section per scenario, the same in process and on worker threads (dist/)', async () => {
    const f1 = path.join(tmp, 'suite1.html');
    const f2 = path.join(tmp, 'suite2.html');
    const args = [
      'test',
      'test/fixtures/suite/promoted.yaml',
      'test/fixtures/suite/aborted.yaml',
      '--root',
      '.',
    ];
    expect((await cli([...args, '--jobs', '1', '--html', f1])).code).toBe(1);
    const main = path.join(REPO_ROOT, 'dist/cli/main.js');
    const p = spawnSync(process.execPath, [main, ...args, '--jobs', '2', '--html', f2], { cwd: REPO_ROOT });
    expect(p.status).toBe(1);
    const html = readFileSync(f1, 'utf8');
    expect(readFileSync(f2, 'utf8')).toBe(html);
    expect(html.match(/<section class="scenario"/g)).toHaveLength(2);
    expect(html).toContain('1 passed, 1 failed');
  });

  it.each([
    [
      ['run', 'scenarios/blog', '--html', '/nonexistent-dir/r.html'],
      '--html /nonexistent-dir/r.html: cannot write: folder /nonexistent-dir does not exist',
    ],
    [['demo', '--html', '.'], '--html .: cannot write: it is a folder (expected a file name)'],
    [
      ['test', 'test/fixtures/suite/promoted.yaml', '--html', '/nonexistent-dir/r.html'],
      '--html /nonexistent-dir/r.html: cannot write: folder /nonexistent-dir does not exist',
    ],
    [
      ['demo', '--json', 'x.json', '--html', 'x.json'],
      '--html x.json: the same file as --json; expected another file name',
    ],
  ])('%j is refused before the run (exit 2)', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`canarysim: ${message}\n`);
    expect(r.out).toBe('');
  });
});

describe('renderReportHtml', () => {
  it('escapes what it prints and keeps the embedded data from closing its script', () => {
    const run: RunCharts = {
      name: '<b>x</b></script>',
      file: 'a&b.yaml',
      seed: 1,
      passed: true,
      startTime: '2024-01-01T00:00:00.000Z',
      simulatedSeconds: 10,
      expectations: [],
      rollouts: [],
    };
    const html = renderReportHtml([run]);
    expect(html).toContain('&#60;b&#62;x&#60;/b&#62;&#60;/script&#62;');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('\\u003c/script>');
    expect(html.match(/<\/script>/g)).toHaveLength(4);
  });
});
