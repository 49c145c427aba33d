// Typing of expressions. Every checked expression gets an entry in `exprTypes`; every name is bound.
// Poisoning: an operand of type `error` makes the result `error` without a new diagnostic, so a mistake is
// reported once where it is made and once per use of a broken name, never again by its consumers.
import type * as A from "../../grammar/ast.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { typesCodes } from "../diagnostics/codes/types.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { renameFix } from "../resolve/fixes.ts";
import { lookupGlobal, visibleNames } from "../resolve/resolve.ts";
import { describeSymbol, type ConstSymbol, type ExternSymbol, type LocalSymbol, type Symbol } from "../resolve/symbols.ts";
import {
  boolType,
  errorType,
  floatType,
  formatNumber,
  formatFound,
  formatRange,
  formatType,
  indexedElement,
  intType,
  isNumeric,
  rangeOf,
  sameShape,
  stringType,
  withRange,
  type Interval,
  type Type,
} from "../types/type.ts";
import { contains, disjoint, hull, iadd, idiv, imul, ineg, isub, point, unbounded } from "../types/interval.ts";
import { builtins } from "./builtins.ts";
import { COMPONENTWISE } from "../../runtime/builtin-math.ts";
import type { IRBuiltin } from "../../runtime/ir.ts";
import { declaredType, typeOfSymbol } from "./declared-types.ts";
import { lookupLocal, localNames, type CheckState, type Scope } from "./state.ts";
import type { BoundArgs } from "./typed-program.ts";

const VEC_COMPONENTS = ["x", "y", "z", "w"];

export function checkExpr(cx: CheckState, scope: Scope, e: A.Expr, expected?: Type): Type {
  const t = e.recovered ? errorType : typeExpr(cx, scope, e, expected);
  cx.exprTypes.set(e, t);
  return t;
}

/** Check `e` where a bool is required (conditions, guards, `if`, events, `expect`). */
export function checkCondition(cx: CheckState, scope: Scope, e: A.Expr): void {
  const t = checkExpr(cx, scope, e, boolType);
  if (t.kind !== "bool" && t.kind !== "error") {
    cx.report(typesCodes.notBool, scope.file, e.span, { found: formatFound(t) });
  }
}

/** Check `e` and that its value may be stored where `target` is declared. */
export function checkAssigned(cx: CheckState, scope: Scope, e: A.Expr, target: Type): void {
  const t = checkExpr(cx, scope, e, target);
  assignable(cx, scope, e, t, target);
}

function typeExpr(cx: CheckState, scope: Scope, e: A.Expr, expected: Type | undefined): Type {
  switch (e.kind) {
    case "NumberLit": {
      const kind = e.isInt && expected?.kind !== "float" ? "int" : "float";
      return { kind, range: point(e.value) };
    }
    case "TimeLit":
      // A duration in an expression is a float number of milliseconds.
      return { kind: "float", range: point(e.ms) };
    case "BoolLit":
      return boolType;
    case "StringLit":
      return stringType;
    case "ErrorExpr":
      return errorType;
    case "NameRef":
      return nameRef(cx, scope, e);
    case "RootRef":
      return rootRef(cx, scope, e);
    case "FieldAccess":
      return fieldAccess(cx, scope, e);
    case "IndexExpr":
      return indexExpr(cx, scope, e);
    case "CallExpr":
      return callExpr(cx, scope, e);
    case "ListLit":
      return listLit(cx, scope, e, expected);
    case "UnaryExpr": {
      if (e.op === "not") {
        checkCondition(cx, scope, e.operand);
        return boolType;
      }
      const t = checkExpr(cx, scope, e.operand, expected);
      if (t.kind === "error") return t;
      if (isNumeric(t)) return withRange(t.kind, ineg(t.range ?? unbounded));
      if (t.kind === "vec") return t;
      cx.report(typesCodes.badOperands, scope.file, e.span, { op: "-", operands: formatFound(t) });
      return errorType;
    }
    case "BinaryExpr":
      return binary(cx, scope, e, expected);
    case "IfExpr": {
      checkCondition(cx, scope, e.condition);
      const a = checkExpr(cx, scope, e.then, expected);
      const b = checkExpr(cx, scope, e.else, expected ?? a);
      return join(cx, scope, a, b, e.else);
    }
    case "MatchExpr":
      return matchExpr(cx, scope, e, expected);
    case "AggregateExpr":
      return aggregate(cx, scope, e);
  }
}

// ------------------------------------------------------------------------------------------------ names

function unknownValue(cx: CheckState, scope: Scope, name: string, span: A.Span, what = "value"): Type {
  // Values, plus enums and message types (which precede `.Member` / `.Kind`).
  const candidates = [
    ...localNames(scope.locals),
    ...visibleNames(scope.module, (s) => s.kind === "const" || (s.kind === "type" && (s.decl.kind === "EnumDecl" || s.decl.kind === "MessageDecl"))),
  ];
  const s = suggest(name, candidates);
  cx.report(namesCodes.unknownName, scope.file, span, { what, name }, s ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, span, s) } : {});
  return errorType;
}

