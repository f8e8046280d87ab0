/** Wraps text in an SGR colour, or leaves it alone when colour is off (tests, --no-color). */
export type Paint = (text: string, code: number) => string;

/** The plugin's colours (spec §7.2): stable/✔ green, canary/◷/? yellow, ✖/⚠ red, ◌ hi-blue. */
export const COLOR = { red: 31, green: 32, yellow: 33, blue: 94 } as const;

export function painter(color: boolean): Paint {
  return color ? (text, code) => `\u001b[${code}m${text}\u001b[0m` : (text) => text;
}

/**
 * The colour of a destination by the stable/canary naming convention of Argo's Istio setup
 * (`<app>-stable`, `<app>-canary`): the control API gives hosts, not roles.
 */
export function roleColor(host: string): number | undefined {
  const service = host.split('.')[0] ?? host;
  if (service.endsWith('canary')) return COLOR.yellow;
  if (service.endsWith('stable')) return COLOR.green;
  return undefined;
}
