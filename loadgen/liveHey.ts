/**
 * hey 0.1.4's load model against a real URL, on autocannon's connections.
 *
 * hey (rakyll/hey `requester/requester.go`) runs `-c` workers; each sends `-n`/`-c` requests one
 * after another (or until `-z` or Ctrl-C stops it before its next request), optionally waiting for
 * its own `-q` ticker first. Here each worker is one autocannon client (one keep-alive connection
 * with a pre-built request and a fast response parser). What autocannon does differently from hey
 * is taken over per client, through members of autocannon 9.0.0's `lib/httpClient.js` (pinned in
 * package.json; `checkClient` fails loudly if they change):
 *
 * - the request bytes are Go's (`net/http` Request.write: header order, `Content-Length: 0` for
 *   POST/PUT/PATCH, `Accept-Encoding: gzip`, `Connection: close` for -disable-keepalive), not
 *   autocannon's;
 * - when to send is decided by `next()`, which replaces the client's `_doRequest`: the per-worker
 *   request budget, stopping (in-flight requests finish, as in hey), hey's ticker (a tick every
 *   1/q s, one buffered, missed ones dropped — not autocannon's per-second bursts), and a fresh
 *   connection when keep-alive is off or the server said `Connection: close`;
 * - every request started ends as exactly one result: a response, or a transport error in Go's
 *   words (`dial tcp 127.0.0.1:1: connect: connection refused`, `EOF`, a Client.Timeout). Go's
 *   transparent retry of an idempotent request on a reused connection the server closed is
 *   reproduced, so that race does not show up as an error;
 * - redirects are followed as Go's client follows them (301/302/303 → GET, 307/308 keep the method
 *   unless there is a body, at most 10) with node:http for the extra hops, since an autocannon
 *   client is bound to one connection and one request.
 *
 * Phases (hey's Details): DNS+dialup and DNS-lookup are measured on the socket (`lookup`,
 * `connect`/`secureConnect`) for requests that had to dial; resp wait runs from the request being
 * written to the response headers being parsed, resp read from there to the end of the body.
 * req write is 0: Node writes a request to a connected socket inside one synchronous call, and its
 * end is not observable without a callback per request (hey shows 0.0000–0.0001 s on loopback).
 */
