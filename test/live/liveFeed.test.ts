import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  LiveFeed,
  MAX_BUBBLES_PER_TICK,
  MAX_LIVE_VIEWERS,
  type LiveState,
  type LiveTick,
} from '../../cli/live/liveFeed.js';
import { blogWorldAtCanary, NS, request } from '../mesh/blogWorld.js';

/** A page's end of the event stream: every event it was sent, parsed. */
function fakePage() {
  const events: { event: string; data: unknown }[] = [];
  let closed: (() => void) | undefined;
  const res = {
    writableLength: 0,
    writeHead: () => res,
    write(chunk: string) {
      for (const block of chunk.split('\n\n')) {
        const m = /^event: (\w+)\ndata: (.*)$/s.exec(block);
        if (m) events.push({ event: m[1]!, data: JSON.parse(m[2]!) });
      }
      return true;
    },
    once(_: string, fn: () => void) {
      closed = fn;
      return res;
    },
    end: () => closed?.(),
    destroy: () => closed?.(),
  };
  const req = { socket: { setNoDelay: () => {} } };
  return {
    req: req as unknown as IncomingMessage,
    res: res as unknown as ServerResponse,
    events,
    ticks: () => events.filter((e) => e.event === 'tick').map((e) => e.data as LiveTick),
    states: () => events.filter((e) => e.event === 'state').map((e) => e.data as LiveState),
  };
}

const status = () => ({ now: 0, speed: 1, paused: false, offsetMs: 0, ingress: '', api: '' });

describe('LiveFeed', () => {
  it('counts every answer the gateway reports, exactly, and samples at most MAX_BUBBLES_PER_TICK bubbles', async () => {
    const world = await blogWorldAtCanary(3);
    const feed = new LiveFeed(world, status, () => new Map());
    const page = fakePage();
    expect(feed.connect(page.req, page.res)).toBe(true);
    // The page gets the state at once: the rollout at Step 1/8, its steps and both versions.
    const [first] = page.states();
    expect(first!.rollouts[0]).toMatchObject({ namespace: NS, name: 'silly-demo', steps: expect.any(Array) });
    expect(first!.rollouts[0]!.state.stepIndex).toBe(1);
    // 5,000 answers in one tick: far more than a tick draws.
    world.dispatch(request(), 5_000, NS);
    feed.tick();
    // Next tick, the sample is taken by stride over another 5,000: both versions keep their share.
    world.dispatch(request(), 5_000, NS);
    feed.tick();
    feed.close();
    const [t1, t2] = page.ticks();
    expect(t1!.answered).toBe(5_000);
    expect(t1!.bubbles.length).toBe(MAX_BUBBLES_PER_TICK);
    expect(t2!.bubbles.length).toBe(MAX_BUBBLES_PER_TICK);
    const keys = new Set(t2!.bubbles.map(([i]) => t2!.keys[i]));
    expect(keys.size).toBe(2);
    // The counters are the gateway's own: what each ReplicaSet answered at reporter="source".
    const total = Object.values(t2!.counts).reduce((a, [n]) => a + n, 0);
    expect(total).toBe(10_000);
    for (const [key, [n, errors]] of Object.entries(t2!.counts)) {
      const rs = key.slice(key.indexOf('/') + 1);
      expect({ n, errors }).toEqual({
        n: world.mesh.telemetry.answeredBy(NS, rs).requests,
        errors: world.mesh.telemetry.answeredBy(NS, rs).errors,
      });
    }
  });

  it(`takes ${MAX_LIVE_VIEWERS} pages at once and refuses the next`, async () => {
    const world = await blogWorldAtCanary(3);
    const feed = new LiveFeed(world, status, () => new Map());
    for (let i = 0; i < MAX_LIVE_VIEWERS; i++) {
      const p = fakePage();
      expect(feed.connect(p.req, p.res)).toBe(true);
    }
    const extra = fakePage();
    expect(feed.connect(extra.req, extra.res)).toBe(false);
    expect(feed.viewerCount).toBe(MAX_LIVE_VIEWERS);
    feed.stop();
    expect(feed.viewerCount).toBe(0);
  });
});
