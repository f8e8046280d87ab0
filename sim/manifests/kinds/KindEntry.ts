import type { ManifestNode } from '../ManifestNode.js';

/**
 * A kind canarysim accepts. `simulated`: the world acts on it. `inert`: a cluster accepts it and
 * a rehearsal has nothing to observe of it (a Secret, an RBAC rule): it is validated as far as it
 * matters, applied (kubectl prints its line) and otherwise ignored.
 */
export interface KindEntry {
  kind: string;
  apiVersions: readonly string[];
  namespaced: boolean;
  role: 'simulated' | 'inert';
  /** Its top-level fields besides apiVersion, kind and metadata (a typo among them is an error). */
  fields: readonly string[];
  /** Reads the object (the document's root) into its spec; absent: the spec is `{}`. */
  parse?: (root: ManifestNode) => unknown;
}

/**
 * A kind a cluster accepts that canarysim does not simulate, refused by name: matched by kind and
 * API group (`''` is the core group), with why a rehearsal cannot play it.
 */
export interface RejectedKind {
  kind: string;
  groups: readonly string[];
  why: string;
}