import type autocannon from 'autocannon';
import { closeSync, openSync, readSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { MAX_TIMER_MS } from '../sim/clock/index.js';
import { InputError } from '../sim/errors.js';
import { goQuote } from '../go/quote.js';
import {
  createHeyAccumulator,
  HEY_MAX_SAMPLES,
  type HeyBulkResult,
  type HeyPhase,
  type HeyResult,
} from './HeyResult.js';
import { perWorkerRequests, type HeyOptions } from './heyFlags.js';
import type { CsvRecord } from './printHeyCsv.js';
import {
  goContentLength,
  goHeaderLines,
  goMalformedResponse,
  goNetError,
  goRequestBytes,
  goUrlErrorOp,
  heyHeader,
  hostPort,
  redirectBehavior,
  replayable,
  type GoRequest,
  type SocketAddresses,
} from './goHttp.js';
import { parseTarget, type Target } from './heyTarget.js';

export interface LiveHeyProgress {
  /** Since the start of the run. */
  elapsedMs: number;
  /** Requests started so far. */
  sent: number;
  /** Everything measured so far, as the summary would print it now. */
  result: HeyResult;
}

export interface LiveHeyHooks {
  /** Aborting is hey's Ctrl-C: no new requests, in-flight ones finish, then the result. */
  signal?: AbortSignal;
  /** Called about once a second while the run lasts. */
  onProgress?: (progress: LiveHeyProgress) => void;
}

export interface LiveHeyRun {
  result: HeyResult;
  /** One row per response for `-o csv` (the first 1,000,000, as hey keeps); only with `-o csv`. */
  records?: CsvRecord[];
}

/**
 * Runs `hey [opts] <url>` for real and returns what hey would print from. Throws InputError for
 * what canarysim cannot send (-x, -h2, a scheme other than http/https, a URL without a host) and
 * for an unreadable -D file.
 */
export async function runLiveHey(opts: HeyOptions, hooks: LiveHeyHooks = {}): Promise<LiveHeyRun> {
  if (opts.proxy !== '')
    throw new InputError(`not supported by canarysim hey: -x ${opts.proxy} (HTTP proxy)`);
  if (opts.h2) throw new InputError('not supported by canarysim hey: -h2 (HTTP/2)');
  const target = parseTarget(opts.url);
  const body = opts.bodyFile !== '' ? readBodyFile(opts.bodyFile) : Buffer.from(opts.body, 'utf8');
  const header = heyHeader(opts, target);
  const main: GoRequest = {
    method: opts.method,
    requestUri: target.requestUri,
    host: opts.host !== '' ? opts.host : target.hostHeader,
    header,
    body,
  };
  // Loaded here, not at the top: autocannon takes ~0.25 s to load (WebAssembly histograms), and
  // every canarysim command imports this module through the cli.
  const { default: start } = await import('autocannon');
  return new LiveHeyDriver(opts, target, main, hooks, start).run();
}

/** hey's User-Agent suffix (hey.go `heyUA`). */
/** hey's `-z` sets n to Go's math.MaxInt32; each worker then has MaxInt32/c requests to send. */
const MAX_INT32 = 2147483647;
/** hey's `-t 0` (no timeout) for autocannon, whose timeout is whole seconds: 24.8 days. */
const MAX_TIMEOUT_SEC = Math.floor(MAX_TIMER_MS / 1000);
/** Go's http.Client stops following after this many requests in one chain (client.go). */
const MAX_REDIRECTS = 10;
/** Go's net/http message for a request that outlived `http.Client.Timeout` before the headers came. */
const CLIENT_TIMEOUT = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';

/**
 * The largest -D body: 16 MiB, the control API's own body limit. hey reads any file whole;
 * /dev/zero or a growing log would fill the memory before a request is sent.
 */
export const MAX_BODY_FILE_BYTES = 16 * 1024 * 1024;

function readBodyFile(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    // hey prints os.ReadFile's error: `open body.json: no such file or directory`.
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : (e as Error).message;
    throw new InputError(`-D: open ${file}: ${reason}`, undefined, { cause: e });
  }
  try {
    // Read in chunks up to one byte past the limit: a device or FIFO says size 0 to stat.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, MAX_BODY_FILE_BYTES + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > MAX_BODY_FILE_BYTES)
        throw new InputError(
          `-D ${file}: a request body over ${MAX_BODY_FILE_BYTES / 1024 / 1024} MiB (canarysim's limit)`,
        );
    }
    return Buffer.concat(chunks);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `-D: read ${file}: ${code === 'EISDIR' ? 'is a directory' : (e as Error).message}`,
      undefined,
      {
        cause: e,
      },
    );
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// autocannon's client

/** http-parser-js's handler slots (HTTPParser.kOnHeadersComplete, kOnMessageComplete). */
const K_ON_HEADERS_COMPLETE = 2;
const K_ON_MESSAGE_COMPLETE = 4;

interface ParserInfo {
  statusCode: number;
  headers: string[];
  shouldKeepAlive: boolean;
}

/** The members of autocannon 9.0.0's Client (lib/httpClient.js) this driver uses. */
interface AutocannonClient {
  conn: Socket;
  parser: {
    [slot: number]: (...args: never[]) => unknown;
    initialize(type: 'RESPONSE'): void;
    execute(chunk: Buffer, start?: number, length?: number): unknown;
  };
  pipelinedRequests: { clear(): void };
  destroyed: boolean;
  _doRequest(): void;
  _resetConnection(): void;
  getRequestBuffer(): Buffer;
  destroy(): void;
  on(event: 'connError', listener: (error: Error) => void): unknown;
  on(event: 'done', listener: () => void): unknown;
}

