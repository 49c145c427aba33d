// Expression lowering: checked AST expressions → IR expressions, folding every pure operation whose operands
// are compile-time values. Names are resolved through the checker's side tables: constants to their values,
// parameters to their call site's argument, aggregate variables to `local` ids, model outputs to `port`s,
// `msg` to the payload var of the handled kind, and `state.x` / `out.x` to the var in scope.
import type * as A from "../../grammar/ast.ts";
import type { IRBinaryOp, IRBuiltin, IRType } from "../../runtime/ir.ts";
import { fieldOffset, typeSize } from "../../runtime/ir.ts";
import type { ExternSymbol, FieldSymbol } from "../resolve/symbols.ts";
import { indexedElement, type Type } from "../types/type.ts";
import { isFolded, type Folded, type Lowered } from "./builder.ts";
import { globalEnv, type Env, type LowerContext } from "./context.ts";
import { foldBinary, foldBuiltin, foldConstruct, foldIndex, foldUnary } from "./fold.ts";
import { BOOL, FLOAT, zeroValue } from "./ir-types.ts";
import { LoweringBug } from "./lowering-bug.ts";

const BUILTINS = new Set<IRBuiltin>([
  "abs", "min", "max", "clamp", "sqrt", "floor", "ceil", "round", "sign", "sin", "cos", "atan2", "pow", "exp", "log",
  "lerp", "int", "float", "length", "normalize", "dot", "distance", "len", "vec2", "vec3", "vec4", "argmax", "sample",
  "gaussian", "random",
]);
const RANDOM = new Set<IRBuiltin>(["sample", "gaussian", "random"]);
const VEC_COMPONENTS = "xyzw";

function folded(type: IRType, value: readonly number[], file: string, span: A.Span | null): Folded {
  return { type, value, file, span };
}

export function lowerExpr(cx: LowerContext, e: A.Expr, env: Env): Lowered {
  const file = env.file;
  switch (e.kind) {
    case "NumberLit":
      return folded(cx.exprType(e, file), [e.value], file, e.span);
    case "TimeLit":
      return folded(FLOAT, [e.ms], file, e.span);
    case "BoolLit":
      return folded(BOOL, [e.value ? 1 : 0], file, e.span);
    case "NameRef":
      return nameRef(cx, e, env);
    case "RootRef":
      return rootRef(cx, e, env);
    case "FieldAccess":
      return fieldAccess(cx, e, env);
    case "IndexExpr": {
      const type = cx.exprType(e, file);
      const object = lowerExpr(cx, e.object, env);
      const index = lowerExpr(cx, e.index, env);
      if (isFolded(object) && isFolded(index)) return folded(type, foldIndex(object.type, object.value, index.value[0]!, type), file, e.span);
      return cx.b.expr({ k: "index", type, object: cx.b.materialize(object), index: cx.b.materialize(index) }, file, e.span);
    }
    case "CallExpr":
      return callExpr(cx, e, env);
    case "ListLit": {
      const type = cx.exprType(e, file);
      const elements = e.elements.map((x) => lowerExpr(cx, x, env));
      if (elements.every(isFolded)) return folded(type, foldConstruct(type, elements.map((x) => x.value)), file, e.span);
      return cx.b.expr({ k: "construct", type, elements: elements.map((x) => cx.b.materialize(x)) }, file, e.span);
    }
    case "UnaryExpr": {
      const type = cx.exprType(e, file);
      const operand = lowerExpr(cx, e.operand, env);
      const op = e.op === "-" ? "neg" : "not";
      if (isFolded(operand)) {
        const v = foldUnary(op, operand.value, operand.type);
        if (v) return folded(type, v, file, e.span);
      }
      return cx.b.expr({ k: "unary", type, op, operand: cx.b.materialize(operand) }, file, e.span);
    }
    case "BinaryExpr":
      return binary(cx, e, env);
    case "IfExpr": {
      const type = cx.exprType(e, file);
      const cond = lowerExpr(cx, e.condition, env);
      // A decided condition keeps only the branch taken: the other one is never lowered.
      if (isFolded(cond)) return retype(lowerExpr(cx, cond.value[0] ? e.then : e.else, env), type);
      const then = cx.b.materialize(lowerExpr(cx, e.then, env));
      const other = cx.b.materialize(lowerExpr(cx, e.else, env));
      return cx.b.expr({ k: "if", type, cond: cx.b.materialize(cond), then, else: other }, file, e.span);
    }
    case "MatchExpr":
      return match(cx, e, env);
    case "AggregateExpr": {
      const type = cx.exprType(e, file);
      const variable = cx.symbolOf(e.variable, "local", file);
      const list = cx.b.materialize(lowerExpr(cx, e.list, env));
      const local = cx.b.newLocal();
      const inner: Env = { ...env, locals: new Map(env.locals).set(variable, local) };
      const body = cx.b.materialize(lowerExpr(cx, e.body, inner));
      return cx.b.expr({ k: "aggregate", type, agg: e.aggregate, local, list, body }, file, e.span);
    }
    case "StringLit":
    case "ErrorExpr":
      throw new LoweringBug(`a ${e.kind} reached lowering`, file, e.span);
  }
}

