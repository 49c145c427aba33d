// The checker's type representation. Types are plain immutable data; named types (enums, records, messages)
// carry their declaration's identity (`id`, unique per program) so two distinct enums never compare equal.
//
// Invariants:
// - `error` is the poisoned type: any operation involving it yields `error` and reports nothing, so one
//   mistake gives one diagnostic per use and never follow-on errors.
// - Numeric ranges are inclusive intervals; an absent range means unbounded. Ranges on expression types are
//   *inferred* bounds (interval arithmetic); ranges on declared types are *constraints*.
import type { DType } from "../../grammar/ast.ts";

export interface Interval {
  readonly min: number;
  readonly max: number;
}

export type TensorDim = number | string | null; // fixed size, symbolic name (e.g. "batch"), dynamic

export type Type =
  | { readonly kind: "error" }
  | { readonly kind: "bool" }
  | { readonly kind: "int"; readonly range?: Interval }
  | { readonly kind: "float"; readonly range?: Interval }
  | { readonly kind: "vec"; readonly size: number }
  | { readonly kind: "list"; readonly element: Type; readonly capacity: number }
  | { readonly kind: "tensor"; readonly dtype: DType; readonly shape: readonly TensorDim[] }
  | { readonly kind: "string" }
  | EnumType
  | RecordType
  | MessageType
  | MessageKindType;

export interface EnumType {
  readonly kind: "enum";
  readonly id: number;
  readonly name: string;
  readonly members: readonly string[];
}

export interface RecordType {
  readonly kind: "record";
  readonly id: number;
  readonly name: string;
  /** Filled once while resolving declarations (records may refer to later declarations). */
  readonly fields: Map<string, Type>;
}

/** A message type: a closed set of kinds, each with a payload record. As a value it is the tag of a kind. */
export interface MessageType {
  readonly kind: "message";
  readonly id: number;
  readonly name: string;
  readonly kinds: Map<string, RecordType>;
}

/** The payload of one message kind (the type of `msg` inside `on Kind`). */
export interface MessageKindType {
  readonly kind: "messageKind";
  readonly message: MessageType;
  readonly kindName: string;
  readonly payload: RecordType;
}

export const errorType: Type = { kind: "error" };
export const boolType: Type = { kind: "bool" };
export const intType: Type = { kind: "int" };
export const floatType: Type = { kind: "float" };
export const stringType: Type = { kind: "string" };

export function isError(t: Type): boolean {
  return t.kind === "error";
}

export function isNumeric(t: Type): t is { kind: "int" | "float"; range?: Interval } {
  return t.kind === "int" || t.kind === "float";
}

export function rangeOf(t: Type): Interval | undefined {
  return t.kind === "int" || t.kind === "float" ? t.range : undefined;
}

export function withRange(kind: "int" | "float", range: Interval | undefined): Type {
  if (range === undefined || !Number.isFinite(range.min) || !Number.isFinite(range.max) || Number.isNaN(range.min) || Number.isNaN(range.max)) {
    return kind === "int" ? intType : floatType;
  }
  return { kind, range };
}

/** Structural identity ignoring numeric ranges (ranges are checked separately). */
export function sameShape(a: Type, b: Type): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "vec":
      return a.size === (b as typeof a).size;
    case "list": {
      const l = b as typeof a;
      return a.capacity === l.capacity && sameShape(a.element, l.element);
    }
    case "tensor": {
      const t = b as typeof a;
      return a.dtype === t.dtype && a.shape.length === t.shape.length && a.shape.every((d, i) => d === t.shape[i]);
    }
    case "enum":
    case "record":
    case "message":
      return a.id === (b as typeof a).id;
    case "messageKind": {
      const k = b as typeof a;
      return a.message.id === k.message.id && a.kindName === k.kindName;
    }
    default:
      return true;
  }
}

/**
 * What `x[i]` is for a value of type `t`: a list's element, a vector's float, or a tensor's sub-tensor over its
 * remaining dimensions (a scalar of the dtype for a rank-1 tensor), and how many there are when that is fixed.
 * Undefined when `t` cannot be indexed. One rule for reads (checker), writes (checker) and lowering.
 */
export function indexedElement(t: Type): { readonly element: Type; readonly length: number | undefined } | undefined {
  if (t.kind === "list") return { element: t.element, length: t.capacity };
  if (t.kind === "vec") return { element: floatType, length: t.size };
  if (t.kind === "tensor" && t.shape.length > 0) {
    const first = t.shape[0];
    const rest = t.shape.slice(1);
    const scalar = t.dtype === "bool" ? boolType : t.dtype === "i32" || t.dtype === "i64" ? intType : floatType;
    return { element: rest.length === 0 ? scalar : { kind: "tensor", dtype: t.dtype, shape: rest }, length: typeof first === "number" ? first : undefined };
  }
  return undefined;
}

export function formatRange(r: Interval): string {
  return `[${formatNumber(r.min)}, ${formatNumber(r.max)}]`;
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}

export function formatDim(d: TensorDim): string {
  return d === null ? "?" : String(d);
}

export function formatShape(shape: readonly TensorDim[]): string {
  return `[${shape.map(formatDim).join(", ")}]`;
}

/** The type as a user would write it in a spec. */
export function formatType(t: Type): string {
  switch (t.kind) {
    case "error":
      return "<error>";
    case "bool":
    case "string":
      return t.kind;
    case "int":
    case "float":
      return t.range ? `${t.kind}${formatRange(t.range)}` : t.kind;
    case "vec":
      return t.size >= 2 && t.size <= 4 ? `vec${t.size}` : `vec<${t.size}>`;
    case "list":
      return `list<${formatType(t.element)}, ${t.capacity}>`;
    case "tensor":
      return `tensor<${t.dtype}, ${formatShape(t.shape)}>`;
    case "enum":
    case "record":
    case "message":
      return t.name;
    case "messageKind":
      return `${t.message.name}.${t.kindName}`;
  }
}

/** An inferred type for "found …" in messages: inferred ranges are an implementation detail there. */
export function formatFound(t: Type): string {
  if (t.kind === "int" || t.kind === "float") return t.kind;
  if (t.kind === "list") return `list<${formatFound(t.element)}, ${t.capacity}>`;
  return formatType(t);
}

/** The zero value used for uninitialised state, empty aggregates and reads past a list's length. */
export function describeZero(t: Type): string {
  switch (t.kind) {
    case "bool":
      return "false";
    case "int":
    case "float":
      return t.range && (t.range.min > 0 || t.range.max < 0) ? formatNumber(t.range.min) : "0";
    case "enum":
      return `${t.name}.${t.members[0] ?? "?"}`;
    default:
      return "zero";
  }
}
