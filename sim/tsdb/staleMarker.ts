/*
 * Prometheus marks a vanished series with a special NaN (bits 0x7ff0000000000002) that is distinct
 * from the NaN arithmetic produces (0x7ff8000000000001). JS keeps NaN payloads through typed-array
 * stores and loads, but canonicalises them in plain arrays, so staleness must be checked on the
 * typed array that holds the sample (see `isStaleAt`), never after a value went through an Array.
 */

const scratch = new Float64Array(1);
const scratchBits = new Uint32Array(scratch.buffer);
const STALE_HI = 0x7ff00000;
const STALE_LO = 0x00000002;

/** The stale-marker NaN (bit pattern 0x7ff0000000000002). */
export const STALE_NAN: number = (() => {
  scratchBits[0] = STALE_LO;
  scratchBits[1] = STALE_HI;
  return scratch[0]!;
})();

/** True when `v` carries the stale-marker bit pattern (an ordinary NaN is not stale). */
export function isStaleMarker(v: number): boolean {
  if (v === v) return false;
  scratch[0] = v;
  return scratchBits[0] === STALE_LO && scratchBits[1] === STALE_HI;
}

/** True when `vs[i]` holds the stale marker; reads the bits in place so no copy can lose them. */
export function isStaleAt(vs: Float64Array, i: number): boolean {
  const v = vs[i]!;
  if (v === v) return false;
  const bits = new Uint32Array(vs.buffer, vs.byteOffset + i * 8, 2);
  return bits[0] === STALE_LO && bits[1] === STALE_HI;
}

/** Writes the stale marker into `vs[i]` bit by bit. */
export function writeStaleAt(vs: Float64Array, i: number): void {
  const bits = new Uint32Array(vs.buffer, vs.byteOffset + i * 8, 2);
  bits[0] = STALE_LO;
  bits[1] = STALE_HI;
}
