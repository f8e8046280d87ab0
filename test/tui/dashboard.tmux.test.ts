import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/**
 * The dashboard in a real terminal: tmux runs test/tui/dashboardScript.ts (the dashboard on
 * the in-memory fake) in a detached 120x40 session; capture-pane reads the screen as a
 * trainer would see it, send-keys types. A private tmux socket keeps the user's sessions out.
 */
describe.skipIf(!hasTmux)('dashboard in tmux', () => {
  it('shows the tree, weights and keys, promotes on p, reports errors, exits on q', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canarysim-tui-'));
    const log = join(dir, 'events.jsonl');
    // A socket inside our temp dir: removing the dir leaves no trace in /tmp/tmux-<uid>.
    const socket = join(dir, 'tmux.sock');
    const tmux = (...args: string[]): string =>
      execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    // undefined once the session is gone (it ends with the process, possibly mid-poll).
    const capture = (): string | undefined => {
      const r = spawnSync('tmux', ['-S', socket, 'capture-pane', '-p', '-t', 'dash'], { encoding: 'utf8' });
      return r.status === 0 ? r.stdout : undefined;
    };
    const sessionAlive = (): boolean =>
      spawnSync('tmux', ['-S', socket, 'has-session', '-t', 'dash'], { stdio: 'ignore' }).status === 0;
    const events = (): { event: string; action?: string; body?: unknown }[] =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { event: string })
        : [];
    let screen = '';
    const waitFor = async (what: string, check: () => boolean, ms = 15_000): Promise<void> => {
      const until = Date.now() + ms;
      for (;;) {
        screen = capture() ?? screen;
        if (check()) return;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const onScreen = (text: string | RegExp) => () =>
      typeof text === 'string' ? screen.includes(text) : text.test(screen);

    try {
      tmux(
        'new-session',
        '-d',
        '-s',
        'dash',
        '-x',
        '120',
        '-y',
        '40',
        '-c',
        ROOT,
        `node --import tsx test/tui/dashboardScript.ts ${log}`,
      );
      // The fake turns into a paused canary after a second.
      await waitFor('the canary revision', onScreen('# revision:2'));
      expect(screen).toContain('⟳ silly-demo');
      expect(screen).toMatch(/⧉ silly-demo-7d9b8c6f5 +ReplicaSet +✔ Healthy +\S+ +canary/);
      expect(screen).toContain('Status:          ॥ Paused');
      // Weights: a bar per destination.
      expect(screen).toMatch(/silly-demo-stable █+░+ +80/);
      expect(screen).toMatch(/silly-demo-canary █+░+ +20/);
      // Traffic and analysis.
      expect(screen).toContain('success, last 5m');
      expect(screen).toMatch(/silly-demo-canary +60\.0%/);
      expect(screen).toContain('✖ Failed  [0.6]');
      expect(screen).toContain(
        'p promote   f promote --full   a abort   r retry   space pause   + faster   - slower   h hold   q/C-c quit',
      );
      // Borders and tree glyphs are real box-drawing characters, not the VT100 charset.
      expect(screen).toContain('├──# revision:2');
      expect(screen).not.toMatch(/lqq|tqq|mqq/);

      tmux('send-keys', '-t', 'dash', 'p');
      await waitFor('the promote', () =>
        events().some((e) => e.event === 'command' && e.action === 'promote'),
      );
      await waitFor('the promote message', onScreen("promote: rollout 'silly-demo' promoted"));
      await waitFor('the next step', onScreen('Step:          2/8'));
      expect(screen).toMatch(/silly-demo-canary █+░+ +40/);

      tmux('send-keys', '-t', 'dash', 'r');
      await waitFor('the retry error', onScreen('retry failed: rollout is not aborted'));

      tmux('send-keys', '-t', 'dash', 'q');
      await waitFor('the process to exit', () => !sessionAlive());
      expect(events().map((e) => e.event)).toEqual(['started', 'command', 'command', 'resolved']);
      expect(events().filter((e) => e.event === 'command')).toEqual([
        { event: 'command', action: 'promote' },
        { event: 'command', action: 'retry' },
      ]);
    } finally {
      spawnSync('tmux', ['-S', socket, 'kill-session', '-t', 'dash'], { stdio: 'ignore' });
      spawnSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