function checkClient(c: AutocannonClient): void {
  const ok =
    typeof c._doRequest === 'function' &&
    typeof c._resetConnection === 'function' &&
    typeof c.destroy === 'function' &&
    typeof c.pipelinedRequests?.clear === 'function' &&
    typeof c.parser?.initialize === 'function' &&
    typeof c.parser[K_ON_HEADERS_COMPLETE] === 'function' &&
    typeof c.parser[K_ON_MESSAGE_COMPLETE] === 'function' &&
    c.conn !== undefined;
  if (!ok) throw new Error('canarysim hey: autocannon internals changed; it needs autocannon 9.0.0');
}

/** One of hey's workers, on one autocannon client. */
class HeyWorker {
  /** Logical requests started (what -n counts). */
  sent = 0;
  /** A request is on the wire and has no result yet. */
  inFlight = false;
  /** A redirect of the current request is being followed on node:http. */
  hopping = false;
  /** The last attempt failed in a way Go's transport retries; the next send is that retry. */
  retrying = false;
  /** We are replacing the connection for the request about to be sent. */
  reconnecting = false;
  /** Blocked on the ticker, as a hey worker on `<-throttle`. */
  waiting = false;
  tickReady = false;
  tickTimer: NodeJS.Timeout | undefined;
  done = false;

  startedAt = 0;
  attemptAt = 0;
  dialing = false;
  connMs = 0;
  dnsMs = 0;
  headersAt = 0;
  status = 0;
  contentLength = -1;
  location: string | undefined;
  /** A 1xx is being parsed; autocannon must not take it for the response. */
  interim = false;

  socket: Socket | undefined;
  socketUses = 0;
  socketReady = false;
  socketKeepAlive = true;
  erroredSocket: Socket | undefined;
  addrs: SocketAddresses = {};

  constructor(readonly client: AutocannonClient) {}
}

class LiveHeyDriver {
  private readonly acc = createHeyAccumulator();
  private readonly records: CsvRecord[] | undefined;
  private readonly workers: HeyWorker[] = [];
  private readonly perWorker: number;
  private readonly periodMs: number;
  private readonly timeoutMs: number;
  private readonly requestBytes: Buffer;
  private readonly errorPrefix: string;
  private readonly op: string;
  private readonly askedGzip: boolean;
  private readonly isHead: boolean;
  private readonly canRetry: boolean;
  private startAt = 0;
  private sentTotal = 0;
  private doneCount = 0;
  private stopping = false;
  private finished = false;
  private readonly hopAgents = new Map<string, http.Agent>();
  private stopTimer: { close(): void } | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private instance: autocannon.Instance | undefined;
  private resolve: ((run: LiveHeyRun) => void) | undefined;
  /** One object reused for every response: the accumulator only reads it. */
  private readonly scratch: HeyBulkResult & { phases: Record<HeyPhase, number> } = {
    count: 1,
    statusCode: 0,
    durationMs: 0,
    contentLength: 0,
    phases: { conn: 0, dns: 0, reqWrite: 0, respWait: 0, respRead: 0 },
  };

  constructor(
    private readonly opts: HeyOptions,
    private readonly target: Target,
    private readonly main: GoRequest,
    private readonly hooks: LiveHeyHooks,
    private readonly autocannon: typeof import('autocannon'),
  ) {
    this.records = opts.output === 'csv' ? [] : undefined;
    this.perWorker = perWorkerRequests(opts);
    // time.Tick(time.Duration(1e6/q) * time.Microsecond): whole microseconds. A period of 0
    // (q above a million) would make hey wait forever; here it means no limit.
    this.periodMs = opts.q > 0 ? Math.trunc(1e6 / opts.q) / 1000 : 0;
    this.timeoutMs = opts.timeoutSec > 0 ? Math.min(opts.timeoutSec, MAX_TIMEOUT_SEC) * 1000 : 0;
    this.requestBytes = goRequestBytes(main, opts);
    this.op = goUrlErrorOp(main.method);
    this.errorPrefix = `${this.op} ${goQuote(target.display)}: `;
    this.askedGzip = goHeaderLines(main, opts).some(([name]) => name === 'Accept-Encoding');
    this.isHead = main.method === 'HEAD';
    this.canRetry = replayable(main);
  }

