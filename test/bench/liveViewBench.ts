// `node dist/test/bench/liveViewBench.js`: the live view under 2,000 requests/s. `canarysim serve`
// (its own process, the blog's Istio canary at Step 1/8: two versions answering) takes an
// open-loop 2,000 requests/s from autocannon while three browser feeds (/canarysim/v1/events, read
// here as EventSource reads them) are open; beside it, in the same run, the same load with no
// feed open. Printed: the rate achieved, whether the feeds' counters equal the answers autocannon
// the server's accounting (exact: nothing dropped), how regularly ticks arrive, the bubble sample, and serve's CPU per
// 1,000 requests with and without the feeds. Min / median / max over BENCH_RUNS (≥ 3) runs.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { packageRoot } from '../../cli/runCli.js';
import type { LiveTick } from '../../cli/live/liveFeed.js';
import {
  BLOG_HOST,
  settledTotal,
  sourceTotal,
  startServeProcess,
  type LiveServe,
} from '../interop/liveServe.js';
import { fmt, stats } from './stats.js';

const RUNS = Math.max(3, Number(process.env['BENCH_RUNS'] ?? 3));
const RATE = 2_000;
const SECONDS = 5;
const VIEWS = 3;
const root = packageRoot();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** serve's CPU time so far, ms (utime + stime from /proc, at 100 ticks a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** One feed, read as EventSource does: the latest tick, the gaps between ticks, bubbles seen. */
function openFeed(api: string) {
  const feed = { last: undefined as LiveTick | undefined, gaps: [] as number[], bubbles: 0, close: () => {} };
  let at = 0;
  let buf = '';
  const req = request(`${api}/canarysim/v1/events`, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const msg = buf.slice(0, end);
        buf = buf.slice(end + 2);
        if (!msg.startsWith('event: tick\n')) continue;
        const tick = JSON.parse(msg.slice(msg.indexOf('data: ') + 6)) as LiveTick;
        const now = performance.now();
        if (at) feed.gaps.push(now - at);
        at = now;
        feed.bubbles += tick.bubbles.length;
        feed.last = tick;
      }
    });
  });
  req.on('error', () => {});
  req.end();
  feed.close = () => req.destroy();
  return feed;
}

const total = (t: LiveTick | undefined) => Object.values(t?.counts ?? {}).reduce((a, [n]) => a + n, 0);

async function load(serve: LiveServe, views: number) {
  const feeds = Array.from({ length: views }, () => openFeed(serve.api));
  // The server's own accounting: istio_requests_total{reporter="source"}, once a scrape (30 s
  // simulated, 3 s at 10×) has taken everything before this load.
  await sleep(3_500);
  const base = await sourceTotal(serve.api);
  const before = feeds.map((f) => total(f.last));
  const cpu0 = cpuMs(serve.child.pid!);
  const r = await autocannon({
    url: serve.ingress,
    headers: { host: BLOG_HOST },
    connections: 50,
    overallRate: RATE,
    duration: SECONDS,
  });
  const cpu = cpuMs(serve.child.pid!) - cpu0;
  await sleep(1_000); // the last tick after the last answer (in flight when autocannon stopped)
  const answered = r.requests.total;
  const counted = feeds.map((f, i) => total(f.last) - before[i]!);
  // autocannon stops with requests in flight: the gateway answered (and counted) them, autocannon
  // did not wait. The server's scraped total is the reference.
  const server = views === 0 ? 0 : (await settledTotal(serve.api, base + counted[0]!, 10_000)) - base;
  for (const f of feeds) f.close();
  const gaps = feeds.flatMap((f) => f.gaps).sort((a, b) => a - b);
  return {
    rate: answered / SECONDS,
    answered,
    non2xx: r.non2xx + r.errors,
    dropped: views === 0 ? 0 : Math.max(...counted.map((c) => Math.abs(server - c))),
    server,
    gapP99: gaps.length ? gaps[Math.floor(gaps.length * 0.99)]! : 0,
    bubblesPerSec: views === 0 ? 0 : feeds[0]!.bubbles / (SECONDS + 1),
    cpuPer1k: (cpu / answered) * 1000,
  };
}

const serve = await startServeProcess(root, 'istio', 10);
try {
  await serve.client.setImage('a-team', 'silly-demo', 'silly-demo', 'ghcr.io/vfarcic/silly-demo:1.4.127');
  for (let i = 0; (await serve.client.rollout('a-team', 'silly-demo')).state.stepIndex !== 1; i++) {
    if (i > 200) throw new Error('the canary did not reach step 1/8');
    await sleep(100);
  }
  const withViews: Awaited<ReturnType<typeof load>>[] = [];
  const without: Awaited<ReturnType<typeof load>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    without.push(await load(serve, 0));
    withViews.push(await load(serve, VIEWS));
  }
  const s = (xs: number[]) => stats(xs);
  console.log(
    `live view under ${RATE.toLocaleString('en-US')} requests/s (autocannon open loop, ${SECONDS} s, ${VIEWS} feeds open; ${RUNS} runs, min / median / max)`,
  );
  console.log(
    `  achieved:            ${fmt(s(withViews.map((r) => r.rate)), 'req/s')}   (target ≥ 1,980: keeps up with 2,000)`,
  );
  console.log(
    `  counters:            ${fmt(s(withViews.map((r) => r.dropped)), 'answers off')}   (target 0: the feeds' counters against the gateway's istio_requests_total, ${withViews.map((r) => r.server).join(', ')} requests)`,
  );
  console.log(
    `  tick gap p99:        ${fmt(s(withViews.map((r) => r.gapP99)), 'ms')}   (target ≤ 250 ms; ticks every 100 ms)`,
  );
  console.log(
    `  bubbles drawn:       ${fmt(s(withViews.map((r) => r.bubblesPerSec)), '/s')} (a sample; at most 400/s)`,
  );
  console.log(`  non-2xx or errors:   ${withViews.map((r) => r.non2xx).join(', ')}`);
  const cpuWith = s(withViews.map((r) => r.cpuPer1k));
  const cpuWithout = s(without.map((r) => r.cpuPer1k));
  console.log(`  serve CPU, ${VIEWS} feeds:  ${fmt(cpuWith, 'ms per 1,000 requests')}`);
  console.log(
    `  baseline, no feed:   ${fmt(cpuWithout, 'ms per 1,000 requests')}, ${fmt(s(without.map((r) => r.rate)), 'req/s')}`,
  );
  console.log(`  ratio feeds/baseline: ${(cpuWith.median / cpuWithout.median).toFixed(2)}× CPU (median)`);
} finally {
  await serve.stop();
}
