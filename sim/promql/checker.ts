import {
  documentedType,
  exprType,
  type BinaryExpr,
  type Expr,
  type ValueType,
  type VectorMatching,
} from './ast.js';
import type { PositionRange } from './PositionRange.js';
import { PromQLParseError } from './PromQLParseError.js';

/*
 * Type checking after a successful parse, as Prometheus's `checkAST`: argument types and counts,
 * operand types, `bool` and set-operator rules, selector sanity. It also settles each binary
 * expression's matching (many-to-many for set operators; none when a side is a scalar).
 */

const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);

/** Checks `expr` (and fixes up matching in place); throws `PromQLParseError` on the first problem. */
export function checkAST(expr: Expr, query: string): ValueType {
  return new Checker(query).check(expr);
}

class Checker {
  constructor(private readonly query: string) {}

  private fail(message: string, pos: PositionRange): never {
    throw new PromQLParseError(message, pos, this.query);
  }

  private expectType(e: Expr, want: ValueType, context: string): void {
    const t = this.check(e);
    if (t !== want)
      this.fail(`expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`, e.pos);
  }

  check(e: Expr): ValueType {
    switch (e.type) {
      case 'NumberLiteral':
      case 'StringLiteral':
        break;
      case 'ParenExpr':
        this.check(e.expr);
        break;
      case 'MatrixSelector':
        this.check(e.vectorSelector);
        break;
      case 'UnaryExpr': {
        const t = this.check(e.expr);
        if (t !== 'scalar' && t !== 'vector') {
          this.fail(
            `unary expression only allowed on expressions of type scalar or instant vector, got "${documentedType(t)}"`,
            e.pos,
          );
        }
        break;
      }
      case 'AggregateExpr':
        this.expectType(e.expr, 'vector', 'aggregation expression');
        if (e.param)
          this.expectType(e.param, e.op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
        break;
      case 'Call': {
        const f = e.func;
        const nargs = f.argTypes.length;
        if (f.variadic === 0) {
          if (nargs !== e.args.length) {
            this.fail(`expected ${nargs} argument(s) in call to "${f.name}", got ${e.args.length}`, e.pos);
          }
        } else {
          const na = nargs - 1;
          if (na > e.args.length) {
            this.fail(
              `expected at least ${na} argument(s) in call to "${f.name}", got ${e.args.length}`,
              e.pos,
            );
          } else if (f.variadic > 0 && na + f.variadic < e.args.length) {
            this.fail(
              `expected at most ${na + f.variadic} argument(s) in call to "${f.name}", got ${e.args.length}`,
              e.pos,
            );
          }
        }
        e.args.forEach((arg, i) => {
          const want = f.argTypes[Math.min(i, nargs - 1)];
          const t = this.check(arg);
          if (want !== undefined && t !== want) {
            this.fail(
              `expected type ${documentedType(want)} in call to function "${f.name}", got ${documentedType(t)}`,
              arg.pos,
            );
          }
        });
        break;
      }
      case 'BinaryExpr':
        this.binary(e);
        break;
      case 'VectorSelector': {
        if (e.name !== '') {
          for (const m of e.matchers.slice(0, -1)) {
            if (m.name === '__name__')
              this.fail(`metric name must not be set twice: "${e.name}" or "${m.value}"`, e.pos);
          }
          break;
        }
        if (!e.matchers.some((m) => !m.matches(''))) {
          this.fail('vector selector must contain at least one non-empty matcher', e.pos);
        }
        break;
      }
    }
    return exprType(e);
  }

  private binary(n: BinaryExpr): void {
    const lt = this.check(n.lhs);
    const rt = this.check(n.rhs);
    const opRange = (): PositionRange => this.operatorRange(n);
    const isComparison = COMPARISONS.has(n.op);
    const isSet = SET_OPS.has(n.op);
    if (n.returnBool && !isComparison)
      this.fail('bool modifier can only be used on comparison operators', opRange());
    if (isComparison && !n.returnBool && lt === 'scalar' && rt === 'scalar') {
      this.fail('comparisons between scalars must use BOOL modifier', opRange());
    }
    let matching = n.matching;
    if (matching && isSet && matching.card === 'one-to-one') matching = { ...matching, card: 'many-to-many' };
    if (matching && matching.on) {
      for (const l of matching.matchingLabels) {
        if (matching.include.includes(l))
          this.fail(`label "${l}" must not occur in ON and GROUP clause at once`, opRange());
      }
    }
    if (lt !== 'scalar' && lt !== 'vector')
      this.fail('binary expression must contain only scalar and instant vector types', n.lhs.pos);
    if (rt !== 'scalar' && rt !== 'vector')
      this.fail('binary expression must contain only scalar and instant vector types', n.rhs.pos);
    if ((lt !== 'vector' || rt !== 'vector') && matching) {
      if (matching.matchingLabels.length > 0)
        this.fail('vector matching only allowed between instant vectors', n.pos);
      matching = null;
    } else if (isSet && matching) {
      if (matching.card === 'one-to-many' || matching.card === 'many-to-one')
        this.fail(`no grouping allowed for "${n.op}" operation`, n.pos);
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSet)
      this.fail(`set operator "${n.op}" not allowed in binary scalar expression`, n.pos);
    (n as { matching: VectorMatching | null }).matching = matching;
  }

  /** The operator's range: from after the left operand to before the right one, spaces trimmed. */
  private operatorRange(n: BinaryExpr): PositionRange {
    const bytes = new TextEncoder().encode(this.query);
    let start = n.lhs.pos.end;
    while (start < bytes.length && isSpaceByte(bytes[start]!)) start++;
    let end = n.rhs.pos.start - 1;
    while (end > start && isSpaceByte(bytes[end]!)) end--;
    return { start, end };
  }
}

function isSpaceByte(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}
