import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDashboard } from '../../cli/tui/dashboard.js';
import { fakeControlClient, type FakeControlClient } from './fakeControlClient.js';

/**
 * runDashboard in-process, on a fake 120x40 terminal made of two streams. After the first
 * paint blessed writes only the cells that changed, so the byte stream shows *whether* the
 * screen was repainted, not what it shows; the tmux test reads the real screen. The first
 * paint starts from a blank screen, so its text (escapes and blanks removed) is complete.
 */
function harness(client: FakeControlClient) {
  const input = new PassThrough();
  const output = Object.assign(new PassThrough(), { columns: 120, rows: 40, isTTY: true });
  let written = '';
  let writes = 0;
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString();
    writes++;
  });
  const done = runDashboard(client, {
    namespace: 'a-team',
    name: 'silly-demo',
    refreshMs: 20,
    input,
    output,
  });
  const screenText = (): string =>
    written
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b(\[[?>]?[\d;]*[A-Za-z@`]|\][^\u0007]*\u0007|[()][A-Z0-9]|[=>78DEHM])/g, '')
      .replace(/\s+/g, '');
  const waitFor = async (what: string, check: () => boolean, ms = 3000): Promise<void> => {
    const until = Date.now() + ms;
    while (!check()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    done,
    written: () => written,
    writes: () => writes,
    screenText,
    waitFor,
    waitForText: (text: string) =>
      waitFor(`"${text}" on screen`, () => screenText().includes(text.replace(/\s+/g, ''))),
    press: (key: string) => input.write(key),
    quit: async () => {
      input.write('q');
      await done;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  // blessed picks its terminfo from TERM; CI runners may not set one.
  process.env['TERM'] ??= 'xterm-256color';
});

describe('runDashboard', () => {
  it('paints the rollout, weights, charts, analysis and keys, then only repaints on change', async () => {
    const client = fakeControlClient();
    client.stage = 'canary';
    const ui = harness(client);
    await ui.waitForText('⟳ silly-demo');
    for (const text of [
      '# revision:2',
      'ReplicaSet ✔ Healthy 2m canary',
      'silly-demo-canary ███',
      'success, last 5m',
      '✖ Failed [0.6] 10s ago',
      'p promote f promote --full a abort r retry space pause + faster - slower h hold q/C-c quit',
    ])
      expect(ui.screenText()).toContain(text.replace(/\s+/g, ''));
    // The fake reports the same rollout on every read: the screen must stay untouched.
    const writes = ui.writes();
    const reads = client.reads;
    await sleep(300);
    expect(client.reads).toBeGreaterThan(reads + 3);
    expect(ui.writes()).toBe(writes);
    client.stage = 'promoted';
    await ui.waitFor('a repaint', () => ui.writes() > writes);
    await ui.quit();
  });

  it('sends each key to the client and shows its message', async () => {
    const client = fakeControlClient();
    client.stage = 'canary';
    const ui = harness(client);
    await ui.waitForText('⟳ silly-demo');
    for (const key of ['p', 'f', 'a', 'r']) {
      const n = client.commands.length;
      ui.press(key);
      await ui.waitFor(`command for ${key}`, () => client.commands.length === n + 1);
    }
    expect(client.commands).toEqual([
      { action: 'promote' },
      { action: 'promote', body: { full: true } },
      { action: 'abort' },
      { action: 'retry' },
    ]);
    await ui.quit();
  });

  it('survives failing commands and refreshes, and recovers (the tmux test reads the messages)', async () => {
    const client = fakeControlClient();
    client.stage = 'canary';
    const ui = harness(client);
    await ui.waitForText('⟳ silly-demo');
    let writes = ui.writes();
    client.fail.command = new Error('rollout is not paused');
    ui.press('p');
    await ui.waitFor('the status line', () => ui.writes() > writes);
    writes = ui.writes();
    client.fail.rollout = new Error('connect ECONNREFUSED 127.0.0.1:9090');
    await ui.waitFor('the status line', () => ui.writes() > writes);
    const reads = client.reads;
    await ui.waitFor('polling to go on', () => client.reads > reads + 3);
    // The server comes back: the dashboard picks up where it was.
    delete client.fail.rollout;
    delete client.fail.command;
    ui.press('p');
    await ui.waitFor('the promote', () => client.commands.length === 1);
    await ui.quit();
  });

  it('quits on q and on C-c: resolves, restores the terminal and stops polling', async () => {
    for (const key of ['q', '\u0003']) {
      const client = fakeControlClient();
      const ui = harness(client);
      await ui.waitForText('⟳ silly-demo');
      ui.press(key);
      await expect(ui.done).resolves.toBeUndefined();
      // Back to the normal screen buffer, cursor shown.
      expect(ui.written()).toContain('\u001b[?1049l');
      expect(ui.written()).toContain('\u001b[?25h');
      const reads = client.reads;
      await sleep(100);
      expect(client.reads).toBe(reads);
    }
  });
});