/** A folded value keeps the type of the expression it stands for (e.g. an int literal in a float branch). */
function retype(l: Lowered, type: IRType): Lowered {
  return isFolded(l) && l.type.k !== type.k ? { ...l, type } : l;
}

function nameRef(cx: LowerContext, e: A.NameRef, env: Env): Lowered {
  const symbol = cx.program.bindings.get(e);
  switch (symbol?.kind) {
    case "const": {
      const value = cx.program.constValues.get(symbol);
      const type = cx.exprType(e, env.file);
      if (value !== undefined) return folded(type, [typeof value === "boolean" ? (value ? 1 : 0) : value], env.file, e.span);
      // Structured constants (vectors, lists, records) are lowered once, at their declaration.
      let lowered = cx.consts.get(symbol);
      if (lowered === undefined) {
        lowered = lowerExpr(cx, symbol.decl.value, globalEnv(symbol.file));
        cx.consts.set(symbol, lowered);
      }
      return lowered;
    }
    case "param": {
      const binding = env.params.get(symbol.decl);
      if (binding === undefined) throw new LoweringBug(`parameter ${symbol.name} is not bound here`, env.file, e.span);
      if (binding.value === undefined) binding.value = lowerExpr(cx, binding.arg, binding.env);
      return binding.value;
    }
    case "local": {
      const local = env.locals.get(symbol);
      if (local === undefined) throw new LoweringBug(`aggregate variable ${symbol.name} is not in scope`, env.file, e.span);
      return cx.b.expr({ k: "local", type: cx.exprType(e, env.file), local }, env.file, e.span);
    }
    case "modelOutput": {
      const output = env.infer?.outputs.get(symbol.name);
      if (env.infer === undefined || output === undefined) throw new LoweringBug(`model output ${symbol.name} outside its infer node`, env.file, e.span);
      return cx.b.expr({ k: "port", type: cx.exprType(e, env.file), node: env.infer.node, output }, env.file, e.span);
    }
    default:
      throw new LoweringBug(`name ${e.name} is bound to ${symbol?.kind ?? "nothing"}`, env.file, e.span);
  }
}

function rootRef(cx: LowerContext, e: A.RootRef, env: Env): Lowered {
  if (e.root === "msg") {
    if (env.msgVar === undefined) throw new LoweringBug("`msg` outside a message handler", env.file, e.span);
    return cx.b.expr({ k: "read", type: cx.b.vars[env.msgVar]!.type, var: env.msgVar }, env.file, e.span);
  }
  if (e.root === "value") {
    if (env.value === undefined) throw new LoweringBug("`value` outside an arbiter or shield", env.file, e.span);
    return cx.b.expr({ k: "value", type: env.value }, env.file, e.span);
  }
  throw new LoweringBug(`the whole \`${e.root}\` record used as a value`, env.file, e.span);
}

function fieldAccess(cx: LowerContext, e: A.FieldAccess, env: Env): Lowered {
  const file = env.file;
  const member = cx.program.members.get(e);
  if (member === undefined) throw new LoweringBug("field access without a member", file, e.span);
  switch (member.kind) {
    case "enumMember":
      return folded(cx.types.convert(member.type), [member.index], file, e.span);
    case "messageKind":
      return folded(cx.types.convert(member.type), [[...member.type.kinds.keys()].indexOf(member.kindName)], file, e.span);
    case "vecComponent": {
      const object = lowerExpr(cx, e.object, env);
      if (isFolded(object)) return folded(FLOAT, [object.value[member.index]!], file, e.span);
      return cx.b.expr({ k: "field", type: FLOAT, object: object, offset: member.index }, file, e.span);
    }
    case "field": {
      const type = cx.exprType(e, file);
      if (e.object.kind === "RootRef" && e.object.root !== "msg" && e.object.root !== "value") {
        if (member.field === undefined) throw new LoweringBug(`root field ${e.field.name} is unbound`, file, e.span);
        const v = rootFieldVar(cx, e.object.root, member.field, env, e.span);
        return cx.b.expr({ k: "read", type, var: v }, file, e.span);
      }
      const object = lowerExpr(cx, e.object, env);
      const objectType = cx.b.typeOf(object);
      if (objectType.k !== "record") throw new LoweringBug(`field ${e.field.name} of a ${objectType.k}`, file, e.span);
      const index = objectType.fields.findIndex((f) => f.name === e.field.name);
      if (index < 0) throw new LoweringBug(`record ${objectType.name} has no field ${e.field.name}`, file, e.span);
      const offset = fieldOffset(objectType, index);
      if (isFolded(object)) return folded(type, object.value.slice(offset, offset + typeSize(type)), file, e.span);
      return cx.b.expr({ k: "field", type, object: cx.b.materialize(object), offset }, file, e.span);
    }
  }
}

