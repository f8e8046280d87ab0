import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import {
  chromiumMissing,
  launchChromium,
  NS,
  startLiveViewSession,
  type LiveViewSession,
  type Page,
  until,
  untilSelector,
} from '../interop/liveViewSession.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the live view's browser tests: ${missing}`);

/**
 * The live view in a real browser (Debian's headless Chromium): a trainer's session — promote
 * from the page and watch the step advance, turn a fault on for the canary and watch red bubbles
 * and the abort — with two pages open at once, and no console error on either.
 */
describe.skipIf(missing !== undefined)('live view in Chromium', () => {
  let session: LiveViewSession;
  let browser: Browser;
  let page: Page;
  let second: Page;
  const problems: string[] = [];
  const watch = (p: Page, name: string) => {
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`${name} console ${m.type()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`${name} page error: ${e.message}`));
  };
  const stepOf = (p: Page) =>
    p.evaluate<number | null>(`(() => {
    const li = document.querySelector('section.rollout li.current');
    return li ? Number(li.dataset.step) : null;
  })()`);

  beforeAll(async () => {
    session = await startLiveViewSession(REPO_ROOT, 30);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    second = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    watch(page, 'page 1');
    watch(second, 'page 2');
    await page.goto(`${session.serve.api}/`);
    await second.goto(`${session.serve.api}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await session?.stop();
  });

  it('shows the rollout at Step 1/8 with bubbles in both versions’ colours and exact counters', async () => {
    await untilSelector(page, 'section.rollout li.current[data-step="1"]', 15_000);
    await until(page, 'window.__live.bubbles > 20', 15_000);
    // Two versions answered: the stable and the canary, each with its row of counters.
    await until(page, 'document.querySelectorAll("#counts tr[data-version]").length >= 2', 15_000);
    const counted = await page.evaluate<number>(
      '[...document.querySelectorAll("#counts td.requests")].reduce((a, td) => a + Number(td.textContent), 0)',
    );
    // The page's counters are the gateway's, a tick behind at most: never more than it reported.
    const reported = Object.values(session.serve.feed.totals()).reduce((a, [n]) => a + n, 0);
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThanOrEqual(reported);
    expect(await stepOf(second)).toBe(1);
  });

  it('promote from the page advances the step, and the other page sees it too', async () => {
    await page.click('section.rollout button[data-act="promote"]');
    await until(
      page,
      'Number(document.querySelector("section.rollout li.current")?.dataset.step) >= 2',
      15_000,
    );
    await until(
      second,
      'Number(document.querySelector("section.rollout li.current")?.dataset.step) >= 2',
      15_000,
    );
    expect(await page.evaluate<string>('document.querySelector("#message").textContent')).toBe(
      "rollout 'silly-demo' promoted",
    );
  });

  it('a fault turned on for the canary draws red bubbles, and the analysis aborts the rollout', async () => {
    const before = await page.evaluate<number>('window.__live.redBubbles');
    expect(before).toBe(0);
    await page.click('section.rollout button.fault[data-image$=":1.4.127"]');
    await untilSelector(page, 'section.rollout button.fault.on[data-image$=":1.4.127"]', 10_000);
    await until(page, 'window.__live.redBubbles > 0', 15_000);
    await untilSelector(page, 'section.rollout .status .phase.Degraded', 60_000);
    await untilSelector(second, 'section.rollout .status .phase.Degraded', 15_000);
    const status = await page.evaluate<string>(
      'document.querySelector("section.rollout .status").textContent',
    );
    expect(status).toMatch(/RolloutAborted/);
    const d = await session.client.rollout(NS, 'silly-demo');
    expect(d.view.status).toBe('Degraded');
    expect(d.runs.some((r) => r.phase === 'Failed')).toBe(true);
    // The 5xx counter of the canary is the gateway's exact count.
    const errors = await page.evaluate<number>(
      '[...document.querySelectorAll("#counts td.errors")].reduce((a, td) => a + Number(td.textContent), 0)',
    );
    expect(errors).toBeGreaterThan(0);
  });

  it('logged no console errors or warnings on either page', () => {
    expect(problems).toEqual([]);
  });
});