  run(): Promise<LiveHeyRun> {
    return new Promise<LiveHeyRun>((resolve, reject) => {
      this.resolve = resolve;
      const { opts, target } = this;
      this.startAt = performance.now();
      this.instance = this.autocannon(
        {
          url: target.url.origin,
          connections: opts.c,
          // The budget is enforced in next(); autocannon's own must never be the one that bites.
          amount: opts.c * Math.floor(MAX_INT32 / opts.c),
          timeout: this.timeoutMs > 0 ? this.timeoutMs / 1000 : MAX_TIMEOUT_SEC,
          pipelining: 1,
          // Go sends -host as the TLS server name; an address is not a name (Node refuses one).
          servername: tlsServerName(opts.host),
          skipAggregateResult: true,
          // autocannon notices stop() only at its next sample; a short interval lets the process
          // exit right after the summary, as hey does, instead of up to a second later.
          sampleInt: 100,
          setupClient: (client) => this.setupClient(client as unknown as AutocannonClient),
        },
        (error) => {
          if (error && !this.finished) {
            this.cleanup();
            reject(error);
          }
        },
      );
      if (opts.z > 0) this.stopTimer = setLongTimeout(() => this.stop(), opts.z);
      const signal = this.hooks.signal;
      if (signal?.aborted) this.stop();
      else signal?.addEventListener('abort', this.onAbort, { once: true });
      if (this.hooks.onProgress) {
        const onProgress = this.hooks.onProgress;
        this.progressTimer = setInterval(() => {
          const elapsedMs = performance.now() - this.startAt;
          onProgress({ elapsedMs, sent: this.sentTotal, result: this.acc.finish(elapsedMs) });
        }, 1000);
        this.progressTimer.unref();
      }
    });
  }

  private readonly onAbort = (): void => this.stop();

  /** Called by autocannon inside each Client's constructor, before its first connection. */
  private setupClient(client: AutocannonClient): void {
    const w = new HeyWorker(client);
    this.workers.push(w);
    const send = client._doRequest;
    let instrumented = false;
    client.getRequestBuffer = () => this.requestBytes;
    client._doRequest = () => {
      // The first call comes from the constructor's first connect, once the parser is set up.
      if (!instrumented) {
        instrumented = true;
        checkClient(client);
        this.instrumentParser(w);
      }
      this.next(w, () => send.call(client));
    };
    client.on('connError', (error) => {
      if (w.erroredSocket === client.conn)
        this.transportFailed(w, goNetError(error, this.target.hostname, w.addrs));
    });
    client.on('done', () => {
      w.done = true;
      clearTimeout(w.tickTimer);
      if (++this.doneCount === this.opts.c) this.finish();
    });
    if (this.periodMs > 0) this.startTicker(w, () => send.call(client));
  }

  /** Headers, HEAD and 1xx handling, and parse errors, at the parser (autocannon ignores them). */
  private instrumentParser(w: HeyWorker): void {
    const parser = w.client.parser;
    const onHeaders = parser[K_ON_HEADERS_COMPLETE] as (info: ParserInfo) => unknown;
    const onComplete = parser[K_ON_MESSAGE_COMPLETE] as () => unknown;
    parser[K_ON_HEADERS_COMPLETE] = (info: ParserInfo) => {
      const status = info.statusCode;
      if (status >= 100 && status < 200 && status !== 101) {
        w.interim = true;
        return undefined;
      }
      this.gotHeaders(w, info);
      onHeaders(info);
      // A response to HEAD has no body whatever its Content-Length says.
      return this.isHead ? true : undefined;
    };
    parser[K_ON_MESSAGE_COMPLETE] = () => {
      if (w.interim) {
        w.interim = false;
        return undefined;
      }
      if (!w.inFlight) return undefined;
      const t = performance.now();
      // autocannon's own handler dequeues, emits its statistics and calls _doRequest → next().
      // The result is recorded first, so that next() sees the worker free.
      this.responded(w, t);
      return onComplete();
    };
    const execute = parser.execute.bind(parser);
    parser.execute = (chunk: Buffer, start?: number, length?: number) => {
      const r = execute(chunk, start, length);
      if (r instanceof Error) {
        // net/http gives up on the connection; so does this, after reporting the request on it.
        if (w.inFlight) this.fail(w, this.errorPrefix + goMalformedResponse(r, chunk));
        this.resetClient(w);
        w.client._resetConnection();
      }
      return r;
    };
  }

