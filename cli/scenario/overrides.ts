import { parseDocument } from 'yaml';
import { InputError, quote, type SourcePos } from '../../sim/errors.js';
import type { Path, YamlDoc } from '../../sim/manifests/YamlSource.js';
import { MAX_YAML_DEPTH, tooDeepNode } from '../../sim/manifests/yamlDepth.js';
import { ENV_NAME } from './shellWords.js';

/**
 * One `--set path=value` or `--env NAME=value` of `run` or `test`: where in the scenario, the
 * value, and how the flag was written (for messages about it).
 */
export interface Override {
  path: Path;
  value: unknown;
  /** `--set timeline[3].wait=5x`, as messages name it. */
  flag: string;
  /** `--env`: the `env:` mapping is created when the scenario has none. */
  env?: true;
}

/** The flag as messages show it: as typed when short and printable, else quoted and cut. */
function flagText(name: string, arg: string): string {
  // eslint-disable-next-line no-control-regex
  return arg.length <= 80 && !/[\u0000-\u001f\u007f]/.test(arg) ? `${name} ${arg}` : `${name} ${quote(arg)}`;
}

const invalid = (name: string, arg: string, why: string) =>
  new InputError(`invalid ${name} ${quote(arg)}: ${why}`);

/**
 * Parses `--set path=value`. The path is the field path messages print: keys joined by `.`, list
 * indexes in brackets, and a key holding `.`, `[`, `]`, `=` or spaces as a JSON string in brackets:
 *
 *   seed=7                           → seed: 7
 *   timeline[3].wait=10m             → the 4th timeline entry's wait
 *   cluster.namespaces["a.b"].istioInjection=true
 *
 * The value is read as a YAML value on one line: `5` is a number, `"5"` a string, `5%` and `10m`
 * strings, `{wait: 10m}` a mapping, `[a, b]` a list, and nothing at all null.
 */
