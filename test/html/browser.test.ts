// The HTML report in a real browser: Debian's chromium, headless, offline (every request but the
// file refused), a fresh profile. Every chart must draw — no console errors, ink on its canvas,
// the versions in its legend. CI installs chromium (.ci/run); without it these tests are skipped
// and say why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInRepo } from '../helpers/cliInRepo.js';
import {
  CHROMIUM,
  chromiumAvailable,
  drawnCharts,
  openOffline,
  type DrawnChart,
  type OfflinePage,
} from './chromium.js';

const available = chromiumAvailable();
if (!available)
  console.warn(`test/html/browser.test.ts: skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

const tmp = mkdtempSync(path.join(tmpdir(), 'canarysim-browser-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = async (args: string[]) => (await cliInRepo(args)).code;

describe.skipIf(!available)("the blog run's HTML report in headless chromium, offline", () => {
  let opened: OfflinePage;
  let charts: DrawnChart[];
  beforeAll(async () => {
    const file = path.join(tmp, 'blog.html');
    expect(await cli(['demo', '--quiet', '--html', file])).toBe(0);
    opened = await openOffline(file);
    charts = await drawnCharts(opened.page);
  }, 120_000);
  afterAll(() => opened?.close());

  it('loads with no console error and asks the network for nothing', () => {
    expect(opened.errors).toEqual([]);
    expect(opened.blocked).toEqual([]);
  });

  it('draws every chart: weights, rates, success, p99, pods and both analysis runs', () => {
    expect(charts.map((c) => c.id)).toEqual([
      'c-0-0-weights',
      'c-0-0-rate',
      'c-0-0-success',
      'c-0-0-p99',
      'c-0-0-pods',
      'c-0-0-analysis-0',
      'c-0-0-analysis-1',
    ]);
    for (const c of charts) {
      expect(c.canvases, c.id).toBeGreaterThan(0);
      // Axes, grid and lines: thousands of pixels; a chart that drew nothing has none.
      expect(c.inked, c.id).toBeGreaterThan(2000);
    }
  });

  it('lists the versions in the legends, and the verdicts in the analysis charts', () => {
    const legend = (id: string) => charts.find((c) => c.id === id)!.legend;
    expect(legend('c-0-0-weights')).toEqual(['time', '1.4.126', '1.4.127', '1.4.128', '1.4.129']);
    expect(legend('c-0-0-success')).toEqual(['time', '1.4.126', '1.4.127', '1.4.129']);
    expect(legend('c-0-0-pods')).toContain('1.4.129 (silly-demo-67f6f45f54)');
    expect(legend('c-0-0-analysis-1')).toEqual(['time', 'Successful', 'Failed', 'Inconclusive', 'Error']);
  });

  it('puts explain beside the analysis it explains', async () => {
    const text = await opened.page.locator('.pair .explain').first().textContent();
    expect(text).toContain('Background analysis silly-demo-67f6f45f54-4 (revision 4) → Failed');
  });
});

describe.skipIf(!available)('the offline guard', () => {
  it('refuses and counts what a page would fetch, and hears its console errors', async () => {
    const file = path.join(tmp, 'fetches.html');
    writeFileSync(
      file,
      '<!doctype html><img src="http://127.0.0.1:9/x.png"><script src="other.js"></script><script>console.error("boom")</script>',
    );
    const opened = await openOffline(file);
    try {
      expect(opened.blocked.sort()).toEqual(
        ['http://127.0.0.1:9/x.png', pathToFileURL(path.join(tmp, 'other.js')).href].sort(),
      );
      expect(opened.errors).toContain('boom');
    } finally {
      await opened.close();
    }
  });
});
