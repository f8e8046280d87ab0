import {
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node as YNode,
} from 'yaml';
import { InputError, type SourcePos } from '../errors.js';
import { MAX_YAML_DEPTH, tooDeepNode } from './yamlDepth.js';

/** One YAML document of a file, with what is needed to point back into the file. */
export interface YamlDoc {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  doc: Document.Parsed;
  lines: LineCounter;
  text: string;
  /**
   * Problems that do not stop the document from being read, found only when parsing leniently
   * (lint): a mapping or list used as a key — an unquoted `{{args.x}}` is a YAML flow mapping,
   * which kubectl cannot turn into JSON. Strict parsing throws the first instead.
   */
  problems: InputError[];
  /**
   * Values replaced from the command line (`run --set`, `--env`): a position at or below one of
   * these paths is the flag's, not the file's (the file does not hold that value).
   */
  overrides?: readonly { path: Path; flag: string }[];
}

export type Path = readonly (string | number)[];

export interface YamlParseOptions {
  /** Keep documents with key problems (reported by the caller) instead of throwing. */
  lenient?: boolean;
}

const parsed = new Map<string, YamlDoc[]>();

/**
 * Parses every document of a file; the first syntax error becomes an InputError at its line:col,
 * and a Helm template one error saying to render it first. The yaml library never prints: its
 * warnings are silenced and what they warn about is reported here. The same file and text parse
 * once (a scenario applies an overlay many times); the documents are never mutated — readers take
 * `toJS()` copies.
 */
export function parseYamlFile(file: string, text: string, opts: YamlParseOptions = {}): YamlDoc[] {
  const key = `${opts.lenient ? 'l' : 's'}\u0000${file}\u0000${text}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const docs = parseYamlFileUncached(file, text, opts.lenient === true);
  if (parsed.size > 500) parsed.clear();
  parsed.set(key, docs);
  return docs;
}

/**
 * A Go template action that is not one of Argo's own placeholders (`{{args.x}}`,
 * `{{templates.x.…}}` in experiments), which Argo manifests carry inside strings.
 */
const GO_TEMPLATE_ACTION = /\{\{-?(?!\s*(?:args|templates|experiment|secrets|inputs|workflow)\.)/g;
/** What only a Helm chart says: `.Values`, `.Release`, `include`, `-}}` trimming… */
const HELM_ONLY =
  /\{\{-?\s*(?:\.Values\b|\.Release\b|\.Chart\b|\.Capabilities\b|include\s|template\s|toYaml\s)|-\}\}/g;

/** The first match of `re` outside a comment line, or undefined. */
function firstOutsideComments(text: string, re: RegExp): RegExpExecArray | undefined {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (!text.slice(lineStart, m.index).trimStart().startsWith('#')) return m;
  }
  return undefined;
}

/** The Helm-template error, when the file is one (`{{ … }}` that YAML cannot read as intended). */
function helmTemplate(
  file: string,
  text: string,
  yamlTrouble: boolean,
  lines: LineCounter,
): InputError | undefined {
  const m =
    firstOutsideComments(text, HELM_ONLY) ??
    (yamlTrouble ? firstOutsideComments(text, GO_TEMPLATE_ACTION) : undefined);
  if (!m) return undefined;
  const end = text.indexOf('}}', m.index);
  const action = end > 0 && end - m.index < 80 ? text.slice(m.index, end + 2) : '{{ … }}';
  const { line, col } = lines.linePos(m.index);
  return new InputError(
    `this is a Helm template (${action}), not a manifest: render it first (helm template <release> <chart-dir> > rendered.yaml) and use the output`,
    { file, line, col },
  );
}

/** Positions of mapping keys that are themselves mappings or lists. */
function collectionKeys(doc: Document.Parsed): YNode[] {
  const out: YNode[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) out.push(pair.key);
    },
  });
  return out;
}

function parseYamlFileUncached(file: string, text: string, lenient: boolean): YamlDoc[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: 'silent',
  });
  if (!Array.isArray(docs)) return [];
  const keys = docs.map(collectionKeys);
  const trouble = docs.some((d) => d.errors.length > 0) || keys.some((k) => k.length > 0);
  const helm = helmTemplate(file, text, trouble, lines);
  if (helm) throw helm;
  const out: YamlDoc[] = [];
  docs.forEach((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      const { line, col } = lines.linePos(err.pos[0]);
      // The library ran out of stack: a document nested thousands of levels deep.
      const message = err.message.startsWith('Maximum call stack size exceeded')
        ? `nested more than ${MAX_YAML_DEPTH} levels deep (canarysim's limit)`
        : firstLine(err.message);
      throw new InputError(`invalid YAML: ${message}`, { file, line, col });
    }
    const deep = tooDeepNode(doc);
    if (deep) {
      const { line, col } = lines.linePos(deep.range?.[0] ?? 0);
      throw new InputError(
        `invalid YAML: nested more than ${MAX_YAML_DEPTH} levels deep (canarysim's limit)`,
        {
          file,
          line,
          col,
        },
      );
    }
    // An empty document (a leading or trailing `---`, or only comments): kubectl skips it.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    try {
      doc.toJS(); // aliases are expanded here: a billion-laughs file fails now, with a position
    } catch (e) {
      const { line, col } = lines.linePos(doc.contents.range?.[0] ?? 0);
      throw new InputError(`invalid YAML: ${firstLine((e as Error).message)}`, { file, line, col });
    }
    const problems = keys[index]!.map((k) => {
      let start = k.range?.[0] ?? 0;
      let end = k.range?.[1] ?? start;
      // `{{args.x}}` unquoted: the key is the inner `{args.x}` of an outer flow mapping.
      if (text[start - 1] === '{' && text.indexOf('}', end - 1) >= 0) {
        start -= 1;
        end = text.indexOf('}', text.lastIndexOf('}', end - 1) + 1) + 1 || end;
      }
      const { line, col } = lines.linePos(start);
      const written = text.slice(start, end).trim();
      const shown = written.length <= 60 ? written : `${written.slice(0, 57)}...`;
      const message = /^\{\{.*\}\}$/s.test(written)
        ? `invalid YAML for Kubernetes: ${shown} unquoted is a YAML mapping, not a string (kubectl cannot convert it to JSON): quote it, "${shown}"`
        : `invalid YAML for Kubernetes: a ${isMap(k) ? 'mapping' : 'list'} used as a key (${shown}) cannot be converted to JSON`;
      return new InputError(message, { file, line, col });
    });
    if (problems.length > 0 && !lenient) throw problems[0]!;
    out.push({ file, index, doc, lines, text, problems });
  });
  return out;
}