function nameRef(cx: CheckState, scope: Scope, e: A.NameRef): Type {
  const symbol: Symbol | undefined = lookupLocal(scope.locals, e.name) ?? lookupGlobal(scope.module, e.name);
  if (symbol === undefined) return unknownValue(cx, scope, e.name, e.span);
  cx.bindings.set(e, symbol);
  symbol.used = true;
  switch (symbol.kind) {
    case "error":
      return errorType;
    case "const":
      return constType(cx, symbol);
    case "param":
    case "local":
    case "modelOutput":
      return symbol.type;
    case "extern":
      if (symbol.decl.externKind !== "action") {
        cx.report(namesCodes.wrongKind, scope.file, e.span, { name: e.name, actual: describeSymbol(symbol), expected: "value" }, {
          help: `call it: \`${e.name}(${symbol.decl.params.length ? "…" : ""})\``,
          ...(symbol.decl.params.length === 0 ? { fix: { file: scope.file, span: e.span, replacement: `${e.name}()`, description: `replace with \`${e.name}()\`` } } : {}),
        });
        return errorType;
      }
      break;
    default:
      break;
  }
  cx.report(namesCodes.wrongKind, scope.file, e.span, { name: e.name, actual: describeSymbol(symbol), expected: "value" });
  return errorType;
}

/** The type of a constant, checking its declaration on first use (order-independent, cycles reported). */
export function constType(cx: CheckState, symbol: ConstSymbol): Type {
  if (symbol.type !== undefined) return symbol.type;
  if (cx.constsInProgress.has(symbol)) {
    cx.report(typesCodes.notConstant, symbol.file, symbol.nameSpan, { name: symbol.name, reason: "its value depends on itself" });
    symbol.type = errorType;
    return errorType;
  }
  cx.constsInProgress.add(symbol);
  const module = cx.program.scopes.get(symbol.file)!;
  const scope: Scope = { module, file: symbol.file, where: "in a constant", constant: true };
  const declared = symbol.decl.type ? declaredType(cx, module, symbol.decl.type) : undefined;
  const t = checkExpr(cx, scope, symbol.decl.value, declared);
  if (declared) assignable(cx, scope, symbol.decl.value, t, declared);
  cx.constsInProgress.delete(symbol);
  if (symbol.type !== undefined) return symbol.type; // a cycle through this constant was reported
  const value = fold(cx, symbol.decl.value);
  if (value !== undefined) cx.constValues.set(symbol, value);
  // A constant's type is its declared type, narrowed to the point range of its folded value.
  const base = declared ?? t;
  symbol.type = typeof value === "number" && isNumeric(base) ? withRange(base.kind, point(value)) : base;
  return symbol.type;
}

function rootRef(cx: CheckState, scope: Scope, e: A.RootRef): Type {
  const where = scope.where;
  switch (e.root) {
    case "obs":
      if (scope.obs) return scope.obs.type;
      break;
    case "state":
      if (scope.state) return scope.state.type;
      break;
    case "out":
      if (scope.out) return scope.out.type;
      cx.report(namesCodes.rootUnavailable, scope.file, e.span, { root: "out", where: `for reading ${where}` }, {
        notes: ["outputs are write-only in trees and layers; tests may read them in `expect`"],
      });
      return errorType;
    case "msg":
      if (scope.msg) return scope.msg.type;
      cx.report(namesCodes.rootUnavailable, scope.file, e.span, { root: "msg", where }, {
        notes: ["`msg` is the payload of the message kind handled by an executor's `on Kind` handler"],
      });
      return errorType;
    case "value":
      if (scope.value) return scope.value;
      cx.report(namesCodes.rootUnavailable, scope.file, e.span, { root: "value", where }, {
        notes: ["`value` is the proposed output value inside arbiter and shield expressions"],
      });
      return errorType;
  }
  cx.report(namesCodes.rootUnavailable, scope.file, e.span, { root: e.root, where });
  return errorType;
}

