// Live load generation side by side: canarysim hey, Debian's hey and wrk, each for 5 s with 50
// connections against the same plain node:http server (its own process, 127.0.0.1, 20-byte body),
// one after another in every round. Prints requests/s min / median / max and the ratios; asserts
// nothing. The machine's cores are shared by the server and the load generator, so expect noise.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../cli/runCli.js';

const ROUNDS = Math.max(3, Number(process.env['BENCH_RUNS'] ?? 3));
const SECONDS = 5;
const CONNECTIONS = 50;
const root = packageRoot();
const node = process.execPath;
const HEY = '/usr/bin/hey';
const WRK = '/usr/bin/wrk';

const SERVER = `
const http = require('node:http');
const body = Buffer.from('twenty bytes of body');
const server = http.createServer((req, res) => { res.setHeader('Content-Length', body.length); res.end(body); });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** How to run `canarysim hey`: through the CLI once it has the command, else through heyWorker. */
function oursCommand(): string[] {
  const cli = path.join(root, 'dist/cli/main.js');
  const probe = spawnSync(node, [cli, 'hey'], { encoding: 'utf8' });
  if (probe.stderr.startsWith('Usage: hey')) return [cli, 'hey'];
  return [path.join(root, 'dist/test/bench/heyWorker.js')];
}

function requestsPerSecond(what: string, cmd: string, args: string[]): number {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`${what} failed (exit ${r.status}): ${r.stderr}${r.stdout}`);
  return Number(m[1]);
}

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: s[Math.floor(s.length / 2)] ?? NaN, max: s[s.length - 1] ?? NaN };
}

const server = spawn(node, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    server.once('exit', (code) => reject(new Error(`benchmark server exited ${code}`)));
  });
  const url = `http://127.0.0.1:${port}/`;
  const ours = oursCommand();
  const tools: Array<{ name: string; run: () => number }> = [
    {
      name: 'canarysim hey',
      run: () =>
        requestsPerSecond('canarysim hey', node, [...ours, '-z', `${SECONDS}s`, '-c', `${CONNECTIONS}`, url]),
    },
  ];
  if (existsSync(HEY))
    tools.push({
      name: 'hey 0.1.4',
      run: () => requestsPerSecond('hey', HEY, ['-z', `${SECONDS}s`, '-c', `${CONNECTIONS}`, url]),
    });
  if (existsSync(WRK))
    tools.push({
      name: 'wrk -t2',
      run: () => requestsPerSecond('wrk', WRK, ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, url]),
    });

  console.log(
    `hey-style load, ${SECONDS} s × ${CONNECTIONS} connections, ${ROUNDS} rounds, node:http server in its own process ` +
      `(${ours.length === 2 ? 'dist/cli/main.js hey' : 'dist/test/bench/heyWorker.js'}; node ${process.version})\n`,
  );
  // Warm the server's JIT up first, unrecorded.
  requestsPerSecond('warm-up', node, [...ours, '-z', '2s', '-c', `${CONNECTIONS}`, url]);
  const rps = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    const line: string[] = [];
    for (const tool of tools) {
      const v = tool.run();
      rps.get(tool.name)?.push(v);
      line.push(`${tool.name} ${v.toFixed(0)}`);
    }
    console.log(`  round ${round}: ${line.join(', ')} req/s`);
  }
  console.log('\n  tool            requests/s  min / median / max');
  for (const [name, xs] of rps) {
    const s = stats(xs);
    console.log(`  ${name.padEnd(15)} ${s.min.toFixed(0)} / ${s.median.toFixed(0)} / ${s.max.toFixed(0)}`);
  }
  const median = (name: string) => stats(rps.get(name) ?? []).median;
  const mine = median('canarysim hey');
  if (rps.has('hey 0.1.4'))
    console.log(`\n  ours / hey: ${(mine / median('hey 0.1.4')).toFixed(2)} (median; target ≥ 1.0)`);
  if (rps.has('wrk -t2'))
    console.log(`  ours / wrk: ${(mine / median('wrk -t2')).toFixed(2)} (median; target ≥ 0.8)`);
} finally {
  if (server.pid !== undefined) process.kill(server.pid);
}
