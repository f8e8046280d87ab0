import type { AppImage, AppProcessView, AppRequest, ContainerConfig } from '../types.js';
import { probeByAnswers } from '../types.js';

export const SILLY_DEMO_REPOSITORY = 'ghcr.io/vfarcic/silly-demo';

/** Tags of every silly-demo release the catalogue models, for messages (1.4.130 was never released). */
export const KNOWN_SILLY_DEMO_TAGS: readonly string[] = Array.from({ length: 13 }, (_, i) => 125 + i)
  .filter((p) => p !== 130)
  .map((p) => `1.4.${p}`);

const TEXT = 'text/plain; charset=utf-8';

/** silly-demo endpoints that exist but whose effects (CPU burn, outgoing calls, a database) are not simulated. */
const UNSIMULATED = new Set(['/fibonacci', '/ping', '/memory-leak', '/videos', '/video']);

/** False for silly-demo paths whose behaviour canarysim does not model: requests to them are refused up front. */
export function isSimulatedPath(path: string): boolean {
  return !UNSIMULATED.has(path);
}

/**
 * silly-demo 1.4.x (spec/seed-demo.md §2): the image tag is the version it prints (from 1.4.126);
 * `?fail=<non-empty>` answers 400 up to 1.4.128 and 500 from 1.4.129; from 1.4.131 a non-empty
 * env FAIL makes every `/` request fail — its readiness and liveness probes (`GET /`) too. Only
 * `GET /` and Gin's 404 are modelled; the other endpoints are refused before a run starts.
 * Undefined for a tag that was never released (a pod running it stays in ImagePullBackOff).
 */
export function sillyDemo(tag: string, c: ContainerConfig): AppImage | undefined {
  const m = /^1\.4\.(\d+)$/.exec(tag);
  const patch = m ? Number(m[1]) : NaN;
  if (!(patch >= 125 && patch <= 137) || patch === 130) return undefined;
  const bakedVersion = patch >= 126 ? `1.4.${patch}` : '';
  const failStatus = patch >= 129 ? 500 : 400;
  const failEnv = patch >= 131;
  const env = c.env;
  const app: AppImage = {
    kind: 'silly-demo',
    image: c.image,
    description: `silly-demo ${tag}`,
    port: Number(env['PORT']) > 0 ? Number(env['PORT']) : 8080,
    // A Go binary: listening almost at once.
    startupMs: 50,
    statelessRespond: true,
    probe: (_kind, path, proc) => probeByAnswers(app, path, proc),
    respond(req: AppRequest, _proc: AppProcessView) {
      if (req.method !== 'GET' || req.path !== '/')
        return [{ weight: 1, status: 404, body: '404 page not found', contentType: TEXT }];
      if (req.query['fail'] || (failEnv && env['FAIL'])) {
        return [
          {
            weight: 1,
            status: req.query['fail'] ? failStatus : 500,
            body: 'Something terrible happened',
            contentType: TEXT,
          },
        ];
      }
      const message = env['MESSAGE'] || 'This is a silly demo';
      const version = env['VERSION'] ?? bakedVersion;
      let text = version ? `${message} version ${version}` : message;
      if (req.query['html']) text = `<h1>${text}</h1>`;
      return [{ weight: 1, status: 200, body: `${text}\n`, contentType: TEXT }];
    },
  };
  return app;
}