function fieldAccess(cx: CheckState, scope: Scope, e: A.FieldAccess): Type {
  // `Enum.Member` and `Message.Kind`: the object names a type, not a value.
  if (e.object.kind === "NameRef" && lookupLocal(scope.locals, e.object.name) === undefined) {
    const symbol = lookupGlobal(scope.module, e.object.name);
    if (symbol?.kind === "type") {
      symbol.used = true;
      cx.bindings.set(e.object, symbol);
      const t = typeOfSymbol(cx, symbol, e.object.span, scope.file);
      cx.exprTypes.set(e.object, errorType);
      if (t.kind === "enum") {
        const index = t.members.indexOf(e.field.name);
        if (index < 0) return unknownMember(cx, scope, t.name, e.field, t.members);
        cx.members.set(e, { kind: "enumMember", type: t, index });
        return t;
      }
      if (t.kind === "message") {
        if (!t.kinds.has(e.field.name)) return unknownMember(cx, scope, t.name, e.field, t.kinds.keys());
        cx.members.set(e, { kind: "messageKind", type: t, kindName: e.field.name });
        return t;
      }
      if (t.kind === "error") return t;
      cx.report(typesCodes.badOperands, scope.file, e.object.span, { op: ".", operands: `type ${symbol.name}` });
      return errorType;
    }
  }
  const objectType = checkExpr(cx, scope, e.object);
  if (objectType.kind === "error") return errorType;
  if (objectType.kind === "record") {
    const t = objectType.fields.get(e.field.name);
    const root = e.object.kind === "RootRef" ? e.object.root : undefined;
    if (t === undefined) {
      const owner = root === "obs" ? "the observation" : root === "out" ? "the output" : root === "state" ? "the state" : root === "msg" ? `message ${objectType.name}` : `record ${objectType.name}`;
      return unknownField(cx, scope, owner, e.field, objectType.fields.keys());
    }
    const rootFields = root === "obs" ? scope.obs : root === "out" ? scope.out : root === "state" ? scope.state : undefined;
    const field = rootFields?.fields.get(e.field.name);
    if (field) {
      field.used = field.used || root !== "out";
      cx.bindings.set(e.field, field);
      if (root === "state" && field.decl.init === undefined) noteStateRead(cx, scope, field, e);
    }
    cx.members.set(e, { kind: "field", ...(field ? { field } : {}) });
    return t;
  }
  if (objectType.kind === "vec") {
    const index = VEC_COMPONENTS.indexOf(e.field.name);
    if (index < 0 || index >= objectType.size) {
      return unknownField(cx, scope, formatFound(objectType), e.field, VEC_COMPONENTS.slice(0, objectType.size));
    }
    cx.members.set(e, { kind: "vecComponent", index });
    return floatType;
  }
  return unknownField(cx, scope, formatFound(objectType), e.field, []);
}

/** Reading a state field that has no initialiser before this body wrote it: its zero value is read. */
function noteStateRead(cx: CheckState, scope: Scope, field: import("../resolve/symbols.ts").FieldSymbol, e: A.FieldAccess): void {
  const body = scope.body;
  if (body === undefined || body.initialised.has(field) || cx.warnedReads.has(field)) return;
  cx.warnedReads.add(field);
  cx.reportReadBeforeWrite(scope.file, e.span, field);
}

export function unknownField(cx: CheckState, scope: Scope, owner: string, field: A.Ident, candidates: Iterable<string>): Type {
  const s = suggest(field.name, candidates);
  cx.report(namesCodes.unknownField, scope.file, field.span, { owner, name: field.name }, s
    ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, field.span, s) }
    : {});
  return errorType;
}

export function unknownMember(cx: CheckState, scope: Scope, owner: string, member: A.Ident, candidates: Iterable<string>): Type {
  const s = suggest(member.name, candidates);
  cx.report(namesCodes.unknownMember, scope.file, member.span, { owner, name: member.name }, s
    ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, member.span, s) }
    : {});
  return errorType;
}

// ------------------------------------------------------------------------------------------------ index

function indexExpr(cx: CheckState, scope: Scope, e: A.IndexExpr): Type {
  const objectType = checkExpr(cx, scope, e.object);
  const indexType = checkExpr(cx, scope, e.index, intType);
  if (objectType.kind === "error") return errorType;
  const indexed = indexedElement(objectType);
  if (indexed === undefined) {
    cx.report(typesCodes.badIndex, scope.file, e.object.span, { reason: `${formatFound(objectType)} cannot be indexed` });
    return errorType;
  }
  checkConstantIndex(cx, scope, e.index, indexType, objectType, indexed.length);
  return indexed.element;
}

/** An index must be an int; a constant index outside `0 ..< length` is HP3012 (reads and writes alike). */
export function checkConstantIndex(cx: CheckState, scope: Scope, index: A.Expr, indexType: Type, objectType: Type, length: number | undefined): void {
  if (indexType.kind === "error") return;
  if (indexType.kind !== "int") {
    cx.report(typesCodes.mismatch, scope.file, index.span, { expected: "int", found: formatFound(indexType) });
    return;
  }
  const k = fold(cx, index);
  if (typeof k === "number" && length !== undefined && (k < 0 || k >= length)) {
    cx.report(typesCodes.badIndex, scope.file, index.span, { reason: `index ${k} is outside 0..${length - 1} of ${formatFound(objectType)}` });
  }
}

// ------------------------------------------------------------------------------------------------ calls