/** The var a root field denotes here: local state shadows nothing (symbols are distinct), and an arbitrated
 *  output inside an executor is that executor's proposal. */
export function rootFieldVar(cx: LowerContext, root: "obs" | "state" | "out", field: FieldSymbol, env: Env, span: A.Span): number {
  if (root === "obs") {
    const v = cx.obsVars.get(field.name);
    if (v === undefined) throw new LoweringBug(`no observation field ${field.name}`, env.file, span);
    return v;
  }
  if (root === "out") return outputVar(cx, field.name, env, span);
  const v = env.localState.get(field) ?? cx.globalState.get(field);
  if (v === undefined) throw new LoweringBug(`state field ${field.name} has no var in this scope`, env.file, span);
  return v;
}

export function outputVar(cx: LowerContext, name: string, env: Env, span: A.Span): number {
  if (env.layer.kind === "executor") {
    const proposal = env.layer.proposals.get(name);
    if (proposal !== undefined) return proposal;
  }
  const v = cx.outVars.get(name);
  if (v === undefined) throw new LoweringBug(`no output field ${name}`, env.file, span);
  return v;
}

function callExpr(cx: LowerContext, e: A.CallExpr, env: Env): Lowered {
  const file = env.file;
  const callee = cx.program.callees.get(e);
  if (callee === undefined) throw new LoweringBug(`call of ${e.callee.name} is unresolved`, file, e.span);
  const argExprs = cx.program.args.get(e) ?? e.args.map((a) => a.value);
  if (callee.kind === "extern") {
    const extern = cx.externs.get(callee.symbol);
    if (extern === undefined) throw new LoweringBug(`extern ${callee.symbol.name} has no id`, file, e.span);
    const args = lowerArgs(cx, argExprs, env, e, callee.symbol);
    return cx.b.expr({ k: "extern", type: cx.exprType(e, file), extern, args }, file, e.span);
  }
  const name = callee.builtin.name;
  if (name === "emitted") {
    // The planner's current kind ordinal (-1 before its first message), compared with `Message.Kind`.
    const arg = argExprs[0];
    if (arg === undefined) throw new LoweringBug("emitted() without a planner", file, e.span);
    const planner = cx.planners.get(cx.symbolOf(arg, "planner", file));
    const channel = planner === undefined ? undefined : cx.channels[planner];
    if (channel === undefined) throw new LoweringBug(`planner ${e.callee.name} has no channel`, file, e.span);
    return cx.b.expr({ k: "read", type: cx.b.vars[channel.kindVar]!.type, var: channel.kindVar }, file, e.span);
  }
  const type = cx.exprType(e, file);
  const lowered = argExprs.map((a) => {
    if (a === undefined) throw new LoweringBug(`missing argument of ${name}`, file, e.span);
    return lowerExpr(cx, a, env);
  });
  if (name === "normalize" && lowered.length === 3) return standardize(cx, lowered, type, file, e.span);
  const fn = (BUILTIN_ALIASES.get(name) ?? name) as IRBuiltin;
  if (!BUILTINS.has(fn)) throw new LoweringBug(`builtin ${name} has no IR counterpart`, file, e.span);
  return builtin(cx, fn, lowered, type, file, e.span);
}

/** Surface builtins that are another IR builtin under a second name. */
const BUILTIN_ALIASES: ReadonlyMap<string, IRBuiltin> = new Map([
  ["sample_categorical", "sample"],
  ["sample_gaussian", "gaussian"],
  // Element-wise clamp: the IR's clamp is componentwise with scalar bounds broadcast.
  ["clip", "clamp"],
]);

