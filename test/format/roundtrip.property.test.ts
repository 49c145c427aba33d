import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { AggregateKind, BinaryOp, Expr, Ident } from "../../src/grammar/ast.ts";
import { parse } from "../../src/grammar/index.ts";
import { printExpr } from "../../src/compiler/format/expr.ts";
import { format, syntaxShape } from "../../src/compiler/format/index.ts";

// Random expression trees, printed by the formatter and parsed back: the parse must be the same tree. This is
// the check that the printer's parentheses follow the grammar's precedence for every operator combination.
const span = { start: 0, end: 0 };
const NAMES = ["a", "b", "speed", "target_1", "Foo", "x"];
const ident = fc.constantFrom(...NAMES).map((name): Ident => ({ kind: "Ident", name, span }));
const OPS: BinaryOp[] = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or"];
const AGGREGATES: AggregateKind[] = ["any", "all", "count", "sum", "min_by", "max_by", "min_of", "max_of"];

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  fc.constantFrom(...NAMES).map((name): Expr => ({ kind: "NameRef", name, span })),
  fc.nat(1000).map((n): Expr => ({ kind: "NumberLit", value: n, isInt: true, text: String(n), span })),
  fc.nat(1000).map((n): Expr => ({ kind: "NumberLit", value: n / 4, isInt: false, text: (n / 4).toFixed(2), span })),
  fc.boolean().map((value): Expr => ({ kind: "BoolLit", value, span })),
  fc.constantFrom("obs", "state", "msg", "value").map((root): Expr => ({ kind: "RootRef", root: root as "obs", span })),
  fc.string({ maxLength: 5, unit: fc.constantFrom("a", " ", '"', "\\", "\n") }).map((value): Expr => ({ kind: "StringLit", value, span })),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie("expr");
  return {
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom(...OPS), sub, sub).map(([op, left, right]): Expr => ({ kind: "BinaryExpr", op, opSpan: span, left, right, span })),
      fc.tuple(fc.constantFrom("-", "not"), sub).map(([op, operand]): Expr => ({ kind: "UnaryExpr", op: op as "-", operand, span })),
      fc.tuple(sub, sub, sub).map(([condition, then, els]): Expr => ({ kind: "IfExpr", condition, then, else: els, span })),
      fc.tuple(sub, ident).map(([object, field]): Expr => ({ kind: "FieldAccess", object, field, span })),
      fc.tuple(sub, sub).map(([object, index]): Expr => ({ kind: "IndexExpr", object, index, span })),
      fc.tuple(ident, fc.array(fc.tuple(fc.option(ident, { nil: undefined }), sub), { maxLength: 3 })).map(
        ([callee, args]): Expr => ({
          kind: "CallExpr",
          callee,
          args: args.map(([name, value]) => ({ kind: "Arg", ...(name ? { name } : {}), value, span })),
          span,
        }),
      ),
      fc.array(sub, { maxLength: 3 }).map((elements): Expr => ({ kind: "ListLit", elements, span })),
      fc.tuple(sub, fc.array(fc.tuple(ident, sub), { minLength: 1, maxLength: 3 })).map(
        ([scrutinee, arms]): Expr => ({
          kind: "MatchExpr",
          scrutinee,
          arms: arms.map(([member, value]) => ({ kind: "MatchArm", member, value, span })),
          span,
        }),
      ),
      fc.tuple(fc.constantFrom(...AGGREGATES), ident, sub, sub).map(
        ([aggregate, variable, list, body]): Expr => ({ kind: "AggregateExpr", aggregate, variable, list, body, span }),
      ),
    ),
  };
});

describe("expression printing round-trips through the parser", () => {
  it("parse(print(e)) is e, for random expression trees", () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = `const K = ${printExpr(e)}\n`;
        const parsed = parse(text, "prop.hpol");
        expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const decl = parsed.module.decls[0];
        expect(decl.kind).toBe("ConstDecl");
        if (decl.kind === "ConstDecl") expect(syntaxShape(decl.value)).toEqual(syntaxShape(e));
        // The formatter (which may break a long chain over lines) keeps the tree and is a fixpoint.
        const once = format(text, "prop.hpol");
        if (!("text" in once)) throw new Error(JSON.stringify(once.diagnostics));
        if (text.length <= 100) expect(once.text).toBe(text);
        expect(format(once.text, "prop.hpol")).toEqual(once);
        const reparsed = parse(once.text, "prop.hpol").module.decls[0];
        if (reparsed.kind === "ConstDecl") expect(syntaxShape(reparsed.value)).toEqual(syntaxShape(e));
        else expect.unreachable("the formatted text must still hold the constant");
      }),
      { numRuns: Number(process.env.HPOL_PROP_RUNS ?? 500) },
    );
  });
});