function callExpr(cx: CheckState, scope: Scope, e: A.CallExpr): Type {
  const name = e.callee.name;
  const symbol = lookupGlobal(scope.module, name);
  if (symbol !== undefined) {
    cx.bindings.set(e.callee, symbol);
    symbol.used = true;
    if (symbol.kind === "error") {
      for (const a of e.args) checkExpr(cx, scope, a.value);
      return errorType;
    }
    if (symbol.kind === "extern" && symbol.decl.externKind !== "action") {
      if (scope.constant) {
        cx.report(typesCodes.notConstant, scope.file, e.span, { name: name, reason: "an extern call is evaluated by the host at run time" });
      }
      cx.callees.set(e, { kind: "extern", symbol });
      cx.externCalls++;
      checkArgs(cx, scope, e, symbol, e.args);
      if (symbol.decl.externKind === "condition") return boolType;
      return symbol.decl.returns ? declaredType(cx, cx.program.scopes.get(symbol.file)!, symbol.decl.returns) : errorType;
    }
    for (const a of e.args) checkExpr(cx, scope, a.value);
    cx.report(namesCodes.wrongKind, scope.file, e.callee.span, { name, actual: describeSymbol(symbol), expected: "function" }, symbol.kind === "tree"
      ? { help: `trees are run with the \`call\` node: \`call ${name}(…)\`` }
      : symbol.kind === "extern" ? { help: `actions are run with the \`do\` node: \`do ${name}(…)\`` } : {});
    return errorType;
  }
  const builtin = builtins.get(name);
  if (builtin?.testOnly && !scope.test) {
    cx.report(namesCodes.rootUnavailable, scope.file, e.callee.span, { root: `${name}(…)`, where: scope.where }, {
      notes: [`\`${name}\` is available only in test blocks`],
    });
    return errorType;
  }
  if (builtin === undefined) {
    for (const a of e.args) checkExpr(cx, scope, a.value);
    const candidates = [
      ...[...builtins.values()].filter((b) => !b.testOnly || scope.test).map((b) => b.name),
      ...visibleNames(scope.module, (s) => s.kind === "extern" && s.decl.externKind !== "action"),
    ];
    const s = suggest(name, candidates);
    cx.report(namesCodes.unknownName, scope.file, e.callee.span, { what: "function", name }, s
      ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, e.callee.span, s) }
      : {});
    return errorType;
  }
  cx.callees.set(e, { kind: "builtin", builtin });
  if (builtin.name === "emitted") return emittedCall(cx, scope, e);
  if (builtin.random && scope.constant) {
    cx.report(typesCodes.notConstant, scope.file, e.span, { name, reason: "it draws from the random number generator" });
  }
  const argTypes: Type[] = [];
  for (const a of e.args) {
    if (a.name) cx.report(namesCodes.unknownArgument, scope.file, a.name.span, { name: a.name.name, callee: name });
    argTypes.push(checkExpr(cx, scope, a.value, builtin.name.startsWith("vec") ? floatType : undefined));
  }
  cx.args.set(e, e.args.map((a) => a.value));
  const arities = typeof builtin.arity === "number" ? [builtin.arity] : builtin.arity;
  if (!arities.includes(e.args.length)) {
    cx.report(typesCodes.argCount, scope.file, e.span, { callee: name, expected: arities.join(" or "), found: e.args.length }, { notes: builtin.signature.split("\n") });
    return errorType;
  }
  if (argTypes.some((t) => t.kind === "error")) return errorType;
  const result = builtin.type(argTypes);
  if ("badArg" in result) {
    cx.report(typesCodes.mismatch, scope.file, e.args[result.badArg].value.span, { expected: result.expected, found: formatFound(argTypes[result.badArg]) }, {
      notes: [builtin.signature],
    });
    return errorType;
  }
  return result.type;
}

function emittedCall(cx: CheckState, scope: Scope, e: A.CallExpr): Type {
  const arg = e.args[0]?.value;
  if (e.args.length !== 1 || arg.kind !== "NameRef") {
    cx.report(typesCodes.argCount, scope.file, e.span, { callee: "emitted", expected: 1, found: e.args.length }, { notes: ["emitted(planner_name)"] });
    return errorType;
  }
  const symbol = lookupGlobal(scope.module, arg.name);
  cx.exprTypes.set(arg, errorType);
  if (symbol === undefined) {
    const s = suggest(arg.name, visibleNames(scope.module, (x) => x.kind === "planner"));
    cx.report(namesCodes.unknownName, scope.file, arg.span, { what: "planner", name: arg.name }, s ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, arg.span, s) } : {});
    return errorType;
  }
  if (symbol.kind === "error") return errorType;
  cx.bindings.set(arg, symbol);
  if (symbol.kind !== "planner") {
    cx.report(namesCodes.wrongKind, scope.file, arg.span, { name: arg.name, actual: describeSymbol(symbol), expected: "planner" });
    return errorType;
  }
  cx.args.set(e, [arg]);
  const message = cx.plannerMessage(symbol);
  return message ?? errorType;
}

