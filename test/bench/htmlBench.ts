// The blog run's HTML report (`canarysim demo --html`): its size against the 1 MB target, and
// how long headless chromium takes to load and draw it (navigation to the load event: the charts
// draw before it) against the 1 s target, beside a blank page loaded the same way in the same
// browser — min / median / max over the runs, and the ratio of the medians.
//
//   node dist/test/bench/htmlBench.js      (BENCH_RUNS=N for more rounds; default 5)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../cli/runCli.js';
import { CHROMIUM, chromiumAvailable, drawnCharts, openOffline } from '../html/chromium.js';
import { fmt, stats } from './stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const root = packageRoot();

console.log("The blog run's HTML report (canarysim demo --html)");
const tmp = mkdtempSync(path.join(tmpdir(), 'canarysim-htmlbench-'));
try {
  const report = path.join(tmp, 'blog.html');
  const blank = path.join(tmp, 'blank.html');
  writeFileSync(
    blank,
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>blank</title><p>blank</p></html>\n',
  );
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'dist/bundle/main.js'), 'demo', '--quiet', '--html', report],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (r.status !== 0) throw new Error(`canarysim demo --html exited ${r.status}`);
  const bytes = statSync(report).size;
  console.log(
    `  size:                ${(bytes / 1024).toFixed(1)} KiB   (target < 1 MB = 1,000 KB; uPlot inlined is 51 KB)`,
  );
  if (!chromiumAvailable()) {
    console.log(`  render: not measured: ${CHROMIUM} is absent (apt-get install chromium)`);
  } else {
    const page = await openOffline(report);
    try {
      const charts = await drawnCharts(page.page);
      if (page.errors.length || charts.some((c) => c.inked === 0)) throw new Error('the report did not draw');
      // The page's own clock: navigation start to the end of the load event.
      const load = async (file: string) => {
        await page.page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        return page.page.evaluate<number>("performance.getEntriesByType('navigation')[0].loadEventEnd");
      };
      await load(report);
      await load(blank);
      const drawn: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        base.push(await load(blank));
        drawn.push(await load(report));
      }
      const d = stats(drawn);
      const b = stats(base);
      console.log(`  load and draw (${charts.length} charts): ${fmt(d, 'ms', 1)}   (target < 1000 ms)`);
      console.log(`  baseline, a blank page: ${fmt(b, 'ms', 1)}`);
      console.log(`  ratio report/blank:  ${(d.median / b.median).toFixed(1)}× (median)`);
    } finally {
      await page.close();
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