function builtin(cx: LowerContext, fn: IRBuiltin, args: readonly Lowered[], type: IRType, file: string, span: A.Span | null): Lowered {
  if (!RANDOM.has(fn) && args.every(isFolded)) {
    const v = foldBuiltin(fn, args.map((x) => x.value), args.map((x) => x.type), type);
    if (v) return folded(type, v, file, span);
  }
  return cx.b.expr({ k: "builtin", type, fn, args: args.map((x) => cx.b.materialize(x)) }, file, span);
}

function arith(cx: LowerContext, op: IRBinaryOp, left: Lowered, right: Lowered, type: IRType, file: string, span: A.Span | null): Lowered {
  if (isFolded(left) && isFolded(right)) {
    const v = foldBinary(op, type, left.value, right.value, left.type, right.type);
    if (v) return folded(type, v, file, span);
  }
  return cx.b.expr({ k: "binary", type, op, left: cx.b.materialize(left), right: cx.b.materialize(right) }, file, span);
}

/**
 * `normalize(x, mean, std)` = (x - mean) / std element-wise, exactly as written: `/` is total, so a zero std
 * gives 0 with no guard, and a constant std is divided by, not multiplied by its reciprocal (which rounds
 * differently from the same expression computed at run time). Componentwise arithmetic keeps a list's length
 * (a list contributes its live elements), so a list `x` gives a list of the same length.
 */
function standardize(cx: LowerContext, args: readonly Lowered[], type: IRType, file: string, span: A.Span | null): Lowered {
  const [x, mean, std] = args;
  return arith(cx, "/", arith(cx, "-", x!, mean!, type, file, span), std!, type, file, span);
}

/** A list value as a tensor of its elements (capacity many); any other value unchanged. */
function listElements(cx: LowerContext, l: Lowered, file: string, span: A.Span | null): Lowered {
  const t = cx.b.typeOf(l);
  if (t.k !== "list") return l;
  const flat: IRType = { k: "tensor", dtype: "f32", shape: [t.capacity * typeSize(t.element)] };
  if (isFolded(l)) return folded(flat, l.value.slice(1), file, span);
  return cx.b.expr({ k: "construct", type: flat, elements: indexEach(cx, cx.b.materialize(l), t.capacity, t.element, file, span) }, file, span);
}

/** `object[0] … object[count - 1]` as expressions. */
function indexEach(cx: LowerContext, object: number, count: number, element: IRType, file: string, span: A.Span | null): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const index = cx.b.expr({ k: "const", type: { k: "int" }, value: [i] }, file, null);
    out.push(cx.b.expr({ k: "index", type: element, object, index }, file, span));
  }
  return out;
}

/** Arguments of an extern call in parameter order; a filled-in default is lowered in the extern's file. */
export function lowerArgs(cx: LowerContext, args: readonly (A.Expr | undefined)[], env: Env, at: A.Node, callee: ExternSymbol): number[] {
  const params = callee.decl.params;
  return args.map((a, i) => {
    if (a === undefined) throw new LoweringBug("a call with an unbound argument reached lowering", env.file, at.span);
    const argEnv = a === params[i]?.default ? globalEnv(callee.file) : env;
    return cx.b.materialize(lowerExpr(cx, a, argEnv));
  });
}

function binary(cx: LowerContext, e: A.BinaryExpr, env: Env): Lowered {
  const file = env.file;
  const type = cx.exprType(e, file);
  const op: IRBinaryOp = e.op;
  const left = lowerExpr(cx, e.left, env);
  // A decided left operand of and/or decides the result or leaves the right operand alone.
  if ((op === "and" || op === "or") && isFolded(left)) {
    const l = left.value[0] !== 0;
    if (l === (op === "or")) return folded(BOOL, [l ? 1 : 0], file, e.span);
    return lowerExpr(cx, e.right, env);
  }
  return arith(cx, op, left, lowerExpr(cx, e.right, env), type, file, e.span);
}