/** Bind and type a call's arguments against parameters; records them in parameter order. */
export function checkArgs(
  cx: CheckState,
  scope: Scope,
  owner: A.DoNode | A.CallNode | A.CallExpr,
  callee: ExternSymbol | import("../resolve/symbols.ts").TreeSymbol,
  args: readonly A.Arg[],
): void {
  const params = callee.decl.params;
  const calleeScope = cx.program.scopes.get(callee.file)!;
  const bound: (A.Expr | undefined)[] = params.map(() => undefined);
  let positional = 0;
  let broken = false;
  for (const arg of args) {
    let index: number;
    if (arg.name) {
      index = params.findIndex((p) => p.name.name === arg.name!.name);
      if (index < 0) {
        const s = suggest(arg.name.name, params.map((p) => p.name.name));
        cx.report(namesCodes.unknownArgument, scope.file, arg.name.span, { name: arg.name.name, callee: callee.name }, s
          ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, arg.name.span, s) }
          : {});
        checkExpr(cx, scope, arg.value);
        broken = true;
        continue;
      }
    } else {
      index = positional++;
      if (index >= params.length) {
        checkExpr(cx, scope, arg.value);
        cx.report(typesCodes.argCount, scope.file, arg.span, { callee: callee.name, expected: params.length, found: args.length });
        broken = true;
        continue;
      }
    }
    if (bound[index] !== undefined) {
      cx.report(namesCodes.duplicate, scope.file, arg.span, { name: params[index].name.name, where: `the arguments of \`${callee.name}\`` });
      checkExpr(cx, scope, arg.value);
      continue;
    }
    bound[index] = arg.value;
    checkAssigned(cx, scope, arg.value, declaredType(cx, calleeScope, params[index].type));
  }
  const missing: string[] = [];
  params.forEach((p, i) => {
    if (bound[i] === undefined) {
      if (p.default) bound[i] = p.default;
      else missing.push(p.name.name);
    }
  });
  if (missing.length > 0 && !broken) {
    cx.report(typesCodes.missingArgs, scope.file, owner.span, { callee: callee.name, missing: missing.map((m) => `\`${m}\``).join(", ") });
  }
  cx.args.set(owner, bound as BoundArgs);
}

// ------------------------------------------------------------------------------------------------ lists

function listLit(cx: CheckState, scope: Scope, e: A.ListLit, expected: Type | undefined): Type {
  if (expected?.kind === "tensor" && expected.shape.length > 0) {
    // A tensor literal: nested lists, one level per dimension.
    const rest = expected.shape.slice(1);
    const scalar: Type = expected.dtype === "bool" ? boolType : expected.dtype.startsWith("i") ? intType : floatType;
    const element: Type = rest.length === 0 ? scalar : { kind: "tensor", dtype: expected.dtype, shape: rest };
    let broken = false;
    for (const el of e.elements) {
      const t = checkExpr(cx, scope, el, element);
      if (t.kind === "error") broken = true;
      else if (rest.length === 0) assignable(cx, scope, el, t, element);
      else if (!(t.kind === "tensor" && sameShape(t, element))) {
        cx.report(typesCodes.tensorMismatch, scope.file, el.span, { expected: formatType(element), found: formatFound(t) });
        broken = true;
      }
    }
    const first = expected.shape[0];
    if (typeof first === "number" && e.elements.length !== first) {
      cx.report(typesCodes.tensorMismatch, scope.file, e.span, { expected: formatType(expected), found: `${e.elements.length} elements` });
      return errorType;
    }
    return broken ? errorType : expected;
  }
  if (expected?.kind === "vec") {
    for (const el of e.elements) {
      const t = checkExpr(cx, scope, el, floatType);
      if (t.kind !== "error" && !isNumeric(t)) cx.report(typesCodes.mismatch, scope.file, el.span, { expected: "float", found: formatFound(t) });
    }
    if (e.elements.length !== expected.size) {
      cx.report(typesCodes.vecSize, scope.file, e.span, { expected: expected.size, found: e.elements.length });
      return errorType;
    }
    return expected;
  }
  const elementExpected = expected?.kind === "list" ? expected.element : undefined;
  let element: Type | undefined = elementExpected;
  let broken = false;
  for (const el of e.elements) {
    if (element === undefined) {
      element = checkExpr(cx, scope, el);
      continue;
    }
    const t = checkExpr(cx, scope, el, element);
    if (t.kind === "error" || element.kind === "error") {
      broken = true;
      continue;
    }
    if (elementExpected) {
      assignable(cx, scope, el, t, elementExpected);
    } else if (isNumeric(t) && isNumeric(element)) {
      element = withRange(t.kind === "float" || element.kind === "float" ? "float" : "int", hull(t.range ?? unbounded, element.range ?? unbounded));
    } else if (!sameShape(t, element)) {
      cx.report(typesCodes.mismatch, scope.file, el.span, { expected: formatType(element), found: formatFound(t) });
      broken = true;
    }
  }
  if (element === undefined) {
    cx.report(typesCodes.cannotInfer, scope.file, e.span, { what: "the element type of an empty list" });
    return errorType;
  }
  if (broken || element.kind === "error") return errorType;
  const capacity = expected?.kind === "list" ? expected.capacity : e.elements.length;
  if (e.elements.length > capacity) {
    cx.report(typesCodes.tooManyElements, scope.file, e.span, { found: e.elements.length, capacity });
    return errorType;
  }
  return { kind: "list", element, capacity };
}

