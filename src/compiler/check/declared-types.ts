// Declared types: converts type expressions to Types, resolving named types through the module scope.
// Type declarations are resolved on demand with an in-progress mark, so declaration order does not matter
// and a type that contains itself is reported once (HP3021) instead of looping.
import type * as A from "../../grammar/ast.ts";
import { namesCodes } from "../diagnostics/codes/names.ts";
import { typesCodes } from "../diagnostics/codes/types.ts";
import { suggest } from "../diagnostics/suggest.ts";
import { lookupGlobal, visibleNames, type ModuleScope } from "../resolve/resolve.ts";
import { renameFix } from "../resolve/fixes.ts";
import { describeSymbol, type TypeSymbol } from "../resolve/symbols.ts";
import { errorType, formatRange, type MessageType, type RecordType, type Type } from "../types/type.ts";
import type { CheckState } from "./state.ts";
import { projectCodes } from "../diagnostics/codes/project.ts";
import { count, slotsOf } from "./limits.ts";
import { limitHelp } from "../../runtime/limits.ts";



export function declaredType(cx: CheckState, scope: ModuleScope, t: A.TypeExpr): Type {
  const cached = cx.typeOf.get(t);
  if (cached !== undefined) return cached;
  // Named types resolve on demand, recursively: a chain of thousands of records would exhaust the stack.
  if (cx.typeNesting >= cx.limits.typeDepth) {
    // Reported once: every later declaration of a long chain would hit the limit again.
    if (!cx.diagnostics.some((d) => d.code === projectCodes.typeTooDeep.code)) {
      cx.report(projectCodes.typeTooDeep, scope.file, t.span, { max: cx.limits.typeDepth }, { help: limitHelp("typeDepth") });
    }
    cx.typeOf.set(t, errorType);
    return errorType;
  }
  cx.typeNesting++;
  let type: Type;
  try {
    type = convert(cx, scope, t);
  } finally {
    cx.typeNesting--;
  }
  cx.typeOf.set(t, type);
  return type;
}

function convert(cx: CheckState, scope: ModuleScope, t: A.TypeExpr): Type {
  if (t.recovered) return errorType;
  switch (t.kind) {
    case "BoolType":
      return { kind: "bool" };
    case "IntType":
    case "FloatType": {
      const kind = t.kind === "IntType" ? "int" : "float";
      if (!t.range) return { kind };
      const r = t.range;
      if (r.min > r.max) {
        cx.report(typesCodes.badType, scope.file, r.span, { reason: `the range ${formatRange(r)} is empty (min > max)` });
        return errorType;
      }
      if (kind === "int" && (!Number.isInteger(r.min) || !Number.isInteger(r.max))) {
        cx.report(typesCodes.badType, scope.file, r.span, { reason: `an int range needs integer bounds, found ${formatRange(r)}` });
        return errorType;
      }
      return { kind, range: { min: r.min, max: r.max } };
    }
    case "VecType":
      if (t.size < 1) {
        cx.report(typesCodes.badType, scope.file, t.span, { reason: "a vector needs at least one component" });
        return errorType;
      }
      return withinValueLimit(cx, scope.file, t.span, { kind: "vec", size: t.size }, "this vector");
    case "ListType": {
      const element = declaredType(cx, scope, t.element);
      if (t.capacity < 1) {
        cx.report(typesCodes.badType, scope.file, t.span, { reason: "a list needs a capacity of at least 1" });
        return errorType;
      }
      if (t.capacity > cx.limits.listCapacity) {
        cx.report(projectCodes.listTooLong, scope.file, t.span, { capacity: t.capacity, max: cx.limits.listCapacity }, { help: limitHelp("listCapacity") });
        return errorType;
      }
      return element.kind === "error" ? errorType : withinValueLimit(cx, scope.file, t.span, { kind: "list", element, capacity: t.capacity }, "this list");
    }
    case "TensorType":
      return withinValueLimit(cx, scope.file, t.span, tensorType(t), "this tensor");
    case "NamedType": {
      const symbol = lookupGlobal(scope, t.name.name);
      if (symbol === undefined) {
        const s = suggest(t.name.name, visibleNames(scope, (x) => x.kind === "type"));
        cx.report(namesCodes.unknownName, scope.file, t.name.span, { what: "type", name: t.name.name }, s
          ? { help: `did you mean \`${s}\`?`, fix: renameFix(scope.file, t.name.span, s) }
          : {});
        return errorType;
      }
      if (symbol.kind === "error") return errorType;
      symbol.used = true;
      cx.bindings.set(t.name, symbol);
      if (symbol.kind !== "type") {
        cx.report(namesCodes.wrongKind, scope.file, t.name.span, { name: t.name.name, actual: describeSymbol(symbol), expected: "type" });
        return errorType;
      }
      return typeOfSymbol(cx, symbol, t.name.span, scope.file);
    }
  }
}