  private gotHeaders(w: HeyWorker, info: ParserInfo): void {
    w.headersAt = performance.now();
    w.status = info.statusCode;
    w.socketKeepAlive = info.shouldKeepAlive;
    let contentLength: string | undefined;
    let chunked = false;
    let gzipped = false;
    let location: string | undefined;
    const h = info.headers;
    for (let i = 0; i + 1 < h.length; i += 2) {
      const name = h[i] ?? '';
      // Compare lower-cased names only when the length matches: this runs for every response.
      if (name.length === 14) {
        if (name.toLowerCase() === 'content-length') contentLength ??= h[i + 1];
      } else if (name.length === 17) {
        if (name.toLowerCase() === 'transfer-encoding') chunked = /chunked/i.test(h[i + 1] ?? '');
      } else if (name.length === 16) {
        if (name.toLowerCase() === 'content-encoding')
          gzipped = (h[i + 1] ?? '').trim().toLowerCase() === 'gzip';
      } else if (name.length === 8 && w.status >= 300 && w.status < 400) {
        if (name.toLowerCase() === 'location') location ??= h[i + 1];
      }
    }
    w.contentLength = goContentLength(
      this.main.method,
      w.status,
      contentLength,
      chunked,
      gzipped,
      this.askedGzip,
    );
    w.location = location;
  }

  /**
   * The worker's loop step, in place of autocannon's _doRequest: autocannon calls it after every
   * response and after every (re)connect. `send` is autocannon's own _doRequest.
   */
  private next(w: HeyWorker, send: () => void): void {
    // Only autocannon's timeout reconnects under a request that has no result yet.
    if (w.inFlight) this.timedOut(w);
    if (w.hopping || w.waiting) return;
    if (w.retrying || w.reconnecting) {
      this.dispatch(w, send);
      return;
    }
    // hey's worker loop: stop before the next request, or when its share of -n is sent …
    if (this.stopping || w.sent >= this.perWorker) {
      w.client.destroy();
      return;
    }
    // … then wait for the ticker.
    if (this.periodMs > 0) {
      if (!w.tickReady) {
        w.waiting = true;
        return;
      }
      w.tickReady = false;
    }
    this.dispatch(w, send);
  }

  /** Sends the worker's next request (or the retry of its current one) on a usable connection. */
  private dispatch(w: HeyWorker, send: () => void): void {
    const client = w.client;
    const sock = client.conn;
    if (sock === w.socket && w.socketUses > 0 && (this.opts.disableKeepAlive || !w.socketKeepAlive)) {
      // A new connection per request, as Go's transport does without keep-alive or after a
      // response that closes the connection; autocannon's reconnect calls next() → here again.
      w.reconnecting = true;
      client._resetConnection();
      w.reconnecting = false;
      return;
    }
    if (sock !== w.socket) this.adoptSocket(w, sock);
    const now = performance.now();
    if (w.retrying) {
      w.retrying = false;
    } else {
      w.sent++;
      this.sentTotal++;
      w.startedAt = now;
    }
    w.attemptAt = now;
    w.socketUses++;
    w.inFlight = true;
    w.dialing = !w.socketReady;
    w.connMs = 0;
    w.dnsMs = 0;
    w.headersAt = 0;
    send();
  }