function aggregate(cx: CheckState, scope: Scope, e: A.AggregateExpr): Type {
  const listType = checkExpr(cx, scope, e.list);
  let element: Type = errorType;
  let capacity = 0;
  if (listType.kind === "list") {
    element = listType.element;
    capacity = listType.capacity;
  } else if (listType.kind !== "error") {
    cx.report(typesCodes.notAList, scope.file, e.list.span, { aggregate: e.aggregate, found: formatFound(listType) });
  }
  const variable: LocalSymbol = { kind: "local", id: cx.program.ids.take(), name: e.variable.name, file: scope.file, nameSpan: e.variable.span, used: true, type: element };
  cx.bindings.set(e.variable, variable);
  const inner: Scope = { ...scope, locals: { names: new Map([[e.variable.name, variable]]), ...(scope.locals ? { parent: scope.locals } : {}) } };
  const poisoned = listType.kind !== "list";
  switch (e.aggregate) {
    case "any":
    case "all":
      checkCondition(cx, inner, e.body);
      return boolType;
    case "count":
      checkCondition(cx, inner, e.body);
      return poisoned ? errorType : { kind: "int", range: { min: 0, max: capacity } };
    default: {
      const body = checkExpr(cx, inner, e.body);
      if (body.kind === "error") return errorType;
      if (!isNumeric(body)) {
        cx.report(typesCodes.mismatch, scope.file, e.body.span, { expected: "a number", found: formatFound(body) });
        return errorType;
      }
      if (poisoned) return errorType;
      if (e.aggregate === "min_by" || e.aggregate === "max_by") return element;
      const r = body.range ?? unbounded;
      if (e.aggregate === "sum") return withRange(body.kind, hull(point(0), imul(r, { min: 0, max: capacity })));
      // min_of / max_of of an empty list is 0.
      return withRange(body.kind, hull(r, point(0)));
    }
  }
}

// ------------------------------------------------------------------------------------------------ match

function matchExpr(cx: CheckState, scope: Scope, e: A.MatchExpr, expected: Type | undefined): Type {
  const s = checkExpr(cx, scope, e.scrutinee);
  const members: readonly string[] | undefined =
    s.kind === "enum" ? s.members : s.kind === "message" ? [...s.kinds.keys()] : undefined;
  if (s.kind !== "error" && members === undefined) {
    cx.report(typesCodes.matchNotEnum, scope.file, e.scrutinee.span, { found: formatFound(s) });
  }
  const seen = new Set<string>();
  let result: Type | undefined;
  for (const arm of e.arms) {
    if (members !== undefined) {
      if (!members.includes(arm.member.name)) unknownMember(cx, scope, formatFound(s), arm.member, members);
      else if (seen.has(arm.member.name)) cx.report(namesCodes.duplicate, scope.file, arm.member.span, { name: arm.member.name, where: "this match" });
      seen.add(arm.member.name);
    }
    const t = checkExpr(cx, scope, arm.value, expected ?? result);
    result = result === undefined ? t : join(cx, scope, result, t, arm.value);
  }
  if (members !== undefined) {
    const missing = members.filter((m) => !seen.has(m));
    if (missing.length > 0) {
      cx.report(typesCodes.nonExhaustive, scope.file, e.scrutinee.span, { type: formatFound(s), missing: missing.map((m) => `\`${m}\``).join(", ") }, {
        help: `add ${missing.length === 1 ? "an arm" : "arms"} for ${missing.join(", ")}`,
      });
    }
  }
  return result ?? errorType;
}

/** The common type of two branches (if/else, match arms): numeric branches widen, others must agree. */
function join(cx: CheckState, scope: Scope, a: Type, b: Type, at: A.Expr): Type {
  if (a.kind === "error" || b.kind === "error") return errorType;
  if (isNumeric(a) && isNumeric(b)) {
    const kind = a.kind === "float" || b.kind === "float" ? "float" : "int";
    return withRange(kind, a.range && b.range ? hull(a.range, b.range) : undefined);
  }
  if (sameShape(a, b)) return a;
  cx.report(typesCodes.mismatch, scope.file, at.span, { expected: formatFound(a), found: formatFound(b) });
  return errorType;
}

// ------------------------------------------------------------------------------------------------ operators

