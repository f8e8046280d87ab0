import { K8S_ALPHANUMS } from '../clock/index.js';

/** Deterministic JSON: object keys sorted, so equal templates give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Kubernetes' `rand.SafeEncodeString`: each character mapped into the vowel-free alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += K8S_ALPHANUMS[s.charCodeAt(i) % K8S_ALPHANUMS.length];
  return out;
}

/**
 * The pod-template hash: like Kubernetes' `ComputeHash`, a 32-bit FNV-1a of the template (plus
 * the collision count) printed in decimal and safe-encoded, so it has the same alphabet and length
 * as Argo's (e.g. `5c5547db68`). The same template always yields the same hash, which is why
 * re-applying an old image reuses its ReplicaSet. The bytes hashed are our canonical JSON rather
 * than Go's spew dump, so the values differ from a real cluster's.
 */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const text = canonicalJson(template) + (collisionCount > 0 ? `#${collisionCount}` : '');
  return safeEncodeString(String(fnv1a32(text)));
}
