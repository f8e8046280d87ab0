import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YNode,
} from 'yaml';
import { InputError, type SourcePos } from '../errors.js';

/** One YAML document of a file, with what is needed to point back into the file. */
export interface YamlDoc {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  doc: Document.Parsed;
  lines: LineCounter;
  text: string;
}

export type Path = readonly (string | number)[];

const parsed = new Map<string, YamlDoc[]>();

/**
 * Parses every document of a file; the first syntax error becomes an InputError at its line:col.
 * The same file and text parse once (a scenario applies an overlay many times); the documents are
 * never mutated — readers take `toJS()` copies.
 */
export function parseYamlFile(file: string, text: string): YamlDoc[] {
  const key = `${file}\u0000${text}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const docs = parseYamlFileUncached(file, text);
  if (parsed.size > 500) parsed.clear();
  parsed.set(key, docs);
  return docs;
}

function parseYamlFileUncached(file: string, text: string): YamlDoc[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs)) return [];
  const out: YamlDoc[] = [];
  docs.forEach((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      const { line, col } = lines.linePos(err.pos[0]);
      throw new InputError(`invalid YAML: ${firstLine(err.message)}`, { file, line, col });
    }
    // An empty document (a leading or trailing `---`, or only comments): kubectl skips it.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    try {
      doc.toJS(); // aliases are expanded here: a billion-laughs file fails now, with a position
    } catch (e) {
      const { line, col } = lines.linePos(doc.contents.range?.[0] ?? 0);
      throw new InputError(`invalid YAML: ${firstLine((e as Error).message)}`, { file, line, col });
    }
    out.push({ file, index, doc, lines, text });
  });
  return out;
}

function firstLine(msg: string): string {
  return msg.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The YAML node at `path` (the key node when `key` is set), or the deepest existing ancestor. */
function nodeAt(d: YamlDoc, path: Path, key: boolean): YNode | undefined {
  let node: YNode | null | undefined = d.doc.contents as YNode | null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return node;
      if (key && i === path.length - 1) return pair.key as YNode;
      node = pair.value as YNode | null;
      if (node === null) return pair.key as YNode;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YNode | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node ?? undefined;
    }
  }
  return node ?? undefined;
}

/** line:col of the value (or key) at `path`. */
export function posOf(d: YamlDoc, path: Path, key = false): SourcePos {
  const node = nodeAt(d, path, key);
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = d.lines.linePos(offset);
  return { file: d.file, line, col };
}

/**
 * Position of character `offset` inside the string value at `path`: exact for block scalars
 * (`|`, `>` line by line), plain and quoted one-line scalars; otherwise the scalar's start.
 */
export function posInString(d: YamlDoc, path: Path, offset: number): SourcePos {
  const node = nodeAt(d, path, false);
  if (!isScalar(node) || !node.range) return posOf(d, path);
  const start = node.range[0];
  const type = node.type;
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const value = String(node.value);
    const before = value.slice(0, offset);
    const lineIdx = before.split('\n').length - 1;
    const colInLine = offset - (before.lastIndexOf('\n') + 1);
    // The header (`|`, `|-`, `>`) ends its line; content starts on the next, at the block's indent.
    const headerEnd = d.text.indexOf('\n', start);
    const contentLines = d.text.slice(headerEnd + 1).split('\n');
    let indent = 0;
    for (const l of contentLines) {
      if (l.trim() === '') continue;
      indent = l.length - l.trimStart().length;
      break;
    }
    const headerLine = d.lines.linePos(start).line;
    return { file: d.file, line: headerLine + 1 + lineIdx, col: indent + colInLine + 1 };
  }
  const shift = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? 1 : 0;
  const raw = d.text.slice(start, node.range[1]);
  if (raw.includes('\n')) return posOf(d, path);
  const { line, col } = d.lines.linePos(start + shift + offset);
  return { file: d.file, line, col };
}