function binary(cx: CheckState, scope: Scope, e: A.BinaryExpr, expected: Type | undefined): Type {
  const op = e.op;
  if (op === "and" || op === "or") {
    checkCondition(cx, scope, e.left);
    checkCondition(cx, scope, e.right);
    return boolType;
  }
  const numericHint = expected && (isNumeric(expected) || expected.kind === "vec") ? expected : undefined;
  const l = checkExpr(cx, scope, e.left, op === "*" || op === "/" ? undefined : numericHint);
  const r = checkExpr(cx, scope, e.right, l.kind === "vec" && op !== "*" && op !== "/" ? l : l.kind === "float" ? floatType : undefined);
  if (l.kind === "error" || r.kind === "error") return op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=" ? boolType : errorType;
  const bad = (): Type => {
    cx.report(typesCodes.badOperands, scope.file, e.opSpan, { op, operands: `${formatFound(l)} and ${formatFound(r)}` });
    return op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=" ? boolType : errorType;
  };
  switch (op) {
    case "==":
    case "!=":
      if ((isNumeric(l) && isNumeric(r)) || sameShape(l, r)) {
        if (l.kind === "list" || l.kind === "tensor" || l.kind === "record") return bad();
        return boolType;
      }
      return bad();
    case "<":
    case "<=":
    case ">":
    case ">=":
      return isNumeric(l) && isNumeric(r) ? boolType : bad();
    default:
      break;
  }
  if (isNumeric(l) && isNumeric(r)) {
    const a = l.range ?? unbounded;
    const b = r.range ?? unbounded;
    const kind = l.kind === "int" && r.kind === "int" && op !== "/" ? "int" : "float";
    const divisor = op === "/" || op === "%" ? fold(cx, e.right) : undefined;
    if ((op === "/" || op === "%") && divisor === 0) {
      cx.report(typesCodes.divByZero, scope.file, e.right.span, {});
      return errorType;
    }
    switch (op) {
      case "+":
        return withRange(kind, iadd(a, b));
      case "-":
        return withRange(kind, isub(a, b));
      case "*":
        return withRange(kind, imul(a, b));
      case "/":
        return withRange(kind, idiv(a, b));
      case "%": {
        // x % y has the sign of x and magnitude below |y| and at most |x| (JavaScript semantics; x % 0 is 0).
        const m = Math.max(Math.abs(b.min), Math.abs(b.max));
        const bound = kind === "int" ? m - 1 : m;
        return withRange(kind, {
          min: a.min < 0 ? -Math.min(bound, -a.min) : 0,
          max: a.max > 0 ? Math.min(bound, a.max) : 0,
        });
      }
    }
  }
  if (l.kind === "vec" && r.kind === "vec" && (op === "+" || op === "-")) {
    if (l.size !== r.size) {
      cx.report(typesCodes.vecSize, scope.file, e.right.span, { expected: l.size, found: r.size });
      return errorType;
    }
    return l;
  }
  if (op === "*" && l.kind === "vec" && isNumeric(r)) return l;
  if (op === "*" && isNumeric(l) && r.kind === "vec") return r;
  if (op === "/" && l.kind === "vec" && isNumeric(r)) return l;
  return bad();
}

// ------------------------------------------------------------------------------------------------ assignability

/**
 * May a value of type `actual` (the type of `e`) be stored where `target` is declared?
 * The range rule (CONTEXT.md): the inferred range of the value must lie inside the target's range. A constant
 * outside it is HP3004; any other value that may fall outside is HP3005, with a fix that wraps it in clamp().
 */
export function assignable(cx: CheckState, scope: Scope, e: A.Expr, actual: Type, target: Type): void {
  if (actual.kind === "error" || target.kind === "error") return;
  const file = scope.file;
  if (isNumeric(target)) {
    if (!isNumeric(actual)) {
      cx.report(typesCodes.mismatch, file, e.span, { expected: formatType(target), found: formatFound(actual) });
      return;
    }
    if (target.kind === "int" && actual.kind === "float") {
      const text = cx.text(file, e.span);
      cx.report(typesCodes.floatToInt, file, e.span, { target: formatType(target) }, {
        help: "round it explicitly",
        fix: { file, span: e.span, replacement: `round(${text})`, description: `replace with \`round(${text})\`` },
      });
      return;
    }
    checkRange(cx, scope, e, rangeOf(actual), target.range, formatType(target));
    return;
  }
  if (target.kind === "vec") {
    if (actual.kind === "vec" && actual.size !== target.size) {
      cx.report(typesCodes.vecSize, file, e.span, { expected: target.size, found: actual.size });
      return;
    }
    if (actual.kind === "vec" || (actual.kind === "tensor" && tensorElements(actual) === target.size && actual.dtype.startsWith("f"))) return;
    cx.report(typesCodes.mismatch, file, e.span, { expected: formatType(target), found: formatFound(actual) });
    return;
  }
  if (target.kind === "list" && actual.kind === "list") {
    if (actual.capacity > target.capacity) {
      cx.report(typesCodes.tooManyElements, file, e.span, { found: actual.capacity, capacity: target.capacity });
      return;
    }
    if (e.kind === "ListLit") return; // elements were checked one by one against the target element type
    if (isNumeric(target.element) && isNumeric(actual.element)) {
      if (target.element.kind === "int" && actual.element.kind === "float") {
        cx.report(typesCodes.mismatch, file, e.span, { expected: formatType(target), found: formatFound(actual) });
        return;
      }
      const tr = target.element.range;
      const ar = actual.element.range;
      if (tr && !(ar && contains(tr, ar))) {
        cx.report(typesCodes.mismatch, file, e.span, { expected: formatType(target), found: formatFound(actual) });
      }
      return;
    }
    if (!sameShape(target.element, actual.element)) cx.report(typesCodes.mismatch, file, e.span, { expected: formatType(target), found: formatFound(actual) });
    return;
  }
  if (target.kind === "tensor") {
    if (tensorCompatible(target, actual)) return;
    cx.report(typesCodes.tensorMismatch, file, e.span, { expected: formatType(target), found: formatFound(actual) });
    return;
  }
  if (sameShape(target, actual)) return;
  cx.report(typesCodes.mismatch, file, e.span, { expected: formatType(target), found: formatFound(actual) });
}