/** A tensor type as written (no limit applied: model ports have their own, see models.ts). */
export function tensorType(t: A.TensorType): Type {
  return { kind: "tensor", dtype: t.dtype, shape: t.shape.map((d) => (d.kind === "fixed" ? d.size : d.kind === "named" ? d.name : null)) };
}

/** `type`, or the error type after HP5011 when one value of it would take more frame slots than allowed. */
function withinValueLimit(cx: CheckState, file: string, span: A.Span, type: Type, what: string): Type {
  const slots = slotsOf(type);
  if (slots <= cx.limits.valueSlots) return type;
  cx.report(projectCodes.valueTooLarge, file, span, { what, size: count(slots), max: cx.limits.valueSlots }, { help: limitHelp("valueSlots") });
  return errorType;
}

/** The type a type declaration denotes. */
export function typeOfSymbol(cx: CheckState, symbol: TypeSymbol, useSpan?: A.Span, useFile?: string): Type {
  if (symbol.type !== undefined) return symbol.type;
  const scope = cx.program.scopes.get(symbol.file)!;
  const decl = symbol.decl;
  if (cx.typesInProgress.has(symbol)) {
    cx.report(typesCodes.recursiveType, useFile ?? symbol.file, useSpan ?? symbol.nameSpan, { name: symbol.name });
    return errorType;
  }
  switch (decl.kind) {
    case "EnumDecl": {
      const seen = new Set<string>();
      for (const m of decl.members) {
        if (seen.has(m.name)) cx.report(namesCodes.duplicate, symbol.file, m.span, { name: m.name, where: `enum ${symbol.name}` });
        seen.add(m.name);
      }
      symbol.type = { kind: "enum", id: cx.typeId(), name: symbol.name, members: [...seen] };
      return symbol.type;
    }
    case "TypeAliasDecl": {
      cx.typesInProgress.add(symbol);
      const t = declaredType(cx, scope, decl.type);
      cx.typesInProgress.delete(symbol);
      symbol.type ??= t;
      return symbol.type;
    }
    case "RecordDecl": {
      // Fields are filled while the record is marked in progress: a field whose type needs the record
      // itself (directly, or through a list or alias) is a recursive type.
      cx.typesInProgress.add(symbol);
      const record: RecordType = { kind: "record", id: cx.typeId(), name: symbol.name, fields: new Map() };
      let broken = false;
      fillFields(cx, scope, decl.fields, record.fields, `record ${symbol.name}`, () => (broken = true));
      cx.typesInProgress.delete(symbol);
      symbol.type ??= broken ? errorType : withinValueLimit(cx, symbol.file, symbol.nameSpan, record, `record \`${symbol.name}\``);
      return symbol.type;
    }
    case "MessageDecl": {
      cx.typesInProgress.add(symbol);
      const message: MessageType = { kind: "message", id: cx.typeId(), name: symbol.name, kinds: new Map() };
      for (const k of decl.kinds) {
        if (message.kinds.has(k.name.name)) {
          cx.report(namesCodes.duplicate, symbol.file, k.name.span, { name: k.name.name, where: `message ${symbol.name}` });
          continue;
        }
        const payload: RecordType = { kind: "record", id: cx.typeId(), name: `${symbol.name}.${k.name.name}`, fields: new Map() };
        fillFields(cx, scope, k.fields, payload.fields, `${symbol.name}.${k.name.name}`, () => undefined);
        withinValueLimit(cx, symbol.file, k.name.span, payload, `the payload of \`${symbol.name}.${k.name.name}\``);
        message.kinds.set(k.name.name, payload);
      }
      cx.typesInProgress.delete(symbol);
      symbol.type ??= message;
      return symbol.type;
    }
  }
}

/** Fields of a record, message kind, observation or output: no initialisers, no duplicates. */
export function fillFields(
  cx: CheckState,
  scope: ModuleScope,
  fields: readonly A.Field[],
  into: Map<string, Type>,
  where: string,
  onError: () => void,
): void {
  for (const f of fields) {
    if (f.recovered) continue;
    if (into.has(f.name.name)) {
      cx.report(namesCodes.duplicate, scope.file, f.name.span, { name: f.name.name, where });
      continue;
    }
    const t = declaredType(cx, scope, f.type);
    if (t.kind === "error") onError();
    if (f.init) cx.report(typesCodes.initNotAllowed, scope.file, f.init.span, { where });
    into.set(f.name.name, t);
  }
}
