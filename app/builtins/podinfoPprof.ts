import { fixedLatency } from '../latency.js';
import { parseFloat64, parseInt64 } from '../../go/strconv.js';
import type { BuiltinAnswer } from './builtinTypes.js';
import { GO_HTML, GO_TEXT, goHtmlEscape, goNotFound, NOSNIFF } from './goHttp.js';

// net/http/pprof behind podinfo's `/debug/pprof/` route (the router hands the request to
// http.DefaultServeMux, where the pprof package registered itself). Profiles are binary or
// runtime dumps canarysim has no data for: their answers have the real status, headers and
// duration, and an empty body.

/** runtime/pprof's predefined profiles, as the index lists them. */
const PROFILES = ['allocs', 'block', 'goroutine', 'heap', 'mutex', 'threadcreate'] as const;

const serveError = (status: number, txt: string): BuiltinAnswer => ({
  weight: 1,
  status,
  body: `${txt}\n`,
  contentType: GO_TEXT,
  headers: { 'x-go-pprof': '1', ...NOSNIFF },
});

/** A profile download, collected over `latencyMs` (asked for by `?seconds=` when `requested`). */
const download = (name: string, latencyMs = 0, requested = false): BuiltinAnswer => ({
  weight: 1,
  status: 200,
  body: '',
  contentType: 'application/octet-stream',
  headers: { 'content-disposition': `attachment; filename="${name}"`, ...NOSNIFF },
  ...(latencyMs > 0 ? { latency: fixedLatency(latencyMs) } : {}),
  ...(latencyMs > 0 && requested ? { requestedLatency: true as const } : {}),
});

function indexPage(): string {
  const rows = ['cmdline', ...PROFILES, 'profile', 'symbol', 'trace']
    .map((p) => `<a href="${goHtmlEscape(p)}?debug=1">${goHtmlEscape(p)}</a><br>`)
    .join('\n');
  return `<html>\n<head>\n<title>/debug/pprof/</title>\n</head>\n<body>\n/debug/pprof/<br>\n<br>\nTypes of profiles available:\n${rows}\n</body>\n</html>\n`;
}

/**
 * The pprof answer for `path` with `query`, given podinfo's argv (for `cmdline`) and its HTTP
 * WriteTimeout (`profile` and `trace` refuse a duration that reaches it: the default 30 s
 * profile always does under podinfo's default 30 s timeout). Only `/debug/pprof/…` itself is
 * registered on the default mux: with `--prefix` the route answers 404.
 */
export function pprofAnswer(
  path: string,
  query: Readonly<Record<string, string>>,
  argv: readonly string[],
  writeTimeoutMs: number,
): BuiltinAnswer {
  if (!path.startsWith('/debug/pprof/')) return goNotFound();
  const name = path.slice('/debug/pprof/'.length);
  const exceeds = (seconds: number) => writeTimeoutMs > 0 && seconds * 1000 >= writeTimeoutMs;
  switch (name) {
    case '':
      return { weight: 1, status: 200, body: indexPage(), contentType: GO_HTML };
    case 'cmdline':
      return { weight: 1, status: 200, body: argv.join('\0'), contentType: GO_TEXT, headers: NOSNIFF };
    case 'symbol':
      return { weight: 1, status: 200, body: 'num_symbols: 1\n', contentType: GO_TEXT, headers: NOSNIFF };
    case 'profile': {
      const n = parseInt64(query['seconds'] ?? '');
      const asked = typeof n !== 'string' && n > 0n;
      const seconds = asked ? Number(n) : 30;
      if (exceeds(seconds)) return serveError(400, "profile duration exceeds server's WriteTimeout");
      return download('profile', seconds * 1000, asked);
    }
    case 'trace': {
      const f = parseFloat64(query['seconds'] ?? '');
      const asked = typeof f !== 'string' && f > 0;
      const seconds = asked ? f : 1;
      if (exceeds(seconds)) return serveError(400, "profile duration exceeds server's WriteTimeout");
      return download('trace', seconds * 1000, asked);
    }
  }
  if (!(PROFILES as readonly string[]).includes(name)) return serveError(404, 'Unknown profile');
  if (query['seconds'] !== undefined && query['seconds'] !== '') {
    // A delta profile: two snapshots `seconds` apart.
    const n = parseInt64(query['seconds']);
    if (typeof n === 'string' || n <= 0n) return serveError(400, 'invalid value for "seconds"');
    if (exceeds(Number(n))) return serveError(400, "profile duration exceeds server's WriteTimeout");
    return download(`${name}-delta`, Number(n) * 1000, true);
  }
  const debug = parseInt64(query['debug'] ?? '');
  if (typeof debug !== 'string' && debug !== 0n)
    return { weight: 1, status: 200, body: '', contentType: GO_TEXT, headers: NOSNIFF };
  return download(name);
}