function checkRange(cx: CheckState, scope: Scope, e: A.Expr, actual: Interval | undefined, target: Interval | undefined, targetName: string): void {
  if (target === undefined) return;
  if (actual !== undefined && contains(target, actual)) return;
  const file = scope.file;
  const constant = fold(cx, e);
  if (typeof constant === "number") {
    cx.report(typesCodes.literalOutOfRange, file, e.span, { value: formatNumber(constant), target: targetName, range: formatRange(target) });
    return;
  }
  const text = cx.text(file, e.span);
  const replacement = `clamp(${text}, ${formatNumber(target.min)}, ${formatNumber(target.max)})`;
  cx.report(typesCodes.mayBeOutOfRange, file, e.span, { found: actual ? formatRange(actual) : "unbounded", target: targetName }, {
    ...(actual && disjoint(actual, target) ? { notes: ["the value is never inside the target range"] } : {}),
    help: "clamp the value explicitly",
    fix: { file, span: e.span, replacement, description: `replace with \`${replacement}\`` },
  });
}

export function tensorElements(t: Type): number | undefined {
  if (t.kind !== "tensor") return undefined;
  let n = 1;
  for (const d of t.shape) {
    if (typeof d !== "number") return undefined;
    n *= d;
  }
  return n;
}

/** A tensor port accepts a tensor of the same dtype and shape, or vectors/lists/numbers with as many elements. */
function tensorCompatible(target: Extract<Type, { kind: "tensor" }>, actual: Type): boolean {
  const n = tensorElements(target);
  const floatDtype = target.dtype === "f32" || target.dtype === "f64";
  const intDtype = target.dtype === "i32" || target.dtype === "i64";
  switch (actual.kind) {
    case "tensor":
      return actual.dtype === target.dtype && (n === undefined ? sameShape(actual, target) : tensorElements(actual) === n);
    case "vec":
      return floatDtype && n === actual.size;
    case "list":
      return (
        n === actual.capacity &&
        ((floatDtype && isNumeric(actual.element)) || (intDtype && actual.element.kind === "int") || (target.dtype === "bool" && actual.element.kind === "bool"))
      );
    case "int":
      return n === 1 && !(target.dtype === "bool");
    case "float":
      return n === 1 && floatDtype;
    case "bool":
      return n === 1 && target.dtype === "bool";
    default:
      return false;
  }
}

// ------------------------------------------------------------------------------------------------ folding

/** The compile-time value of an expression, when it is built from literals and constants only. */
export function fold(cx: CheckState, e: A.Expr): number | boolean | undefined {
  switch (e.kind) {
    case "NumberLit":
      return e.value;
    case "TimeLit":
      return e.ms;
    case "BoolLit":
      return e.value;
    case "NameRef": {
      const s = cx.bindings.get(e);
      return s?.kind === "const" ? cx.constValues.get(s) : undefined;
    }
    case "UnaryExpr": {
      const v = fold(cx, e.operand);
      if (e.op === "-") return typeof v === "number" ? -v : undefined;
      return typeof v === "boolean" ? !v : undefined;
    }
    case "IfExpr": {
      const c = fold(cx, e.condition);
      return typeof c === "boolean" ? fold(cx, c ? e.then : e.else) : undefined;
    }
    case "CallExpr": {
      const callee = cx.callees.get(e);
      if (callee?.kind !== "builtin") return undefined;
      const vs = e.args.map((a) => fold(cx, a.value));
      if (!vs.every((v): v is number => typeof v === "number")) return undefined;
      // The runtime's own table, so a folded constant is what the same call computes at run time.
      const component = COMPONENTWISE[(callee.builtin.name === "clip" ? "clamp" : callee.builtin.name) as IRBuiltin];
      return component === undefined ? undefined : finiteOrUndefined(component(vs[0] ?? 0, vs[1] ?? 0, vs[2] ?? 0));
    }
    case "BinaryExpr": {
      const a = fold(cx, e.left);
      const b = fold(cx, e.right);
      if (a === undefined || b === undefined) return undefined;
      if (typeof a === "boolean" || typeof b === "boolean") {
        if (typeof a !== "boolean" || typeof b !== "boolean") return undefined;
        switch (e.op) {
          case "and":
            return a && b;
          case "or":
            return a || b;
          case "==":
            return a === b;
          case "!=":
            return a !== b;
          default:
            return undefined;
        }
      }
      switch (e.op) {
        case "+":
          return finiteOrUndefined(a + b);
        case "-":
          return finiteOrUndefined(a - b);
        case "*":
          return finiteOrUndefined(a * b);
        case "/":
          // `/` is always a float division (the checker types it float); x / 0 is 0.
          return finiteOrUndefined(b === 0 ? 0 : a / b);
        case "%":
          return b === 0 ? 0 : a % b;
        case "==":
          return a === b;
        case "!=":
          return a !== b;
        case "<":
          return a < b;
        case "<=":
          return a <= b;
        case ">":
          return a > b;
        case ">=":
          return a >= b;
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** A non-finite result is not a compile-time value: the runtime computes it (lowering's folding agrees). */
function finiteOrUndefined(v: number): number | undefined {
  return Number.isFinite(v) ? v : undefined;
}

export type { Symbol };
