import { describe, expect, it } from "vitest";
import type { BinaryOp, Expr, UnaryOp } from "../../src/grammar/ast.ts";
import { printExpr, printString, printType } from "../../src/compiler/format/expr.ts";

// Hand-built trees: the printer must add exactly the parentheses the grammar's precedence needs.
const span = { start: 0, end: 0 };
const name = (n: string): Expr => ({ kind: "NameRef", name: n, span });
const num = (text: string): Expr => ({ kind: "NumberLit", value: Number(text), isInt: !text.includes("."), text, span });
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: "BinaryExpr", op, opSpan: span, left, right, span });
const un = (op: UnaryOp, operand: Expr): Expr => ({ kind: "UnaryExpr", op, operand, span });
const ifx = (c: Expr, t: Expr, e: Expr): Expr => ({ kind: "IfExpr", condition: c, then: t, else: e, span });
const field = (o: Expr, f: string): Expr => ({ kind: "FieldAccess", object: o, field: { kind: "Ident", name: f, span }, span });

describe("printExpr precedence", () => {
  it("keeps left-associative chains flat and parenthesises a right-nested one", () => {
    expect(printExpr(bin("-", bin("-", name("a"), name("b")), name("c")))).toBe("a - b - c");
    expect(printExpr(bin("-", name("a"), bin("-", name("b"), name("c"))))).toBe("a - (b - c)");
    expect(printExpr(bin("+", name("a"), bin("*", name("b"), name("c"))))).toBe("a + b * c");
    expect(printExpr(bin("*", bin("+", name("a"), name("b")), name("c")))).toBe("(a + b) * c");
  });
  it("treats comparisons as non-associative", () => {
    expect(printExpr(bin("<", bin("<", name("a"), name("b")), name("c")))).toBe("(a < b) < c");
    expect(printExpr(bin("==", bin("+", name("a"), num("1")), name("b")))).toBe("a + 1 == b");
  });
  it("places not between and and comparison", () => {
    expect(printExpr(un("not", bin("==", name("a"), name("b"))))).toBe("not a == b");
    expect(printExpr(un("not", bin("and", name("a"), name("b"))))).toBe("not (a and b)");
    expect(printExpr(bin("and", un("not", name("a")), name("b")))).toBe("not a and b");
    expect(printExpr(bin("or", name("a"), bin("and", name("b"), name("c"))))).toBe("a or b and c");
    expect(printExpr(bin("and", bin("or", name("a"), name("b")), name("c")))).toBe("(a or b) and c");
  });
  it("parenthesises if-expressions used as operands and negated negations", () => {
    expect(printExpr(bin("+", ifx(name("c"), num("1"), num("2")), num("3")))).toBe("(if c then 1 else 2) + 3");
    expect(printExpr(ifx(name("c"), ifx(name("d"), num("1"), num("2")), num("3")))).toBe("if c then if d then 1 else 2 else 3");
    expect(printExpr(un("-", un("-", name("x"))))).toBe("-(-x)");
    expect(printExpr(un("-", bin("+", name("x"), num("1"))))).toBe("-(x + 1)");
  });
  it("parenthesises non-postfix objects of field access", () => {
    expect(printExpr(field(bin("+", name("a"), name("b")), "x"))).toBe("(a + b).x");
    expect(printExpr(field(field({ kind: "RootRef", root: "obs", span }, "enemy"), "pos"))).toBe("obs.enemy.pos");
  });
  it("keeps number and time literals as written", () => {
    expect(printExpr(num("3.50"))).toBe("3.50");
    expect(printExpr({ kind: "TimeLit", ms: 500, text: "500ms", span })).toBe("500ms");
  });
});

describe("printString and printType", () => {
  it("re-escapes the escapes the lexer accepts", () => {
    expect(printString({ kind: "StringLit", value: 'a"b\\c\nd\te', span })).toBe('"a\\"b\\\\c\\nd\\te"');
  });
  it("prints every type form", () => {
    expect(printType({ kind: "FloatType", range: { min: -1, max: 1.5, span }, span })).toBe("float[-1, 1.5]");
    expect(printType({ kind: "VecType", size: 3, span })).toBe("vec3");
    expect(printType({ kind: "VecType", size: 8, span })).toBe("vec<8>");
    expect(
      printType({
        kind: "TensorType",
        dtype: "f32",
        shape: [
          { kind: "dynamic", span },
          { kind: "named", name: "batch", span },
          { kind: "fixed", size: 32, span },
        ],
        span,
      }),
    ).toBe("tensor<f32, [?, batch, 32]>");
    expect(printType({ kind: "ListType", element: { kind: "IntType", span }, capacity: 8, span })).toBe("list<int, 8>");
  });
});
