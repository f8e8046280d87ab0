import { genericApp } from './builtins/generic.js';
import { SILLY_DEMO_REPOSITORY, sillyDemo } from './builtins/sillyDemo.js';
import type { AppImage, ContainerConfig } from './types.js';

/** A parsed container image reference. */
export interface ImageRef {
  repository: string;
  tag: string;
}

/**
 * Splits `repo[:tag][@digest]` (a port in the registry host is not a tag); the default tag is
 * `latest`. Docker Hub's implicit prefixes are dropped (`docker.io/library/nginx` is `nginx`,
 * `docker.io/argoproj/x` is `argoproj/x`), so one repository has one name.
 */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const [repo, tag] = colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
  return { repository: normaliseRepository(repo), tag };
}

function normaliseRepository(repo: string): string {
  let r = repo;
  for (const p of ['docker.io/', 'index.docker.io/', 'registry-1.docker.io/'])
    if (r.startsWith(p)) r = r.slice(p.length);
  if (r.startsWith('library/') && r.indexOf('/', 'library/'.length) < 0) r = r.slice('library/'.length);
  return r;
}

/** A built-in app: given a tag and the container, its image, or undefined when the tag does not exist. */
type Builtin = (tag: string, c: ContainerConfig) => AppImage | undefined;

const BUILTINS = new Map<string, Builtin>([[SILLY_DEMO_REPOSITORY, sillyDemo]]);

/** Registers a built-in app's repository (rollouts-demo and podinfo register themselves in builtins/index.ts). */
export function registerBuiltin(repositories: readonly string[], app: Builtin): void {
  for (const r of repositories) BUILTINS.set(r, app);
}

/** What canarysim knows of an image. */
export type ImageLookup =
  /** A built-in app, configured by its container. */
  | { kind: 'builtin'; app: AppImage }
  /** A built-in repository without this tag: pulling it fails (ErrImagePull, then ImagePullBackOff). */
  | { kind: 'missing'; repository: string }
  /** An image canarysim has no model of. */
  | { kind: 'unknown' };

/** Looks an image up among the built-in apps. */
export function lookupImage(c: ContainerConfig): ImageLookup {
  const { repository, tag } = parseImage(c.image);
  const builtin = BUILTINS.get(repository);
  if (!builtin) return { kind: 'unknown' };
  const app = builtin(tag, c);
  return app ? { kind: 'builtin', app } : { kind: 'missing', repository };
}

/** The built-in app of the image's repository, whatever the tag (a scenario's model of a tag the catalogue lacks). */
export function builtinOrGeneric(c: ContainerConfig): AppImage {
  const found = lookupImage(c);
  return found.kind === 'builtin' ? found.app : genericApp(c);
}

/** Repositories with a built-in app. */
export function builtinRepositories(): string[] {
  return [...BUILTINS.keys()].sort();
}
