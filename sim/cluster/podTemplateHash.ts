import { K8S_ALPHANUMS } from '../clock/index.js';

/** Deterministic JSON: object keys sorted, so equal templates give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  let out = '';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `[${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (out === '' ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
  }
  return `{${out}}`;
}

/** 32-bit FNV-1a over the UTF-8 bytes of `text` (encoded as it goes: no byte array). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  const byte = (b: number) => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    // A lone surrogate is U+FFFD in UTF-8, as TextEncoder writes it.
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) byte(c);
    else if (c < 0x800) {
      byte(0xc0 | (c >> 6));
      byte(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      byte(0xe0 | (c >> 12));
      byte(0x80 | ((c >> 6) & 0x3f));
      byte(0x80 | (c & 0x3f));
    } else {
      byte(0xf0 | (c >> 18));
      byte(0x80 | ((c >> 12) & 0x3f));
      byte(0x80 | ((c >> 6) & 0x3f));
      byte(0x80 | (c & 0x3f));
    }
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
