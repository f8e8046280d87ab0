// Debian's chromium, headless, driven by playwright-core (which downloads no browser): the one
// place the browser tests (test/html, test/browser), the bench rows and the screenshot scripts
// start it. A report opens offline, from a fresh profile, every request that is not the file
// itself refused and counted; the live view opens in a plain browser against serve's API.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Why the browser tests skip, or undefined when they can run. */
export function chromiumMissing(): string | undefined {
  return chromiumAvailable()
    ? undefined
    : `${CHROMIUM} is absent: install Debian's chromium (apt-get install chromium; .ci/run does) to run the browser tests`;
}

/** Headless chromium as CI runs it: no sandbox (containers), no GPU, nothing fetched from Google. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface OfflinePage {
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** Every request other than a navigation to a file: refused, and a page that needs one is not self-contained. */
  blocked: string[];
  /** Wall ms from navigation to the load event (the scripts that draw run before it). */
  loadMs: number;
  close(): Promise<void>;
}

/** Opens `file` (a path) in a fresh headless chromium with the network cut off. */
export async function openOffline(
  file: string,
  viewport = { width: 1400, height: 900 },
): Promise<OfflinePage> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'canarysim-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport,
      offline: true,
    });
    const url = pathToFileURL(path.resolve(file)).href;
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const req = route.request();
      const u = req.url();
      // A page opened by a path; anything it fetches (a file too) is not self-contained.
      if (req.isNavigationRequest() && u.startsWith('file:')) return route.continue();
      blocked.push(u);
      return route.abort('blockedbyclient');
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'load' });
    const loadMs = performance.now() - t0;
    const ctx = context;
    return {
      page,
      errors,
      blocked,
      loadMs,
      close: async () => {
        await ctx.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

/** What each chart of a report drew: its element's id, canvases, pixels that are not blank, legend labels. */
export interface DrawnChart {
  id: string;
  canvases: number;
  inked: number;
  legend: string[];
}

/**
 * Every `.chart` of the page: how many of its canvas pixels are neither transparent nor white
 * (a chart that drew nothing has none), and its legend's series labels.
 */
export function drawnCharts(page: Page): Promise<DrawnChart[]> {
  // Text, not a function: the project's types have no DOM.
  return page.evaluate<DrawnChart[]>(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('.chart')) {
      const canvases = [...el.querySelectorAll('canvas')];
      let inked = 0;
      for (const c of canvases) {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4)
          if (d[i + 3] > 0 && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) inked++;
      }
      const legend = [...el.querySelectorAll('.u-legend .u-series .u-label')].map((l) => l.textContent);
      out.push({ id: el.id, canvases: canvases.length, inked, legend });
    }
    return out;
  })()`);
}
