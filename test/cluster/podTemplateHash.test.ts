import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fnv1a32, podTemplateHash } from '../../sim/cluster/podTemplateHash.js';

/** FNV-1a the plain way: over TextEncoder's UTF-8 bytes (what fnv1a32 computes without them). */
function reference(text: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

describe('podTemplateHash', () => {
  it("FNV-1a's published vectors", () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes TextEncoder writes, lone surrogates as U+FFFD included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => fnv1a32(s) === reference(s)),
      { seed: 20261206, numRuns: 2000 },
    );
    for (const s of ['héllo', '日本語', '😀x', '\ud800a', 'a\udc00', '\ud83d'])
      expect(fnv1a32(s)).toBe(reference(s));
  });

  it('canonical JSON sorts keys and drops undefined, as equal templates must hash equal', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }], e: null })).toBe(
      '{"a":[1,{"c":"x"}],"b":1,"e":null}',
    );
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    const t1 = { spec: { containers: [{ name: 'a', image: 'x:1' }] }, metadata: { labels: { app: 'a' } } };
    const t2 = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ image: 'x:1', name: 'a' }] } };
    expect(podTemplateHash(t1)).toBe(podTemplateHash(t2));
    expect(podTemplateHash(t1)).not.toBe(podTemplateHash(t1, 1));
    expect(podTemplateHash(t1)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
});