  /** A new connection: time its dial for the request waiting on it, and watch how it ends. */
  private adoptSocket(w: HeyWorker, sock: Socket): void {
    w.socket = sock;
    w.socketUses = 0;
    w.socketKeepAlive = true;
    // A connection autocannon opened while the worker was busy elsewhere may be up already.
    w.socketReady =
      !sock.connecting && (this.target.scheme === 'http' || (sock as TLSSocket).getProtocol?.() != null);
    w.addrs = w.socketReady ? addressesOf(sock) : {};
    sock.once('lookup', () => {
      if (w.socket === sock && w.inFlight && w.dialing) w.dnsMs = performance.now() - w.attemptAt;
    });
    sock.once(this.target.scheme === 'https' ? 'secureConnect' : 'connect', () => {
      if (w.socket !== sock) return;
      w.socketReady = true;
      w.addrs = addressesOf(sock);
      if (w.inFlight && w.dialing) {
        w.connMs = performance.now() - w.attemptAt;
        w.dialing = false;
      }
    });
    // Before autocannon's listeners, which reconnect (and so send) straight away.
    sock.prependListener('error', () => {
      w.erroredSocket = sock;
    });
    sock.prependListener('end', () => {
      if (sock === w.client.conn) this.transportFailed(w, 'EOF');
    });
  }

  /**
   * The connection under the current request broke (autocannon reconnects right after). Go
   * counts a response whose headers arrived, ignoring a broken body; retries an idempotent
   * request whose reused connection failed before answering; and reports anything else.
   */
  private transportFailed(w: HeyWorker, message: string): void {
    if (!w.inFlight) return; // an idle connection: Go's pool drops it without a word
    this.resetClient(w);
    if (w.headersAt > 0) {
      this.responded(w, performance.now());
    } else if (this.canRetry && w.socketUses > 1) {
      w.inFlight = false;
      w.retrying = true;
    } else {
      this.fail(w, this.errorPrefix + message);
    }
  }

  /** autocannon's timeout fired and it already replaced the connection. */
  private timedOut(w: HeyWorker): void {
    this.resetClient(w);
    if (w.headersAt > 0) this.responded(w, performance.now());
    else this.fail(w, this.errorPrefix + CLIENT_TIMEOUT);
  }

  private resetClient(w: HeyWorker): void {
    w.client.pipelinedRequests.clear();
    w.client.parser.initialize('RESPONSE');
    w.interim = false;
  }

  /** The current request's response is complete (or as complete as it will get). */
  private responded(w: HeyWorker, t: number): void {
    if (!this.opts.disableRedirects && w.location !== undefined && w.location !== '') {
      const method = redirectBehavior(this.main.method, w.status, this.main.body.length > 0);
      if (method !== undefined) {
        this.followRedirects(w, method, w.location);
        return;
      }
    }
    const wait = w.headersAt - (w.attemptAt + w.connMs);
    this.complete(w, t, w.status, w.contentLength, wait, t - w.headersAt);
  }

  private complete(
    w: HeyWorker,
    t: number,
    status: number,
    contentLength: number,
    respWaitMs: number,
    respReadMs: number,
  ): void {
    w.inFlight = false;
    const s = this.scratch;
    s.statusCode = status;
    s.durationMs = t - w.startedAt;
    s.contentLength = contentLength;
    s.phases.conn = w.connMs;
    s.phases.dns = w.dnsMs;
    s.phases.respWait = Math.max(0, respWaitMs);
    s.phases.respRead = Math.max(0, respReadMs);
    this.acc.addBulk(s);
    if (this.records && this.records.length < HEY_MAX_SAMPLES) {
      this.records.push({
        durationMs: s.durationMs,
        connMs: w.connMs,
        dnsMs: w.dnsMs,
        reqWriteMs: 0,
        respWaitMs: s.phases.respWait,
        respReadMs: s.phases.respRead,
        statusCode: status,
        offsetMs: w.startedAt - this.startAt,
      });
    }
  }

  private fail(w: HeyWorker, message: string): void {
    w.inFlight = false;
    this.acc.addErrors(message, 1);
  }

