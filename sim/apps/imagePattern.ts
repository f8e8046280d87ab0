import { parseImage } from '../../app/index.js';
import type { ImagePattern } from './spec.js';

/** `repo[:tag-pattern]` as a pattern (no tag: every tag). */
export function parseImagePattern(text: string): ImagePattern {
  const at = text.indexOf('@');
  const ref = at >= 0 ? text.slice(0, at) : text;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const hasTag = colon > slash;
  const { repository } = parseImage(hasTag ? ref.slice(0, colon) : ref);
  return { repository, tag: hasTag ? ref.slice(colon + 1) : '*', text };
}

/** Whether `value` matches a glob where `*` stands for any run of characters (and nothing else is special). */
export function globMatches(glob: string, value: string): boolean {
  const parts = glob.split('*');
  if (parts.length === 1) return glob === value;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!value.startsWith(first) || value.length < first.length + last.length || !value.endsWith(last))
    return false;
  let i = first.length;
  const end = value.length - last.length;
  for (let k = 1; k < parts.length - 1; k++) {
    const j = value.indexOf(parts[k]!, i);
    if (j < 0 || j + parts[k]!.length > end) return false;
    i = j + parts[k]!.length;
  }
  return true;
}

/** Whether an image (as a pod spec writes it) matches a pattern. */
export function imageMatches(p: ImagePattern, image: string): boolean {
  const { repository, tag } = parseImage(image);
  return repository === p.repository && globMatches(p.tag, tag);
}
