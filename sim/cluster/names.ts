/**
 * Kubernetes' DNS-1123 label (`validation.IsDNS1123Label`), the shape of a namespace's name:
 * lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63.
 */
export function isRfc1123Label(name: string): boolean {
  return name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}
