import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPoller } from '../../cli/tui/poller.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A task whose runs are logged with their (fake) start time and take `ms` each. */
function slowTask(ms: number) {
  const starts: number[] = [];
  const t0 = Date.now();
  const task = async (): Promise<void> => {
    starts.push(Date.now() - t0);
    await new Promise((r) => setTimeout(r, ms));
  };
  return { starts, task };
}

describe('startPoller', () => {
  it('runs at once, then the interval after each run ends, never two at once', async () => {
    const { starts, task } = slowTask(300);
    const poller = startPoller(task, 1000, () => {});
    await vi.advanceTimersByTimeAsync(3000);
    poller.stop();
    expect(starts).toEqual([0, 1300, 2600]);
  });

  it('now() while idle runs at once and restarts the interval', async () => {
    const { starts, task } = slowTask(0);
    const poller = startPoller(task, 1000, () => {});
    await vi.advanceTimersByTimeAsync(400);
    poller.now();
    await vi.advanceTimersByTimeAsync(1500);
    poller.stop();
    expect(starts).toEqual([0, 400, 1400]);
  });

  it('now() during a run queues exactly one run right after it', async () => {
    const { starts, task } = slowTask(300);
    const poller = startPoller(task, 1000, () => {});
    await vi.advanceTimersByTimeAsync(100);
    poller.now();
    poller.now();
    await vi.advanceTimersByTimeAsync(700);
    poller.stop();
    expect(starts).toEqual([0, 300]);
  });

  it('reports failures and keeps polling', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const poller = startPoller(
      () => (++n === 1 ? Promise.reject(new Error('down')) : Promise.resolve()),
      100,
      (err) => errors.push(err),
    );
    await vi.advanceTimersByTimeAsync(250);
    poller.stop();
    expect(errors).toEqual([new Error('down')]);
    expect(n).toBe(3);
  });

  it('stop() lets a run in flight finish but schedules nothing after it', async () => {
    const { starts, task } = slowTask(300);
    const poller = startPoller(task, 100, () => {});
    await vi.advanceTimersByTimeAsync(100);
    poller.stop();
    poller.now();
    await vi.advanceTimersByTimeAsync(2000);
    expect(starts).toEqual([0]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