/**
 * The one document of a file that holds exactly one (a scenario, a kustomization, an apps file):
 * an empty file (or only comments) is an error at 1:1, a second document one at its start.
 */
export function onlyDocument(docs: readonly YamlDoc[], file: string, what: string): YamlDoc {
  if (docs.length === 0)
    throw new InputError(`expected ${what}, found an empty file (or only comments)`, {
      file,
      line: 1,
      col: 1,
    });
  if (docs.length > 1) {
    const d = docs[1]!;
    const { line, col } = d.lines.linePos(d.doc.range[0]);
    throw new InputError(`expected one YAML document (${what}), found a second one here`, {
      file,
      line,
      col,
    });
  }
  return docs[0]!;
}

/** The yaml library's message without its position, cut short: some quote the source (an alias name, a tag). */
function firstLine(msg: string): string {
  const line = msg.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
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

/** The flag that wrote the value at `path` (the last one at or above it), when one did. */
function overrideAt(d: YamlDoc, path: Path): SourcePos | undefined {
  const o = d.overrides?.findLast(
    (o) => o.path.length <= path.length && o.path.every((seg, i) => seg === path[i]),
  );
  return o && { file: d.file, line: 0, col: 0, flag: o.flag };
}

/** line:col of the value (or key) at `path`, or the flag that wrote it. */
export function posOf(d: YamlDoc, path: Path, key = false): SourcePos {
  const flag = overrideAt(d, path);
  if (flag) return flag;
  const node = nodeAt(d, path, key);
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = d.lines.linePos(offset);
  return { file: d.file, line, col };
}

/**
 * A number as the file writes it (`.inf`, `0x1F`, `1e3`), for messages that name a bad value:
 * YAML's `.inf` is JavaScript's Infinity, which no user wrote. Undefined where the file does not
 * hold the value (a `--set` flag's, or not a plain scalar).
 */
export function writtenScalar(d: YamlDoc, path: Path): string | undefined {
  if (overrideAt(d, path)) return undefined;
  const node = nodeAt(d, path, false);
  if (!isScalar(node) || !node.range || node.type !== 'PLAIN') return undefined;
  return d.text.slice(node.range[0], node.range[1]);
}

/**
 * Position of character `offset` inside the string value at `path`: exact for block scalars
 * (`|`, `>` line by line), plain and quoted one-line scalars; otherwise the scalar's start.
 */
export function posInString(d: YamlDoc, path: Path, offset: number): SourcePos {
  const flag = overrideAt(d, path);
  if (flag) return flag;
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
