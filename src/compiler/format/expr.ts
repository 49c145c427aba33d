// Expressions and types printed on one line in canonical form. Parentheses are emitted only where the grammar's
// precedence (docs/grammar.ebnf, "expressions") needs them, so printing then parsing yields the same tree.
import type {
  Arg,
  BinaryOp,
  Dim,
  Expr,
  FieldInit,
  LValue,
  NumRange,
  StringLit,
  TypeExpr,
} from "../../grammar/ast.ts";

/** Binding strength, low → high, following IfExpr → OrExpr → … → Postfix → Primary. */
const enum Prec {
  If = 0,
  Or = 1,
  And = 2,
  Not = 3,
  Cmp = 4,
  Add = 5,
  Mul = 6,
  Neg = 7,
  Postfix = 8,
  Primary = 9,
}

const BINARY_PREC: Record<BinaryOp, Prec> = {
  or: Prec.Or,
  and: Prec.And,
  "==": Prec.Cmp,
  "!=": Prec.Cmp,
  "<": Prec.Cmp,
  "<=": Prec.Cmp,
  ">": Prec.Cmp,
  ">=": Prec.Cmp,
  "+": Prec.Add,
  "-": Prec.Add,
  "*": Prec.Mul,
  "/": Prec.Mul,
  "%": Prec.Mul,
};

function precedence(e: Expr): Prec {
  switch (e.kind) {
    case "IfExpr":
      return Prec.If;
    case "BinaryExpr":
      return BINARY_PREC[e.op];
    case "UnaryExpr":
      return e.op === "not" ? Prec.Not : Prec.Neg;
    case "FieldAccess":
    case "IndexExpr":
      return Prec.Postfix;
    default:
      return Prec.Primary;
  }
}

/** Prints `e`, parenthesised when its precedence is below `min`. */
function operand(e: Expr, min: Prec): string {
  const text = printExpr(e);
  return precedence(e) < min ? `(${text})` : text;
}

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "NumberLit":
      return e.text;
    case "TimeLit":
      return e.text;
    case "BoolLit":
      return e.value ? "true" : "false";
    case "StringLit":
      return printString(e);
    case "NameRef":
      return e.name;
    case "RootRef":
      return e.root;
    case "FieldAccess":
      return `${operand(e.object, Prec.Postfix)}.${e.field.name}`;
    case "IndexExpr":
      return `${operand(e.object, Prec.Postfix)}[${printExpr(e.index)}]`;
    case "CallExpr":
      return `${e.callee.name}${printArgs(e.args)}`;
    case "ListLit":
      return `[${e.elements.map(printExpr).join(", ")}]`;
    case "UnaryExpr": {
      if (e.op === "not") return `not ${operand(e.operand, Prec.Not)}`;
      const inner = operand(e.operand, Prec.Neg);
      // `--x` could lex as one token in a future grammar; a space-free `-(-x)` is unambiguous either way.
      return inner.startsWith("-") ? `-(${inner})` : `-${inner}`;
    }
    case "BinaryExpr": {
      const p = BINARY_PREC[e.op];
      // Left-associative operators accept an equal-precedence left operand; comparisons are non-associative.
      const leftMin = p === Prec.Cmp ? Prec.Cmp + 1 : p;
      return `${operand(e.left, leftMin)} ${e.op} ${operand(e.right, p + 1)}`;
    }
    case "IfExpr":
      // Condition and branches are full expressions in the grammar; only the else branch runs to the right.
      return `if ${printExpr(e.condition)} then ${printExpr(e.then)} else ${printExpr(e.else)}`;
    case "MatchExpr":
      return `match ${printExpr(e.scrutinee)} { ${e.arms.map((a) => `${a.member.name} => ${printExpr(a.value)}`).join(", ")} }`;
    case "AggregateExpr":
      return `${e.aggregate}(${e.variable.name} in ${printExpr(e.list)}: ${printExpr(e.body)})`;
    case "ErrorExpr":
      // The formatter refuses files with syntax errors, so a recovered placeholder never reaches here.
      throw new Error("cannot format an ErrorExpr");
  }
}

export function printArgs(args: readonly Arg[]): string {
  return `(${args.map((a) => (a.name ? `${a.name.name}: ${printExpr(a.value)}` : printExpr(a.value))).join(", ")})`;
}

export function printFieldInit(f: FieldInit): string {
  return `${f.name.name}: ${printExpr(f.value)}`;
}

export function printLValue(l: LValue): string {
  let text: string = l.root;
  for (const step of l.path) text += step.kind === "Ident" ? `.${step.name}` : `[${printExpr(step)}]`;
  return text;
}

/** Re-escapes a string literal's value with the only escapes the lexer accepts: \" \\ \n \t. */
export function printString(s: StringLit): string {
  let out = '"';
  for (const ch of s.value) {
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else out += ch;
  }
  return out + '"';
}

function printNumber(n: number): string {
  return String(n);
}

/**
 * A range as written (`[0.0, 100.0]` stays so, not `[0, 100]`) when the source is at hand and its text still
 * denotes the same bounds; otherwise the bounds in JavaScript's shortest form.
 */
function printRange(r: NumRange | undefined, source: string | undefined): string {
  if (!r) return "";
  if (source !== undefined) {
    const written = /^\[(-?[0-9][0-9.eE+-]*),(-?[0-9][0-9.eE+-]*)\]$/.exec(source.slice(r.span.start, r.span.end).replace(/\s+/g, ""));
    if (written && Number(written[1]) === r.min && Number(written[2]) === r.max) return `[${written[1]}, ${written[2]}]`;
  }
  return `[${printNumber(r.min)}, ${printNumber(r.max)}]`;
}

function printDim(d: Dim): string {
  switch (d.kind) {
    case "fixed":
      return String(d.size);
    case "named":
      return d.name;
    case "dynamic":
      return "?";
  }
}

/** `source`, when given, is the text the type was parsed from (to keep range bounds as written). */
export function printType(t: TypeExpr, source?: string): string {
  switch (t.kind) {
    case "BoolType":
      return "bool";
    case "IntType":
      return `int${printRange(t.range, source)}`;
    case "FloatType":
      return `float${printRange(t.range, source)}`;
    case "VecType":
      return t.size >= 2 && t.size <= 4 ? `vec${t.size}` : `vec<${t.size}>`;
    case "ListType":
      return `list<${printType(t.element, source)}, ${t.capacity}>`;
    case "TensorType":
      return `tensor<${t.dtype}, [${t.shape.map(printDim).join(", ")}]>`;
    case "NamedType":
      return t.name.name;
  }
}

/**
 * A long binary expression as its first operand and the `op operand` continuations of its top-level chain
 * (`a + b - c` → `a`, `+ b`, `- c`), for printing one continuation per line. Undefined for other expressions.
 * Breaking a line between operands never changes the parse: newlines are whitespace.
 */
export function splitBinary(e: Expr): { first: string; rest: string[] } | undefined {
  if (e.kind !== "BinaryExpr") return undefined;
  const p = BINARY_PREC[e.op];
  if (p === Prec.Cmp) return { first: operand(e.left, Prec.Cmp + 1), rest: [`${e.op} ${operand(e.right, Prec.Cmp + 1)}`] };
  const rest: string[] = [];
  let left: Expr = e;
  // Walk down the left spine while it continues the same left-associative chain.
  while (left.kind === "BinaryExpr" && BINARY_PREC[left.op] === p) {
    rest.unshift(`${left.op} ${operand(left.right, p + 1)}`);
    left = left.left;
  }
  return { first: operand(left, p), rest };
}