function match(cx: LowerContext, e: A.MatchExpr, env: Env): Lowered {
  const file = env.file;
  const type = cx.exprType(e, file);
  const scrutinee = lowerExpr(cx, e.scrutinee, env);
  // The checker's type names the members (a message kind read through `emitted(P)` is an int var at run time).
  const st = cx.exprType(e.scrutinee, file);
  if (st.k !== "enum") throw new LoweringBug(`match over a ${st.k}`, file, e.span);
  const armFor = (member: string): A.MatchArm | undefined => e.arms.find((a) => a.member.name === member);
  if (isFolded(scrutinee)) {
    const arm = armFor(st.members[scrutinee.value[0]!] ?? "");
    return arm ? retype(lowerExpr(cx, arm.value, env), type) : folded(type, zeroValue(type), file, e.span);
  }
  // Arms in ordinal order; the checker guarantees exhaustiveness, a gap would read the zero value.
  const arms = st.members.map((m) => {
    const arm = armFor(m);
    return cx.b.materialize(arm ? lowerExpr(cx, arm.value, env) : folded(type, zeroValue(type), file, null));
  });
  return cx.b.expr({ k: "match", type, scrutinee: cx.b.materialize(scrutinee), arms }, file, e.span);
}

/** An assignment target: `state.a.b[i]` or `out.move.x` as a location expression. */
export function lowerTarget(cx: LowerContext, lv: A.LValue, env: Env): number {
  const file = env.file;
  const [first, ...rest] = lv.path;
  if (first === undefined || first.kind !== "Ident") throw new LoweringBug("an assignment target must start with a field name", file, lv.span);
  let field: FieldSymbol | undefined;
  const bound = cx.program.bindings.get(first);
  if (bound?.kind === "field") field = bound;
  else if (lv.root === "state") field = env.localFields.get(first.name) ?? cx.program.state.fields.get(first.name);
  else field = cx.program.output.fields.get(first.name);
  if (field === undefined) throw new LoweringBug(`unknown ${lv.root} field ${first.name}`, file, first.span);
  const v = rootFieldVar(cx, lv.root, field, env, first.span);
  let type: Type = field.type;
  let id = cx.b.expr({ k: "read", type: cx.types.convert(type), var: v }, file, { start: lv.span.start, end: first.span.end });
  for (const step of rest) {
    const span = { start: lv.span.start, end: step.span.end };
    if (step.kind === "Ident") {
      if (type.kind === "record" || type.kind === "messageKind") {
        const fields = type.kind === "record" ? type.fields : type.payload.fields;
        const names = [...fields.keys()];
        const index = names.indexOf(step.name);
        if (index < 0) throw new LoweringBug(`no field ${step.name}`, file, step.span);
        const objectType = cx.types.convert(type);
        type = fields.get(step.name)!;
        id = cx.b.expr({ k: "field", type: cx.types.convert(type), object: id, offset: fieldOffset(objectType as IRType & { k: "record" }, index) }, file, span);
      } else if (type.kind === "vec") {
        const index = VEC_COMPONENTS.indexOf(step.name);
        if (index < 0 || index >= type.size) throw new LoweringBug(`no component ${step.name}`, file, step.span);
        type = { kind: "float" };
        id = cx.b.expr({ k: "field", type: FLOAT, object: id, offset: index }, file, span);
      } else {
        throw new LoweringBug(`field ${step.name} of a ${type.kind}`, file, step.span);
      }
    } else {
      const index = cx.b.materialize(lowerExpr(cx, step, env));
      type = elementType(type, file, step.span);
      id = cx.b.expr({ k: "index", type: cx.types.convert(type), object: id, index }, file, span);
    }
  }
  return id;
}

function elementType(t: Type, file: string, span: A.Span): Type {
  const indexed = indexedElement(t);
  if (indexed === undefined) throw new LoweringBug(`indexing a ${t.kind}`, file, span);
  return indexed.element;
}

/** A compile-time value (state initialisers): the expression must fold completely. */
export function constantValue(cx: LowerContext, e: A.Expr, file: string, size: number): number[] {
  const l = lowerExpr(cx, e, globalEnv(file));
  if (!isFolded(l)) throw new LoweringBug("an initial value is not a compile-time constant", file, e.span);
  const value = [...l.value];
  // A list of a smaller capacity (a constant, say) fits a larger list var: the unused elements are zero.
  if (l.type.k === "list") while (value.length < size) value.push(0);
  if (value.length !== size) throw new LoweringBug(`an initial value has ${value.length} slots, its var ${size}`, file, e.span);
  return value;
}

/**
 * A model input's value as the port's flat elements: a list contributes its elements, not its length slot
 * (the checker lets a list of N numbers feed an N-element port). Other values already have the port's size.
 */
export function feedValue(cx: LowerContext, e: A.Expr, env: Env, port: IRType): number {
  const l = listElements(cx, lowerExpr(cx, e, env), env.file, e.span);
  if (isFolded(l)) return cx.b.materialize({ ...l, type: port });
  return cx.b.materialize(l);
}