  /**
   * hey's `time.Tick(1/q)`: ticks on a fixed grid from the worker's start; a tick that comes while
   * the worker is busy waits (one at most), later ones are dropped.
   */
  private startTicker(w: HeyWorker, send: () => void): void {
    const origin = performance.now();
    // Index of the next tick. Node may run a timer a fraction of a millisecond before its
    // fractional due time, so the index, not the clock, says which tick this is.
    let k = 1;
    const schedule = (): void => {
      const now = performance.now();
      w.tickTimer = setTimeout(tick, Math.max(0, origin + k * this.periodMs - now));
    };
    const tick = (): void => {
      if (w.done) return;
      w.tickReady = true;
      if (w.waiting) {
        // A worker blocked on the ticker sends when it ticks, even if hey was stopped meanwhile.
        w.waiting = false;
        w.tickReady = false;
        this.dispatch(w, send);
      }
      k = Math.max(k + 1, Math.floor((performance.now() - origin) / this.periodMs) + 1);
      schedule();
    };
    schedule();
  }

  /** Follows the current request's redirects on node:http, then frees the worker. */
  private followRedirects(w: HeyWorker, method: string, location: string): void {
    w.inFlight = false;
    w.hopping = true;
    void this.redirectChain(w, method, location).then(() => {
      w.hopping = false;
      if (!w.client.destroyed) w.client._doRequest();
    });
  }

  private async redirectChain(w: HeyWorker, firstMethod: string, firstLocation: string): Promise<void> {
    let requests = 1;
    let method = firstMethod;
    let location = firstLocation;
    let from = this.target.url;
    let referer = this.target.display.replace(/\/\/[^@/]*@/, '//');
    let hostHeader = this.main.host;
    const deadline = this.timeoutMs > 0 ? w.startedAt + this.timeoutMs : Infinity;
    for (;;) {
      let to: URL;
      try {
        to = new URL(location, from);
      } catch {
        this.fail(
          w,
          `${this.op} ${goQuote(from.href)}: failed to parse Location header ${goQuote(location)}`,
        );
        return;
      }
      if (requests >= MAX_REDIRECTS) {
        this.fail(w, `${this.op} ${goQuote(location)}: stopped after ${MAX_REDIRECTS} redirects`);
        return;
      }
      if (to.protocol !== 'http:' && to.protocol !== 'https:') {
        const scheme = to.protocol.slice(0, -1);
        this.fail(w, `${this.op} ${goQuote(to.href)}: unsupported protocol scheme ${goQuote(scheme)}`);
        return;
      }
      // Go keeps a custom Host only through relative redirects, and credentials only to the same
      // host or its subdomains.
      const relative = !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(location);
      if (!(relative && this.opts.host !== '')) hostHeader = to.host;
      const header = new Map(this.main.header);
      if (!sameOrSubdomain(to.hostname, this.target.url.hostname)) {
        for (const name of ['Authorization', 'Www-Authenticate', 'Cookie', 'Cookie2']) header.delete(name);
      }
      if (!(from.protocol === 'https:' && to.protocol === 'http:')) header.set('Referer', referer);
      const req: GoRequest = {
        method,
        requestUri: `${to.pathname}${to.search}`,
        host: hostHeader,
        header,
        body: Buffer.alloc(0),
      };
      const hop = await this.hopRequest(to, req, deadline);
      requests++;
      if ('error' in hop) {
        this.fail(w, `${this.op} ${goQuote(to.href)}: ${hop.error}`);
        return;
      }
      const nextMethod =
        this.opts.disableRedirects || hop.location === undefined || hop.location === ''
          ? undefined
          : redirectBehavior(method, hop.status, false);
      if (nextMethod === undefined || hop.location === undefined) {
        this.complete(w, performance.now(), hop.status, hop.contentLength, hop.waitMs, hop.readMs);
        return;
      }
      referer = `${to.protocol}//${to.host}${to.pathname}${to.search}`;
      from = to;
      method = nextMethod;
      location = hop.location;
    }
  }

