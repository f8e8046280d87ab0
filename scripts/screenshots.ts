// `npm run screenshots`: the README's pictures, from real runs in Debian's headless chromium.
// docs/report.png is the blog run's HTML report (offline, as test/html opens it); docs/live.png
// is the live view during a trainer's session (test/interop/liveScreenshot.ts, from dist/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../cli/runCli.js';
import { CHROMIUM, chromiumAvailable, drawnCharts, openOffline } from '../test/html/chromium.js';

const root = path.resolve(import.meta.dirname, '..');

if (!chromiumAvailable()) {
  console.error(`screenshots: ${CHROMIUM} is absent (apt-get install chromium)`);
  process.exit(2);
}
const tmp = mkdtempSync(path.join(tmpdir(), 'canarysim-shots-'));
try {
  process.chdir(root);
  const html = path.join(tmp, 'blog.html');
  const code = await runCli(['demo', '--quiet', '--html', html], {
    stdout: { write: () => true },
    stderr: { write: (s: string) => process.stderr.write(s) },
  });
  if (code !== 0) throw new Error(`canarysim demo --html exited ${code}`);
  const page = await openOffline(html, { width: 1280, height: 800 });
  try {
    const charts = await drawnCharts(page.page);
    if (page.errors.length || page.blocked.length || charts.some((c) => c.inked === 0))
      throw new Error(
        `the report did not draw: ${JSON.stringify({ errors: page.errors, blocked: page.blocked })}`,
      );
    const out = path.join(root, 'docs/report.png');
    await page.page.screenshot({ path: out, fullPage: true });
    console.log(`${path.relative(root, out)}: the blog run's HTML report, ${charts.length} charts`);
  } finally {
    await page.close();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const live = spawnSync(process.execPath, ['dist/test/interop/liveScreenshot.js', 'docs/live.png'], {
  cwd: root,
  stdio: 'inherit',
});
if (live.status !== 0) throw new Error(`liveScreenshot exited ${live.status}`);
