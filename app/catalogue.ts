/**
 * How each image the simulator knows behaves. Facts from spec/seed-demo.md §2: silly-demo's
 * image tag is the version it prints; `?fail=` answers 400 up to 1.4.128 and 500 from 1.4.129;
 * 1.4.130 was never released; from 1.4.131 a non-empty env FAIL makes every `/` answer 500.
 */
export interface AppBehaviour {
  /** Image repository without tag, e.g. `ghcr.io/vfarcic/silly-demo`. */
  repository: string;
  tag: string;
  /** Version baked into the image (env VERSION in the Dockerfile); "" prints no version. */
  bakedVersion: string;
  /** Status for `GET /?fail=<non-empty>`. */
  failStatus: 400 | 500;
  /** Whether a non-empty env FAIL makes every `/` request fail (1.4.131 and later). */
  failEnv: boolean;
  /** Pod start-up work beyond the image pull, ms (Go binary: near instant). */
  startupMs: number;
}

export const SILLY_DEMO_REPOSITORY = 'ghcr.io/vfarcic/silly-demo';

/** A parsed container image reference. */
export interface ImageRef {
  repository: string;
  tag: string;
}

/** Splits `repo[:tag]` (a port in the registry host is not a tag); the default tag is `latest`. */
export function parseImage(image: string): ImageRef {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  if (colon > slash && (at < 0 || colon < at))
    return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: 'latest' };
}

function sillyDemo(patch: number): AppBehaviour | undefined {
  if (patch < 125 || patch > 137 || patch === 130) return undefined;
  return {
    repository: SILLY_DEMO_REPOSITORY,
    tag: `1.4.${patch}`,
    bakedVersion: patch >= 126 ? `1.4.${patch}` : '',
    failStatus: patch >= 129 ? 500 : 400,
    failEnv: patch >= 131,
    startupMs: 50,
  };
}

/** Tags of every silly-demo release the catalogue models, for error messages. */
export const KNOWN_SILLY_DEMO_TAGS: readonly string[] = Array.from({ length: 13 }, (_, i) => 125 + i)
  .filter((p) => p !== 130)
  .map((p) => `1.4.${p}`);

/**
 * The behaviour of `image`, or undefined when the image does not exist (a pod running it
 * stays in ImagePullBackOff, as a missing tag does in a real cluster).
 */
export function lookupImage(image: string): AppBehaviour | undefined {
  const { repository, tag } = parseImage(image);
  if (repository !== SILLY_DEMO_REPOSITORY) return undefined;
  const m = /^1\.4\.(\d+)$/.exec(tag);
  return m ? sillyDemo(Number(m[1])) : undefined;
}

/** Whether the catalogue knows anything about this repository (unknown repositories are rejected up front). */
export function isKnownRepository(image: string): boolean {
  return parseImage(image).repository === SILLY_DEMO_REPOSITORY;
}