  /** One redirect hop on node:http, with Go's request lines and the request's remaining time. */
  private hopRequest(url: URL, req: GoRequest, deadline: number): Promise<HopOutcome> {
    const secure = url.protocol === 'https:';
    const lines = goHeaderLines(req, this.opts);
    const askedGzip = lines.some(([name]) => name === 'Accept-Encoding');
    let agent = this.hopAgents.get(url.protocol);
    if (!agent) {
      const keepAlive = !this.opts.disableKeepAlive;
      agent = secure
        ? new https.Agent({ keepAlive, rejectUnauthorized: false })
        : new http.Agent({ keepAlive });
      this.hopAgents.set(url.protocol, agent);
    }
    const started = performance.now();
    return new Promise<HopOutcome>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (o: HopOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const r = (secure ? https : http).request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port,
        method: req.method,
        path: req.requestUri,
        headers: lines.flat(),
        agent,
      });
      if (Number.isFinite(deadline)) {
        timer = setTimeout(
          () => {
            settle({ error: CLIENT_TIMEOUT });
            r.destroy();
          },
          Math.min(MAX_TIMER_MS, Math.max(0, deadline - started)),
        );
      }
      r.on('error', (e) => settle({ error: goNetError(e, url.hostname, addressesOf(r.socket)) }));
      r.on('response', (res) => {
        const gotHeaders = performance.now();
        const h = res.headers;
        const status = res.statusCode ?? 0;
        const outcome = {
          status,
          contentLength: goContentLength(
            req.method,
            status,
            h['content-length'],
            /chunked/i.test(h['transfer-encoding'] ?? ''),
            (h['content-encoding'] ?? '').trim().toLowerCase() === 'gzip',
            askedGzip,
          ),
          location: h.location,
          waitMs: gotHeaders - started,
        };
        // Go reads and discards the body; an error while reading it leaves the response a response.
        const bodyDone = (): void => settle({ ...outcome, readMs: performance.now() - gotHeaders });
        res.on('end', bodyDone);
        res.on('error', bodyDone);
        res.on('aborted', bodyDone);
        res.resume();
      });
      r.end();
    });
  }

  /** hey's Stop(): every worker stops before its next request; in-flight ones finish. */
  private stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.stopTimer?.close();
    for (const w of this.workers) {
      if (!w.done && !w.inFlight && !w.hopping && !w.waiting && !w.retrying) w.client.destroy();
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const totalMs = performance.now() - this.startAt;
    this.cleanup();
    this.resolve?.({ result: this.acc.finish(totalMs), ...(this.records ? { records: this.records } : {}) });
  }

  private cleanup(): void {
    this.stopTimer?.close();
    clearInterval(this.progressTimer);
    this.hooks.signal?.removeEventListener('abort', this.onAbort);
    for (const agent of this.hopAgents.values()) agent.destroy();
    // autocannon lets its timers go at its next sample (sampleInt).
    this.instance?.stop();
  }
}

type HopOutcome =
  | { error: string }
  | { status: number; contentLength: number; location: string | undefined; waitMs: number; readMs: number };

function addressesOf(sock: Socket | null | undefined): SocketAddresses {
  if (!sock?.localAddress || !sock.remoteAddress) return {};
  return {
    local: hostPort(sock.localAddress, sock.localPort ?? 0),
    remote: hostPort(sock.remoteAddress, sock.remotePort ?? 0),
  };
}

function tlsServerName(host: string): string | undefined {
  const name = host.replace(/:\d*$/, '').replace(/^\[(.*)\]$/, '$1');
  return name === '' || isIP(name) !== 0 ? undefined : name;
}

/** Go's isDomainOrSubdomain for redirect header copying. */
function sameOrSubdomain(sub: string, parent: string): boolean {
  const a = sub.toLowerCase();
  const b = parent.toLowerCase();
  return a === b || a.endsWith(`.${b}`);
}

/** setTimeout for any length (hey's -z can exceed the 24.8 days a Node timer holds). */
function setLongTimeout(fn: () => void, ms: number): { close(): void } {
  let timer: NodeJS.Timeout;
  const due = performance.now() + ms;
  const arm = (): void => {
    const left = due - performance.now();
    timer = setTimeout(left > MAX_TIMER_MS ? arm : fn, Math.min(Math.max(0, left), MAX_TIMER_MS));
  };
  arm();
  return { close: () => clearTimeout(timer) };
}
