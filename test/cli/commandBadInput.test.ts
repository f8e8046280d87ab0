import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/runCli.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

// Malformed input to every command — flags, URLs, unreachable or wrong servers, ports in use —
// is one line naming the bad value and what was expected, exit 2, and never a stack trace.

const BLOG = path.join(REPO_ROOT, 'scenarios/blog/scenario.yaml');
const TEMPLATE = path.join(REPO_ROOT, 'scenarios/blog/cluster-analysis-template.yaml');
const AWAY = 'http://127.0.0.1:1';
const UNREACHABLE =
  /^canarysim: cannot reach canarysim serve at http:\/\/127\.0\.0\.1:1: is it running\? \(start it with: canarysim serve\)\n$/;

let busy: Server;
let busyPort = 0;
/** An HTTP server that is not canarysim serve: 404 to everything. */
let other: HttpServer;
let otherUrl = '';

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
  busyPort = (busy.address() as { port: number }).port;
  other = createHttpServer((_, res) => res.writeHead(404).end('404 page not found\n'));
  await new Promise<void>((ok) => other.listen(0, '127.0.0.1', ok));
  otherUrl = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((ok) => busy.close(ok));
  await new Promise((ok) => other.close(ok));
});

interface Case {
  name: string;
  /** `BUSY` stands for a port something listens on, `OTHER` for a server that is not serve. */
  argv: string[];
  stderr: RegExp;
}

