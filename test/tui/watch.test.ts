import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLEAR_SCREEN, watchRollout } from '../../cli/tui/watch.js';
import { renderGetRollout } from '../../cli/views/renderGetRollout.js';
import { fakeControlClient, fakeDetail, T0 } from './fakeControlClient.js';

const NOW = T0 + 10 * 60_000;

/** A stream that keeps every frame with the (fake) time it was written. */
function capture() {
  const frames: { at: number; text: string }[] = [];
  const t0 = Date.now();
  const out = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      frames.push({ at: Date.now() - t0, text: chunk.toString() });
      cb();
    },
  });
  return { out, frames };
}

const frameOf = (stage: 'stable' | 'canary', now = NOW, color = false) =>
  CLEAR_SCREEN + renderGetRollout(fakeDetail(stage, now).view, now, { color });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('watchRollout', () => {
  it('draws the full block at once, each frame clearing the screen first', async () => {
    const client = fakeControlClient(() => NOW);
    const { out, frames } = capture();
    const done = watchRollout(client, { namespace: 'a-team', name: 'silly-demo', out, timeoutSeconds: 0.1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(frames).toEqual([{ at: 0, text: frameOf('stable') }]);
    await vi.advanceTimersByTimeAsync(100);
    await expect(done).resolves.toBeUndefined();
  });

  it('redraws an unchanged rollout only on the 1-second ticker', async () => {
    const client = fakeControlClient(() => NOW);
    const { out, frames } = capture();
    const done = watchRollout(client, { namespace: 'a-team', name: 'silly-demo', out, timeoutSeconds: 3.5 });
    await vi.advanceTimersByTimeAsync(3500);
    await done;
    expect(frames.map((f) => f.at)).toEqual([0, 1000, 2000, 3000]);
    expect(new Set(frames.map((f) => f.text))).toEqual(new Set([frameOf('stable')]));
    // It kept reading (every 200 ms), it just had nothing new to draw.
    expect(client.reads).toBeGreaterThanOrEqual(17);
  });

  it('draws a change at the next read, without waiting for the ticker', async () => {
    const client = fakeControlClient(() => NOW);
    const { out, frames } = capture();
    const done = watchRollout(client, { namespace: 'a-team', name: 'silly-demo', out, timeoutSeconds: 0.9 });
    await vi.advanceTimersByTimeAsync(500);
    client.stage = 'canary';
    await vi.advanceTimersByTimeAsync(400);
    await done;
    expect(frames.map((f) => f.at)).toEqual([0, 600]);
    expect(frames[1]?.text).toBe(frameOf('canary'));
    expect(frames[1]?.text).toContain('# revision:2');
  });

  it('never draws more often than every 200 ms, however often the rollout changes', async () => {
    const client = fakeControlClient(() => NOW);
    const rollout = client.rollout.bind(client);
    // Every read is a change, answered after 30 ms: changes land at 30, 260, 490, 720, 950,
    // 1180, 1410. The ticker at 1000 waits for 1150; the changes at 1180 and 1410 wait for
    // 1350 and 1550.
    client.rollout = async (ns, name) => {
      await new Promise((r) => setTimeout(r, 30));
      client.stage = client.stage === 'stable' ? 'canary' : 'stable';
      return rollout(ns, name);
    };
    const { out, frames } = capture();
    const done = watchRollout(client, { namespace: 'a-team', name: 'silly-demo', out, timeoutSeconds: 1.6 });
    await vi.advanceTimersByTimeAsync(1600);
    await done;
    expect(frames.map((f) => f.at)).toEqual([30, 260, 490, 720, 950, 1150, 1350, 1550]);
    // Reads alternate canary, stable, ...: the 5th (canary) is redrawn at 1150, the 6th at 1350.
    expect(frames.map((f) => (f.text === frameOf('canary') ? 'c' : 's')).join('')).toBe('cscsccsc');
  });

  it('stops on timeoutSeconds and leaves no timers behind', async () => {
    const client = fakeControlClient(() => NOW);
    const { out, frames } = capture();
    let resolved = false;
    const done = watchRollout(client, {
      namespace: 'a-team',
      name: 'silly-demo',
      out,
      timeoutSeconds: 2,
    }).then(() => (resolved = true));
    await vi.advanceTimersByTimeAsync(1999);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(resolved).toBe(true);
    const count = frames.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(frames.length).toBe(count);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops when the signal aborts, and draws nothing for an already aborted signal', async () => {
    const client = fakeControlClient(() => NOW);
    const { out, frames } = capture();
    const ac = new AbortController();
    const done = watchRollout(client, { namespace: 'a-team', name: 'silly-demo', out, signal: ac.signal });
    await vi.advanceTimersByTimeAsync(1500);
    ac.abort();
    await expect(done).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    expect(frames).toHaveLength(2);

    const late = capture();
    await watchRollout(client, { namespace: 'a-team', name: 'silly-demo', out: late.out, signal: ac.signal });
    expect(late.frames).toEqual([]);
  });

  it('rejects, naming the rollout, when it cannot be read', async () => {
    const client = fakeControlClient(() => NOW);
    const { out } = capture();
    const done = watchRollout(client, { namespace: 'a-team', name: 'nope', out });
    await expect(done).rejects.toThrow('watching rollout a-team/nope: rollout a-team/nope not found');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects when the server goes away mid-watch, after the frames so far', async () => {
    const client = fakeControlClient(() => NOW);
    const { out, frames } = capture();
    const done = watchRollout(client, { namespace: 'a-team', name: 'silly-demo', out });
    const settled = done.catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(300);
    client.fail.rollout = new Error('connect ECONNREFUSED 127.0.0.1:9090');
    await vi.advanceTimersByTimeAsync(300);
    const err = await settled;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      'watching rollout a-team/silly-demo: connect ECONNREFUSED 127.0.0.1:9090',
    );
    expect((err as Error).cause).toBe(client.fail.rollout);
    expect(frames).toHaveLength(1);
  });

  it('prints the plugin colours when asked', async () => {
    const client = fakeControlClient(() => NOW);
    const { out, frames } = capture();
    const done = watchRollout(client, {
      namespace: 'a-team',
      name: 'silly-demo',
      out,
      timeoutSeconds: 0.1,
      color: true,
    });
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(frames[0]?.text).toBe(frameOf('stable', NOW, true));
    expect(frames[0]?.text).toContain('\u001b[32m✔\u001b[0m');
  });
});
