import type { AppBehaviour } from './catalogue.js';

/** The parts of an HTTP request silly-demo looks at. */
export interface AppRequest {
  method: string;
  path: string;
  /** Decoded query parameters; the first value wins, as Gin's `c.Query` does. */
  query: Readonly<Record<string, string>>;
}

export interface AppResponse {
  status: number;
  body: string;
  contentType: string;
}

/** Container environment as the pod spec sets it (`env: [{name, value}]`). */
export type AppEnv = Readonly<Record<string, string>>;

const TEXT = 'text/plain; charset=utf-8';

/**
 * silly-demo 1.4.x's answer to one request, as a pure function of its image, its environment and
 * the request (spec/seed-demo.md §2). Only `GET /` and Gin's 404 are modelled; requests to the
 * app's other endpoints are refused before a run starts (see `isSimulatedPath`).
 */
export function handleRequest(app: AppBehaviour, env: AppEnv, req: AppRequest): AppResponse {
  if (req.method !== 'GET' || req.path !== '/') {
    return { status: 404, body: '404 page not found', contentType: TEXT };
  }
  if (req.query['fail'] || (app.failEnv && env['FAIL'])) {
    return {
      status: req.query['fail'] ? app.failStatus : 500,
      body: 'Something terrible happened',
      contentType: TEXT,
    };
  }
  const message = env['MESSAGE'] || 'This is a silly demo';
  const version = env['VERSION'] ?? app.bakedVersion;
  let text = version ? `${message} version ${version}` : message;
  if (req.query['html']) text = `<h1>${text}</h1>`;
  return { status: 200, body: `${text}\n`, contentType: TEXT };
}

/** silly-demo endpoints that exist but whose effects (CPU burn, outgoing calls, a database) are not simulated. */
const UNSIMULATED = new Set(['/fibonacci', '/ping', '/memory-leak', '/videos', '/video']);

/** False for silly-demo paths whose behaviour canarysim does not model: requests to them are rejected up front. */
export function isSimulatedPath(path: string): boolean {
  return !UNSIMULATED.has(path);
}
