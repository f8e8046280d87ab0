/**
 * Takes docs/live.png, the README's picture of the live view: the blog's analysed canary at
 * 30×, promoted once from the page, then a fault turned on for the canary — red-ringed bubbles,
 * the failed measurements and the abort. Run after `npm run build`:
 *
 *   node dist/test/interop/liveScreenshot.js [docs/live.png]
 */
import path from 'node:path';
import {
  chromiumMissing,
  launchChromium,
  startLiveViewSession,
  until,
  untilSelector,
} from './liveViewSession.js';

const out = path.resolve(process.argv[2] ?? 'docs/live.png');
const missing = chromiumMissing();
if (missing) {
  process.stderr.write(`liveScreenshot: ${missing}\n`);
  process.exit(2);
}
const session = await startLiveViewSession(process.cwd(), 30);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await page.goto(`${session.serve.api}/`);
  await untilSelector(page, 'section.rollout li.current[data-step="1"]', 15_000);
  await page.click('section.rollout button[data-act="promote"]');
  await until(
    page,
    'Number(document.querySelector("section.rollout li.current")?.dataset.step) >= 2',
    15_000,
  );
  await page.click('section.rollout button.fault[data-image$=":1.4.127"]');
  await until(page, 'window.__live.redBubbles > 15', 30_000);
  // The bubbles of the moment the analysis fails, before the abort sends everything to the stable.
  await untilSelector(page, 'section.rollout .m.Failed', 60_000);
  await page.waitForTimeout(300);
  await page.screenshot({ path: out });
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
} finally {
  await browser.close();
  await session.stop();
}
