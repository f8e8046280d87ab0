// Live mode against real tools (run by .ci/run once it has installed Debian's hey and wrk):
//  1. exact accounting — what curl, Debian's hey and `canarysim hey` sent equals the increase of
//     istio_requests_total{reporter="source"} in the embedded Prometheus, request for request;
//  2. our hey's summary has real hey's shape, line for line (numbers aside);
//  3. wrk drives the proxy without errors (a smoke check; wrk's counts are not exact at its end);
//  4. a fault set with `canarysim fault` makes the canary's real replicas answer 503 to half
//     its requests: Debian's hey sees them (within binomial bounds of weight × share), the
//     gateway's istio_requests_total{response_code="503"} counts exactly as many, and after
//     `fault clear` hey sees none.
// Prints one line per check and exits 1 if any fails.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../cli/runCli.js';
import { BLOG_HOST, settledTotal, sourceTotal, startServeProcess } from './liveServe.js';

const run = promisify(execFile);
const root = packageRoot();
const ourHey = [path.join(root, 'dist/cli/main.js'), 'hey'];

let failures = 0;
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

/** Responses hey counted (its "Status code distribution"), i.e. the requests that reached the proxy. */
function heyResponses(summary: string): number {
  let n = 0;
  for (const m of summary.matchAll(/^\s+\[(\d+)\]\s+(\d+) responses$/gm)) n += Number(m[2]);
  return n;
}

/** A summary with its numbers and bars blanked: what must match between hey and ours. */
function shape(summary: string): string[] {
  return summary
    .split('\n')
    .map((l) =>
      l
        .replace(/\|■*/g, '|')
        .replace(/\d+(\.\d+)?(e[-+]?\d+)?/g, 'N')
        .replace(/\s+$/, ''),
    )
    .filter((l, i, all) => !(l === '' && all[i - 1] === ''));
}

const serve = await startServeProcess(root, 'istio', 30);
try {
  await serve.client.setImage('a-team', 'silly-demo', 'silly-demo', 'ghcr.io/vfarcic/silly-demo:1.4.129');
  const url = `${serve.ingress}/`;

  const accounted = async (what: string, sent: number, act: () => Promise<void>) => {
    const before = await sourceTotal(serve.api);
    await act();
    const after = await settledTotal(serve.api, before + sent);
    check(
      after - before === sent,
      `${what}: sent ${sent}, istio_requests_total{reporter="source"} +${after - before}`,
    );
  };

  // curl, a new connection each time, as the blog's loop does.
  await accounted('curl ×20', 20, async () => {
    for (let i = 0; i < 20; i++) await run('curl', ['-s', '-H', `Host: ${BLOG_HOST}`, url]);
  });

  // Debian's hey and ours: -n, then -z with -q, on ?fail=true (400s and 500s count too).
  for (const [name, cmd, pre] of [
    ['Debian hey', 'hey', []],
    ['canarysim hey', process.execPath, ourHey],
  ] as const) {
    for (const args of [
      ['-n', '400', '-c', '8', '-host', BLOG_HOST, `${url}?fail=true`],
      ['-z', '2s', '-c', '4', '-q', '50', '-host', BLOG_HOST, `${url}?fail=true`],
      ['-n', '300', '-c', '6', '-disable-keepalive', '-host', BLOG_HOST, url],
    ]) {
      let summary = '';
      const before = await sourceTotal(serve.api);
      summary = (await run(cmd, [...pre, ...args], { maxBuffer: 1 << 24 })).stdout;
      const sent = heyResponses(summary);
      const after = await settledTotal(serve.api, before + sent);
      check(
        sent > 0 && after - before === sent,
        `${name} ${args.slice(0, -1).join(' ')}: ${sent} responses, istio_requests_total{reporter="source"} +${after - before}`,
      );
    }
  }

  // The summary's shape: the same lines in the same order, numbers aside.
  const args = ['-n', '200', '-c', '4', '-host', BLOG_HOST, url];
  const theirs = shape((await run('hey', args)).stdout);
  const ours = shape((await run(process.execPath, [...ourHey, ...args])).stdout);
  const same = theirs.length === ours.length && theirs.every((l, i) => l === ours[i]);
  check(same, `hey summary shape: ${theirs.length} lines (Debian hey) vs ${ours.length} (canarysim hey)`);
  if (!same) {
    for (let i = 0; i < Math.max(theirs.length, ours.length); i++)
      if (theirs[i] !== ours[i])
        console.log(`  line ${i + 1}: hey ${JSON.stringify(theirs[i])} ours ${JSON.stringify(ours[i])}`);
  }

  // wrk through the proxy: every answer 2xx, no socket errors.
  const wrk = (await run('wrk', ['-t1', '-c8', '-d2s', '-H', `Host: ${BLOG_HOST}`, url])).stdout;
  const reqs = Number(/(\d+) requests in/.exec(wrk)?.[1] ?? 0);
  check(reqs > 0 && !/Non-2xx|Socket errors/.test(wrk), `wrk through the proxy: ${reqs} requests, all 2xx`);

  // A fault on the canary (1.4.129 at 20 %), from the CLI, seen by Debian's hey.
  const cli = (...a: string[]) =>
    run(process.execPath, [path.join(root, 'dist/cli/main.js'), ...a, '--server', serve.api]);
  const count503 = async () => {
    const q = encodeURIComponent('sum(istio_requests_total{reporter="source",response_code="503"})');
    const body = (await (await fetch(`${serve.api}/api/v1/query?query=${q}`)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    return Number(body.data.result[0]?.value[1] ?? 0);
  };
  const set = await cli(
    'fault',
    'set',
    '--image',
    'ghcr.io/vfarcic/silly-demo:1.4.129',
    '--errors',
    '50%',
    '--status',
    '503',
  );
  check(/fault set on image/.test(set.stdout), `canarysim fault set: ${set.stdout.trim()}`);
  const before503 = await count503();
  const beforeAll = await sourceTotal(serve.api);
  const faulted = (
    await run('hey', ['-n', '2000', '-c', '8', '-host', BLOG_HOST, url], { maxBuffer: 1 << 24 })
  ).stdout;
  const got503 = Number(/\[503\]\s+(\d+) responses/.exec(faulted)?.[1] ?? 0);
  const n = heyResponses(faulted);
  await settledTotal(serve.api, beforeAll + n);
  const mean = n * 0.2 * 0.5;
  const sd = Math.sqrt(n * 0.1 * 0.9);
  check(
    Math.abs(got503 - mean) < 5 * sd,
    `Debian hey under a 50% 503 fault on the 20% canary: ${got503} of ${n} answered 503 (expected ${mean} ± ${(5 * sd).toFixed(0)})`,
  );
  const after503 = await count503();
  check(
    after503 - before503 === got503,
    `istio_requests_total{response_code="503"} +${after503 - before503}, hey counted ${got503}`,
  );
  await cli('fault', 'clear', '--all');
  const healed = (await run('hey', ['-n', '300', '-c', '4', '-host', BLOG_HOST, url])).stdout;
  check(!/\[503\]/.test(healed), "after canarysim fault clear: no 503 in hey's summary");
} finally {
  await serve.stop();
}
console.log(failures === 0 ? 'live interop: all checks passed' : `live interop: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
