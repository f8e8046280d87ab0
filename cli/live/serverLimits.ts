import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { InputError } from '../../sim/errors.js';

/**
 * What live mode's servers accept from one request: Envoy's defaults, which Istio's gateway
 * keeps (`max_request_headers_kb` 60, `max_request_headers_count` 100; beyond either, 431), and
 * Node's own timeouts, which stand in for Envoy's stream idle timeout (5 min) and stop a client
 * that trickles its headers from holding a connection for ever.
 */
export const ENVOY_LIMITS = {
  /** Request line and headers, bytes. */
  maxHeaderBytes: 60 * 1024,
  maxHeadersCount: 100,
  timeouts: {
    /** The headers must arrive within a minute (Node's default): else 408. */
    headersTimeout: 60_000,
    /** The whole request within Envoy's stream idle timeout: else 408. */
    requestTimeout: 300_000,
    /** An idle keep-alive connection closes after this (longer than hey's and Go's 30 s idle). */
    keepAliveTimeout: 65_000,
  },
} as const;

/** Open files kept for everything but proxied traffic: the API, scrapes, files, stdio. */
const RESERVED_FILES = 512;

/**
 * How many connections live mode can hold with `fileLimit` open files (`ulimit -n`): a request
 * in flight through the gateway holds three — the client's connection, the gateway's to the
 * pod, and the pod's end of it — and an idle client connection one. Of the files not reserved,
 * three fifths go to client connections (the gateway's `maxConnections`: beyond it, a new
 * connection is closed at once) and two fifths to the pods' two ends (the gateway's connection
 * pool: beyond it, a request waits for a connection). With the limit unknown, 65,536 is assumed.
 *
 *   fileLimit 20,000 → 11,694 client connections, 3,897 to pods
 *   fileLimit 65,536 → 39,016 client connections, 13,004 to pods
 *   fileLimit 17,178 → 10,000 client connections, 3,333 to pods (the least for 10,000)
 *   fileLimit  1,024 →    308 client connections,    102 to pods
 */
export function connectionBudget(fileLimit = openFileLimit() ?? 65_536): {
  clients: number;
  upstream: number;
} {
  const spare = Math.max(fileLimit - RESERVED_FILES, 80);
  const upstream = Math.floor(spare / 5);
  return { clients: spare - 2 * upstream, upstream };
}

/**
 * This process's open-file limit (Node raises the soft limit to the hard one at start-up), from
 * /proc on Linux; undefined elsewhere.
 */
export function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a listening server's later errors (attach it once `listen` resolved) from ending the process: a failed accept (EMFILE when
 * the open files run out) is logged — once a minute at most, naming the server and the limit —
 * and the server keeps serving the connections it has.
 */
export function guardServer(server: Server, name: string, log: (line: string) => void = stderrLine): void {
  let last = -Infinity;
  server.on('error', (e: NodeJS.ErrnoException) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    const files =
      e.code === 'EMFILE' || e.code === 'ENFILE'
        ? `: out of open files (ulimit -n ${openFileLimit() ?? '?'}); raise the limit or lower the load`
        : '';
    log(`canarysim serve: the ${name} could not accept a connection (${e.code ?? e.message})${files}`);
  });
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * `server.listen` with a backlog for bursts of connections (the kernel caps it at somaxconn),
 * resolving once listening. Start-up failures are InputErrors naming the port and `flag`, the
 * option that chose it: a port in use, one that needs privileges, an address not of this machine.
 */
export function listen(server: Server, port: number, host: string, flag: string): Promise<void> {
  return new Promise<void>((ok, fail) => {
    const onError = (e: NodeJS.ErrnoException) => fail(listenError(e, port, host, flag));
    server.once('error', onError);
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', onError);
      ok();
    });
  });
}

/** A listen failure as the one line naming the port and `flag` (see `listen`), or `e` as it was. */
export function listenError(e: unknown, port: number, host: string, flag: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const why: Record<string, string> = {
    EADDRINUSE: `port ${port} on ${host} is in use (EADDRINUSE); pick another with ${flag}`,
    EACCES: `port ${port} on ${host} needs privileges (EACCES); pick one above 1023 with ${flag}`,
    EADDRNOTAVAIL: `--host ${JSON.stringify(host)}: not an address of this machine (EADDRNOTAVAIL)`,
    ENOTFOUND: `--host ${JSON.stringify(host)}: not an IP address or resolvable host`,
    EAI_AGAIN: `--host ${JSON.stringify(host)}: not an IP address or resolvable host (DNS did not answer)`,
  };
  const message = code !== undefined ? why[code] : undefined;
  return message ? new InputError(message, undefined, { cause: e }) : e;
}

/** `--host`: an IP address, or a name the resolver knows (`localhost`); else an InputError. */
export async function checkHost(host: string): Promise<void> {
  if (isIP(host) !== 0) return;
  try {
    // An empty name would bind every interface (Node reads it as the unspecified address).
    if (host.trim() === '') throw new Error('empty host');
    await lookup(host);
  } catch (e) {
    throw new InputError(`--host ${JSON.stringify(host)}: not an IP address or resolvable host`, undefined, {
      cause: e,
    });
  }
}

/**
 * Checks, before a long run, that `host:port` can be listened on (then lets it go): a port in
 * use or an address not of this machine is the one-line InputError `listen` gives, before the
 * run rather than after it.
 */
export async function checkListen(host: string, port: number, flag: string): Promise<void> {
  await checkHost(host);
  const probe = createServer();
  await listen(probe, port, host, flag);
  await new Promise<void>((ok) => probe.close(() => ok()));
}
