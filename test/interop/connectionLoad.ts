// Many connections at once against live mode's gateway, some of them hung up before their
// answer, and a prober timing the control API meanwhile: shared by the live test (2,000
// connections, in-process) and the manual check (10,000, against serve as its own process).
import { request } from 'node:http';

export interface ConnectionLoadResult {
  /** Answers by status, of the connections that were not hung up. */
  answered: Map<number, number>;
  /** Connections hung up (by the client) before their answer, on purpose. */
  hungUp: number;
  /** Connections that failed otherwise (refused, reset): each one a finding. */
  failed: { count: number; first?: string };
  /** Wall time from the first connect to the last answer. */
  ms: number;
}

/**
 * Opens `connections` connections to `url` at once, one GET each (no keep-alive, so each is
 * its own connection for the whole exchange), and hangs up the first `hangUps` of them
 * `hangUpMs` after sending, before the app's answer. Resolves when every connection ended;
 * gives up on one after `timeoutMs`.
 */
export function openMany(
  url: string,
  host: string,
  opts: { connections: number; hangUps: number; hangUpMs: number; timeoutMs?: number },
): Promise<ConnectionLoadResult> {
  const started = Date.now();
  const answered = new Map<number, number>();
  const failed: ConnectionLoadResult['failed'] = { count: 0 };
  let hungUp = 0;
  const one = (i: number) =>
    new Promise<void>((done) => {
      let over = false;
      const end = () => {
        if (over) return;
        over = true;
        clearTimeout(giveUp);
        done();
      };
      const req = request(url, { headers: { host }, agent: false }, (res) => {
        res.resume();
        res.once('end', () => {
          answered.set(res.statusCode ?? 0, (answered.get(res.statusCode ?? 0) ?? 0) + 1);
          end();
        });
        res.once('error', (e) => fail(e));
      });
      const fail = (e: Error) => {
        if (over) return;
        failed.count++;
        failed.first ??= `connection ${i}: ${e.message}`;
        end();
      };
      req.once('error', fail);
      const giveUp = setTimeout(() => {
        fail(new Error(`no answer in ${opts.timeoutMs ?? 60_000} ms`));
        req.destroy();
      }, opts.timeoutMs ?? 60_000);
      req.end();
      if (i < opts.hangUps)
        req.once('finish', () =>
          setTimeout(() => {
            if (over) return;
            hungUp++;
            over = true;
            clearTimeout(giveUp);
            req.destroy();
            done();
          }, opts.hangUpMs),
        );
    });
  return Promise.all(Array.from({ length: opts.connections }, (_, i) => one(i))).then(() => ({
    answered,
    hungUp,
    failed,
    ms: Date.now() - started,
  }));
}

/** Times GET `url` every `everyMs` until stopped: each answer's latency, or the failure. */
export function probe(url: string, everyMs = 100): { stop(): Promise<{ ms: number[]; failures: string[] }> } {
  const ms: number[] = [];
  const failures: string[] = [];
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const t = performance.now();
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        await res.text();
        if (res.ok) ms.push(performance.now() - t);
        else failures.push(`HTTP ${res.status}`);
      } catch (e) {
        failures.push((e as Error).message);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return { ms, failures };
    },
  };
}

/** The q-quantile of some latencies (nearest rank). */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

/** istio_requests_total by `code flags` for one reporter, as serve's embedded Prometheus has it. */
export async function istioCounts(api: string, reporter: string): Promise<Record<string, number>> {
  const q = encodeURIComponent(
    `sum by (response_code, response_flags) (istio_requests_total{reporter="${reporter}"})`,
  );
  const body = (await (await fetch(`${api}/api/v1/query?query=${q}`)).json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return Object.fromEntries(
    body.data.result.map((r) => [
      `${r.metric['response_code']} ${r.metric['response_flags']}`,
      Number(r.value[1]),
    ]),
  );
}

/**
 * The counts once a scrape shows `before` plus `added` for `reporter` (or whatever they are
 * after `timeoutMs`): the embedded Prometheus sees a request at its next scrape.
 */
export async function countsSettled(
  api: string,
  reporter: string,
  before: Record<string, number>,
  added: Record<string, number>,
  timeoutMs = 10_000,
): Promise<{ now: Record<string, number>; expected: Record<string, number> }> {
  const expected = { ...before };
  for (const [k, v] of Object.entries(added)) expected[k] = (expected[k] ?? 0) + v;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await istioCounts(api, reporter);
    if (sameCounts(now, expected) || Date.now() > deadline) return { now, expected };
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Equal counts, ignoring zeros. */
export function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
