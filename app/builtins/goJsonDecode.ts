import { goQuote } from '../../go/quote.js';

/** A parsed JSON value that keeps what Go's decoder reports in errors (a number's literal text). */
export type GoJsonNode =
  | { kind: 'object'; entries: Array<[string, GoJsonNode]> }
  | { kind: 'array'; items: GoJsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

// encoding/json's scanner, as a state machine over bytes, so that a body Go rejects is rejected
// here with Go's words ("invalid character 'x' looking for beginning of value", "unexpected end
// of JSON input"). Go checks the whole input before decoding anything, so syntax errors win over
// type errors.

type Frame = 'objectKey' | 'objectValue' | 'arrayValue';
type State =
  | 'beginValue'
  | 'beginValueOrEmpty'
  | 'beginStringOrEmpty'
  | 'beginString'
  | 'endValue'
  | 'endTop'
  | 'inString'
  | 'inStringEsc'
  | 'inStringEscU'
  | 'neg'
  | 'zero'
  | 'digits'
  | 'dot'
  | 'dotDigits'
  | 'exp'
  | 'expSign'
  | 'expDigits'
  | 'literal';

/** Go's json.maxNestingDepth. */
const MAX_DEPTH = 10000;

const LITERALS: Readonly<Record<string, string>> = { t: 'true', f: 'false', n: 'null' };

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** The scanner's `quoteChar`: a byte as Go quotes it in a syntax error (`'x'`, `'\n'`, `'"'`). */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  // Go converts the byte to the rune of the same number before quoting it.
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

/** The error `json.Unmarshal` (or `json.Valid`'s check) gives for text that is not JSON, or undefined. */
export function goJsonSyntaxError(bytes: Uint8Array): string | undefined {
  const stack: Frame[] = [];
  let state: State = 'beginValue';
  let endTop = false;
  let literal = '';
  let literalIndex = 0;
  let hexLeft = 0;
  const fail = (c: number, context: string) => `invalid character ${quoteChar(c)} ${context}`;

  const push = (c: number, f: Frame, next: State): string | undefined => {
    stack.push(f);
    state = next;
    return stack.length <= MAX_DEPTH ? undefined : fail(c, 'exceeded max depth');
  };
  const pop = () => {
    stack.pop();
    if (stack.length === 0) {
      state = 'endTop';
      endTop = true;
    } else state = 'endValue';
  };

  function beginValue(c: number): string | undefined {
    if (isSpace(c)) return undefined;
    switch (c) {
      case 0x7b: // {
        return push(c, 'objectKey', 'beginStringOrEmpty');
      case 0x5b: // [
        return push(c, 'arrayValue', 'beginValueOrEmpty');
      case 0x22:
        state = 'inString';
        return undefined;
      case 0x2d: // -
        state = 'neg';
        return undefined;
      case 0x30:
        state = 'zero';
        return undefined;
    }
    const lit = LITERALS[String.fromCharCode(c)];
    if (lit) {
      state = 'literal';
      literal = lit;
      literalIndex = 1;
      return undefined;
    }
    if (c >= 0x31 && c <= 0x39) {
      state = 'digits';
      return undefined;
    }
    return fail(c, 'looking for beginning of value');
  }

  function endValue(c: number): string | undefined {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      state = 'endTop';
      endTop = true;
      return isSpace(c) ? undefined : fail(c, 'after top-level value');
    }
    if (isSpace(c)) {
      state = 'endValue';
      return undefined;
    }
    if (top === 'objectKey') {
      if (c !== 0x3a) return fail(c, 'after object key');
      stack[stack.length - 1] = 'objectValue';
      state = 'beginValue';
      return undefined;
    }
    if (top === 'objectValue') {
      if (c === 0x2c) {
        stack[stack.length - 1] = 'objectKey';
        state = 'beginString';
        return undefined;
      }
      if (c === 0x7d) return void pop();
      return fail(c, 'after object key:value pair');
    }
    if (c === 0x2c) {
      state = 'beginValue';
      return undefined;
    }
    if (c === 0x5d) return void pop();
    return fail(c, 'after array element');
  }

  function step(c: number): string | undefined {
    switch (state) {
      case 'beginValue':
        return beginValue(c);
      case 'beginValueOrEmpty':
        if (isSpace(c)) return undefined;
        return c === 0x5d ? endValue(c) : beginValue(c);
      case 'beginStringOrEmpty':
        if (isSpace(c)) return undefined;
        if (c === 0x7d) {
          stack[stack.length - 1] = 'objectValue';
          return endValue(c);
        }
        return step2BeginString(c);
      case 'beginString':
        return step2BeginString(c);
      case 'endValue':
        return endValue(c);
      case 'endTop':
        return isSpace(c) ? undefined : fail(c, 'after top-level value');
      case 'inString':
        if (c === 0x22) state = 'endValue';
        else if (c === 0x5c) state = 'inStringEsc';
        else if (c < 0x20) return fail(c, 'in string literal');
        return undefined;
      case 'inStringEsc':
        if ('bfnrt\\/"'.includes(String.fromCharCode(c))) state = 'inString';
        else if (c === 0x75) {
          state = 'inStringEscU';
          hexLeft = 4;
        } else return fail(c, 'in string escape code');
        return undefined;
      case 'inStringEscU':
        if (!isHex(c)) return fail(c, 'in \\u hexadecimal character escape');
        if (--hexLeft === 0) state = 'inString';
        return undefined;
      case 'neg':
        if (c === 0x30) state = 'zero';
        else if (c >= 0x31 && c <= 0x39) state = 'digits';
        else return fail(c, 'in numeric literal');
        return undefined;
      case 'digits':
        if (isDigit(c)) return undefined;
        return afterInteger(c);
      case 'zero':
        return afterInteger(c);
      case 'dot':
        if (!isDigit(c)) return fail(c, 'after decimal point in numeric literal');
        state = 'dotDigits';
        return undefined;
      case 'dotDigits':
        if (isDigit(c)) return undefined;
        if (c === 0x65 || c === 0x45) {
          state = 'exp';
          return undefined;
        }
        return endValue(c);
      case 'exp':
        if (c === 0x2b || c === 0x2d) {
          state = 'expSign';
          return undefined;
        }
        return expSign(c);
      case 'expSign':
        return expSign(c);
      case 'expDigits':
        return isDigit(c) ? undefined : endValue(c);
      case 'literal': {
        const want = literal.charCodeAt(literalIndex);
        if (c !== want) return fail(c, `in literal ${literal} (expecting ${quoteChar(want)})`);
        if (++literalIndex === literal.length) state = 'endValue';
        return undefined;
      }
    }
  }

  function step2BeginString(c: number): string | undefined {
    if (isSpace(c)) return undefined;
    if (c !== 0x22) return fail(c, 'looking for beginning of object key string');
    state = 'inString';
    return undefined;
  }

  function afterInteger(c: number): string | undefined {
    if (c === 0x2e) {
      state = 'dot';
      return undefined;
    }
    if (c === 0x65 || c === 0x45) {
      state = 'exp';
      return undefined;
    }
    return endValue(c);
  }

  function expSign(c: number): string | undefined {
    if (!isDigit(c)) return fail(c, 'in exponent of numeric literal');
    state = 'expDigits';
    return undefined;
  }

  for (const c of bytes) {
    const e = step(c);
    if (e !== undefined) return e;
  }
  // Go ends the input by feeding one space: a value cut short inside a number, literal or escape
  // is reported against that space ("invalid character ' ' in literal true (expecting 'e')").
  if (endTop) return undefined;
  const e = step(0x20);
  if (e !== undefined) return e;
  return endTop ? undefined : 'unexpected end of JSON input';
}