export function parseSetFlag(arg: string): Override {
  const fail = (why: string) => invalid('--set', arg, why);
  const path: (string | number)[] = [];
  let i = 0;
  const col = () => `at column ${i + 1}`;
  for (;;) {
    if (arg[i] === '[') {
      const close = arg.indexOf(']', i);
      const inner = close < 0 ? '' : arg.slice(i + 1, close);
      if (/^\d+$/.test(inner) && Number.isSafeInteger(Number(inner))) {
        path.push(Number(inner));
        i = close + 1;
      } else if (arg[i + 1] === '"') {
        const m = /^"(?:[^"\\]|\\.)*"/.exec(arg.slice(i + 1));
        if (!m || arg[i + 1 + m[0].length] !== ']')
          throw fail(`unterminated quoted key ${col()}: expected ["key"]`);
        path.push(JSON.parse(m[0]) as string);
        i += m[0].length + 2;
      } else throw fail(`expected an index such as [3] or a quoted key such as ["a.b"] ${col()}`);
    } else {
      if (path.length > 0) {
        if (arg[i] !== '.') throw fail(`expected ., [ or = ${col()}`);
        i++;
      }
      const m = /^[^.[\]="\s]+/.exec(arg.slice(i));
      if (!m) throw fail(`expected a field name ${col()} (a path such as timeline[3].wait, then =value)`);
      path.push(m[0]);
      i += m[0].length;
    }
    if (arg[i] === '=') break;
    if (i >= arg.length) throw fail('expected path=value, such as seed=7 or timeline[3].wait=10m');
  }
  const text = arg.slice(i + 1);
  const doc = parseDocument(text, { uniqueKeys: true, logLevel: 'silent', prettyErrors: false });
  const err = doc.errors[0];
  if (err) throw fail(`the value is not YAML: ${err.message.split('\n')[0]!.replace(/ at line.*$/, '')}`);
  if (tooDeepNode(doc))
    throw fail(`the value is nested more than ${MAX_YAML_DEPTH} levels deep (canarysim's limit)`);
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (e) {
    throw fail(`the value is not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return { path, value, flag: flagText('--set', arg) };
}

/** Parses `--env NAME=value`: the value is the string as typed (an environment variable's). */
export function parseEnvFlag(arg: string): Override {
  const eq = arg.indexOf('=');
  const name = eq < 0 ? arg : arg.slice(0, eq);
  if (eq < 0) throw invalid('--env', arg, 'expected NAME=value, such as ISTIO_HOST=127.0.0.1.nip.io');
  if (!ENV_NAME.test(name))
    throw invalid(
      '--env',
      arg,
      `invalid name ${quote(name)}: expected letters, digits and _, not first a digit`,
    );
  return { path: ['env', name], value: arg.slice(eq + 1), flag: flagText('--env', arg), env: true };
}

const kindOf = (v: unknown): string =>
  Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;

/** How a path prints in messages: `timeline[3].wait`, `env["A.B"]`. */
function showPath(path: Path): string {
  let s = '';
  for (const seg of path)
    s +=
      typeof seg === 'number'
        ? `[${seg}]`
        : /^[^.[\]="\s]+$/.test(seg)
          ? `${s ? '.' : ''}${seg}`
          : `[${JSON.stringify(seg)}]`;
  return s;
}

/**
 * The scenario's values with the overrides applied, in order (a later flag wins), and the
 * document they came from marked so that a problem in a value a flag wrote is reported at the
 * flag (`--set timeline[3].wait=5x: …`) rather than at a line of the file that does not hold it.
 * A path must lead through what the scenario has: a missing key of a mapping is added (the
 * scenario's own validation then says whether it belongs there), a list index must exist or be
 * the next one (which appends); anything else is an error naming the flag.
 */
export function applyOverrides(
  doc: YamlDoc,
  overrides: readonly Override[],
): { doc: YamlDoc; value: unknown } {
  const root: unknown = doc.doc.toJS();
  if (overrides.length === 0) return { doc, value: root };
  const marks: { path: Path; flag: string }[] = [];
  for (const o of overrides) {
    let mark: Path = o.path;
    const at: SourcePos = { file: doc.file, line: 0, col: 0, flag: o.flag };
    const fail = (why: string) => new InputError(why, at);
    let node: unknown = root;
    for (let i = 0; i < o.path.length; i++) {
      const seg = o.path[i]!;
      const last = i === o.path.length - 1;
      const here = showPath(o.path.slice(0, i)) || 'the scenario';
      if (typeof seg === 'number') {
        if (!Array.isArray(node))
          throw fail(
            `${here} is ${kindOf(node)}, not a list: ${showPath(o.path.slice(0, i + 1))} does not exist`,
          );
        if (seg > node.length || (seg === node.length && !last))
          throw fail(
            `${here} has ${node.length} entries (${node.length > 0 ? `${here}[0] to ${here}[${node.length - 1}]; ` : ''}${here}[${node.length}] adds one)`,
          );
        if (last) node[seg] = o.value;
        else node = node[seg];
        continue;
      }
      if (Array.isArray(node))
        throw fail(`${here} is a list: expected an index such as ${here}[0], not .${seg}`);
      if (node === null || typeof node !== 'object')
        throw fail(
          `${here} is ${kindOf(node)}, not a mapping: ${showPath(o.path.slice(0, i + 1))} does not exist`,
        );
      const map = node as Record<string, unknown>;
      if (last) map[seg] = o.value;
      else {
        if (!Object.hasOwn(map, seg) || map[seg] === null) {
          if (typeof o.path[i + 1] === 'number')
            throw fail(
              `${here} has no ${showPath(o.path.slice(0, i + 1))}: ${showPath(o.path.slice(0, i + 2))} does not exist`,
            );
          // `--env` on a scenario without env:, `--set prometheus.scrapeInterval=15s` without
          // prometheus: the mapping is the flag's, and so is any problem with its name.
          map[seg] = {};
          if (mark === o.path) mark = o.path.slice(0, i + 1);
        }
        node = map[seg];
      }
    }
    marks.push({ path: mark, flag: o.flag });
  }
  return { doc: { ...doc, overrides: [...(doc.overrides ?? []), ...marks] }, value: root };
}