const cases: Case[] = [
  // serve: every flag checked, and start-up failures, before anything listens.
  {
    name: 'serve: the ingress port is in use',
    argv: ['serve', '--port', 'BUSY', '--api-port', '0'],
    stderr:
      /^canarysim serve: port \d+ on 127\.0\.0\.1 is in use \(EADDRINUSE\); pick another with --port\n$/,
  },
  {
    name: 'serve: the API port is in use',
    argv: ['serve', '--port', '0', '--api-port', 'BUSY'],
    stderr:
      /^canarysim serve: port \d+ on 127\.0\.0\.1 is in use \(EADDRINUSE\); pick another with --api-port\n$/,
  },
  {
    name: 'serve: --host neither an address nor a name',
    argv: ['serve', '--host', 'nope..', '--port', '0', '--api-port', '0'],
    stderr: /^canarysim serve: --host "nope\.\.": not an IP address or resolvable host\n$/,
  },
  {
    name: 'serve: an empty --host (it would bind every interface)',
    argv: ['serve', '--host', '', '--port', '0', '--api-port', '0'],
    stderr: /^canarysim serve: --host "": not an IP address or resolvable host\n$/,
  },
  {
    name: 'serve: --host an address not of this machine (TEST-NET-1)',
    argv: ['serve', '--host', '192.0.2.1', '--port', '0', '--api-port', '0'],
    stderr: /^canarysim serve: --host "192\.0\.2\.1": not an address of this machine \(EADDRNOTAVAIL\)\n$/,
  },
  {
    name: 'serve: a namespace that is no RFC 1123 label',
    argv: ['serve', '--namespace', 'BAD NS!', '--port', '0', '--api-port', '0'],
    stderr:
      /^canarysim serve: --namespace "BAD NS!": not a valid namespace name \(RFC 1123 label: lowercase letters, digits and '-', at most 63 characters\)\n$/,
  },
  {
    name: 'serve: a namespace of 64 characters',
    argv: ['serve', '--namespace', 'a-team', 'a'.repeat(64), '--port', '0', '--api-port', '0'],
    stderr: /^canarysim serve: --namespace "a{64}": not a valid namespace name \(RFC 1123 label/,
  },
  {
    name: 'serve: a port out of range',
    argv: ['serve', '--port', '99999'],
    stderr: /^canarysim serve: invalid port "99999": expected 0-65535\n$/,
  },
  {
    name: 'serve: speed 0',
    argv: ['serve', '--speed', '0'],
    stderr: /^canarysim serve: invalid --speed "0": expected a number in \(0, 10000\]\n$/,
  },
  {
    name: 'serve: a scrape interval under a second',
    argv: ['serve', '--scrape-interval', '1ms'],
    stderr: /^canarysim serve: invalid --scrape-interval "1ms": expected a duration of at least 1s\n$/,
  },
  {
    name: 'serve: a Prometheus address that is no URL',
    argv: ['serve', '--prometheus-address', 'notaurl'],
    stderr: /^canarysim serve: invalid --prometheus-address "notaurl": expected http:\/\/host:port/,
  },
  {
    name: 'serve: an --apps file that does not exist',
    argv: ['serve', '--apps', path.join(REPO_ROOT, 'no-such-apps.yaml'), '--port', '0', '--api-port', '0'],
    stderr: /^canarysim serve: .*no-such-apps\.yaml: no such file\n$/,
  },
  // run/demo --serve: the port and host are checked before the run, not after it.
  {
    name: 'run --serve: the API port is in use',
    argv: ['run', BLOG, '-q', '--serve', '--api-port', 'BUSY'],
    stderr: /^canarysim: port \d+ on 127\.0\.0\.1 is in use \(EADDRINUSE\); pick another with --api-port\n$/,
  },
  {
    name: 'run --serve: a bad --host',
    argv: ['run', BLOG, '-q', '--serve', '--api-port', '0', '--host', 'nope..'],
    stderr: /^canarysim: --host "nope\.\.": not an IP address or resolvable host\n$/,
  },
  {
    name: 'demo --serve: the API port is in use',
    argv: ['demo', '-q', '--serve', '--api-port', 'BUSY'],
    stderr: /^canarysim: port \d+ on 127\.0\.0\.1 is in use \(EADDRINUSE\); pick another with --api-port\n$/,
  },
  // Clients of serve: a server that is not there, or is not serve.
  {
    name: 'get rollout --watch, server unreachable',
    argv: ['get', 'rollout', 'x', '-w', '--timeout-seconds', '5', '--server', AWAY],
    stderr:
      /^canarysim: watching rollout default\/x: cannot reach canarysim serve at http:\/\/127\.0\.0\.1:1: is it running\? \(start it with: canarysim serve\)\n$/,
  },
  {
    name: 'get rollout, server unreachable',
    argv: ['get', 'rollout', 'x', '--server', AWAY],
    stderr: UNREACHABLE,
  },
  { name: 'promote, server unreachable', argv: ['promote', 'x', '--server', AWAY], stderr: UNREACHABLE },
  { name: 'abort, server unreachable', argv: ['abort', 'x', '--server', AWAY], stderr: UNREACHABLE },
  { name: 'pause, server unreachable', argv: ['pause', 'x', '--server', AWAY], stderr: UNREACHABLE },
  {
    name: 'retry, server unreachable',
    argv: ['retry', 'rollout', 'x', '--server', AWAY],
    stderr: UNREACHABLE,
  },
  { name: 'undo, server unreachable', argv: ['undo', 'x', '--server', AWAY], stderr: UNREACHABLE },
  {
    name: 'restart, server unreachable',
    argv: ['restart', 'x', '--in', '5s', '--server', AWAY],
    stderr: UNREACHABLE,
  },
  {
    name: 'set image, server unreachable',
    argv: ['set', 'image', 'x', 'c=i', '--server', AWAY],
    stderr: UNREACHABLE,
  },
  { name: 'status, server unreachable', argv: ['status', 'x', '--server', AWAY], stderr: UNREACHABLE },
  {
    name: 'apply -f, server unreachable',
    argv: ['apply', '-f', TEMPLATE, '--server', AWAY],
    stderr: UNREACHABLE,
  },
  { name: 'fault list, server unreachable', argv: ['fault', 'list', '--server', AWAY], stderr: UNREACHABLE },
  {
    name: 'fault clear, server unreachable',
    argv: ['fault', 'clear', '--all', '--server', AWAY],
    stderr: UNREACHABLE,
  },
  {
    name: 'fault set, server unreachable',
    argv: ['fault', 'set', '--image', 'x', '--errors', '10%', '--server', AWAY],
    stderr: UNREACHABLE,
  },
  {
    name: 'a server that is not canarysim serve',
    argv: ['fault', 'list', '--server', 'OTHER'],
    stderr: /^canarysim: GET \/canarysim\/v1\/faults: HTTP 404\n$/,
  },
  // Numbers a timer cannot hold (Node fires a longer timer after 1 ms), and Go's bool words.
  {
    name: 'get rollout --timeout-seconds beyond a timer',
    argv: ['get', 'rollout', 'x', '-w', '--timeout-seconds', '99999999999', '--server', AWAY],
    stderr: /^canarysim: invalid --timeout-seconds "99999999999": expected an integer from 0 to 2147483\n$/,
  },
  {
    name: 'dashboard --refresh 0 (a busy loop against the server)',
    argv: ['dashboard', 'x', '--refresh', '0', '--server', AWAY],
    stderr: /^canarysim: invalid --refresh "0": expected an integer from 100 to 2147483647 \(ms\)\n$/,
  },
  {
    name: 'status --watch with a word strconv.ParseBool refuses',
    argv: ['status', 'x', '--watch', 'maybe', '--server', AWAY],
    stderr: /^canarysim: invalid --watch "maybe": expected true or false\n$/,
  },
  // hey: Go's url.Parse refuses a bad escape in the userinfo.
  {
    name: 'hey: a bad escape in the user name',
    argv: ['hey', '-n', '1', '-c', '1', 'http://%zz@127.0.0.1:1/'],
    stderr: /^canarysim: invalid URL "http:\/\/%zz@127\.0\.0\.1:1\/": invalid URL escape "%zz"\n$/,
  },
  {
    name: 'hey: a bad escape in the password',
    argv: ['hey', '-n', '1', '-c', '1', 'http://a:%zz@127.0.0.1:1/'],
    stderr: /^canarysim: invalid URL "http:\/\/a:%zz@127\.0\.0\.1:1\/": invalid URL escape "%zz"\n$/,
  },
];

describe('bad input to the commands: one line, exit 2, no stack trace', () => {
  it.each(cases)(
    '$name',
    async (c) => {
      const argv = c.argv.map((a) => (a === 'BUSY' ? String(busyPort) : a === 'OTHER' ? otherUrl : a));
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s) },
      });
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(c.stderr);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/\n\s+at /);
      // Nothing ran: no scenario output, no server line.
      expect(stdout).toBe('');
    },
    30_000,
  );
});