/**
 * Parses `text` as Go's json.Unmarshal reads it: a syntax error in Go's words, or the value with
 * every object's entries in document order (duplicates kept, as Go assigns them in turn).
 */
export function parseGoJson(text: string): { value: GoJsonNode } | { error: string } {
  const bytes = new TextEncoder().encode(text);
  const error = goJsonSyntaxError(bytes);
  if (error !== undefined) return { error };
  // The input is valid from here on: a flat tokenizer and an explicit stack build the tree
  // without recursion (Go accepts 10,000 levels of nesting).
  const frames: Array<{ node: GoJsonNode; key?: string }> = [];
  let root: GoJsonNode | undefined;
  const attach = (node: GoJsonNode) => {
    const top = frames[frames.length - 1];
    if (!top) root = node;
    else if (top.node.kind === 'array') top.node.items.push(node);
    else if (top.node.kind === 'object') {
      top.node.entries.push([top.key ?? '', node]);
      top.key = undefined;
    }
  };
  const decoder = new TextDecoder();
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (isSpace(c) || c === 0x3a || c === 0x2c) {
      i++;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      const node: GoJsonNode = c === 0x7b ? { kind: 'object', entries: [] } : { kind: 'array', items: [] };
      attach(node);
      frames.push({ node });
      i++;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      frames.pop();
      i++;
      continue;
    }
    if (c === 0x22) {
      let j = i + 1;
      while (bytes[j] !== 0x22) j += bytes[j] === 0x5c ? 2 : 1;
      const value = JSON.parse(decoder.decode(bytes.subarray(i, j + 1))) as string;
      i = j + 1;
      const top = frames[frames.length - 1];
      if (top && top.node.kind === 'object' && top.key === undefined) top.key = value;
      else attach({ kind: 'string', value });
      continue;
    }
    let j = i;
    while (j < bytes.length && !isSpace(bytes[j]!) && !',:]}'.includes(String.fromCharCode(bytes[j]!))) j++;
    const word = decoder.decode(bytes.subarray(i, j));
    i = j;
    if (word === 'null') attach({ kind: 'null' });
    else if (word === 'true' || word === 'false') attach({ kind: 'bool', value: word === 'true' });
    else attach({ kind: 'number', text: word });
  }
  return { value: root! };
}
