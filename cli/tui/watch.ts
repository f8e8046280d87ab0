import { InputError } from '../../sim/errors.js';
import type { ControlClient } from '../live/controlApi.js';
import { renderGetRollout } from '../views/renderGetRollout.js';
import { errorMessage } from './errorMessage.js';
import { startPoller } from './poller.js';

/** Cursor home, then erase the screen: what the plugin writes before each frame. */
export const CLEAR_SCREEN = '\u001b[H\u001b[2J';
/** The plugin's rate limit on frames. */
export const MIN_FRAME_INTERVAL_MS = 200;
/** The plugin's ticker: ages move even when nothing else does. */
export const TICK_MS = 1000;
/**
 * How often the rollout is read. The plugin is told about changes by informers; over the
 * control API we ask instead, as often as a frame may be drawn.
 */
export const WATCH_POLL_MS = 200;

export interface WatchOptions {
  namespace: string;
  name: string;
  /** Where frames go: a Writable such as process.stdout, or anything with its `write` (the CLI's io.stdout). */
  out: { write(chunk: string): unknown };
  /** Stop after this many (wall-clock) seconds, as `--timeout-seconds`. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /** The plugin's colours; off by default, as renderGetRollout (`--no-color`). */
  color?: boolean;
}

/**
 * `kubectl argo rollouts get rollout <name> --watch`: draws the full `get rollout` block at
 * once, again whenever it changes and every second, never more often than every 200 ms, each
 * frame starting with CLEAR_SCREEN. Resolves when `timeoutSeconds` pass or `signal` aborts;
 * rejects if the rollout cannot be read (the CLI reports it and sets the exit code).
 */
export function watchRollout(client: ControlClient, opts: WatchOptions): Promise<void> {
  const { namespace, name, out, signal } = opts;
  if (signal?.aborted === true) return Promise.resolve();

  return new Promise<void>((resolve, reject) => {
    let latest: string | undefined;
    let shown: string | undefined;
    let lastFrameAt = -Infinity;
    let frameTimer: NodeJS.Timeout | undefined;
    let done = false;

    const draw = (): void => {
      frameTimer = undefined;
      if (done || latest === undefined) return;
      out.write(CLEAR_SCREEN + latest);
      shown = latest;
      lastFrameAt = Date.now();
    };
    /** Draws now if the last frame is old enough, else once when it is; requests coalesce. */
    const requestFrame = (): void => {
      if (done || frameTimer !== undefined) return;
      const wait = lastFrameAt + MIN_FRAME_INTERVAL_MS - Date.now();
      if (wait <= 0) draw();
      else frameTimer = setTimeout(draw, wait);
    };

    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      poller.stop();
      clearInterval(ticker);
      clearTimeout(frameTimer);
      clearTimeout(timeout);
      signal?.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onAbort = (): void => finish();

    const poller = startPoller(
      async () => {
        const detail = await client.rollout(namespace, name);
        if (done) return;
        latest = renderGetRollout(detail.view, detail.now, {
          color: opts.color ?? false,
          ...(detail.clock ? { clock: detail.clock } : {}),
        });
        if (latest !== shown) requestFrame();
      },
      WATCH_POLL_MS,
      (err) => {
        // The server went away or the rollout is gone: bad input, one line; anything else is a bug.
        const message = `watching rollout ${namespace}/${name}: ${errorMessage(err)}`;
        finish(
          err instanceof InputError
            ? new InputError(message, undefined, { cause: err })
            : new Error(message, { cause: err }),
        );
      },
    );
    const ticker = setInterval(requestFrame, TICK_MS);
    const timeout =
      opts.timeoutSeconds === undefined ? undefined : setTimeout(() => finish(), opts.timeoutSeconds * 1000);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
