// Conversion between host values (plain JS: boolean, number, number arrays, objects, arrays of records) and the
// flat slot layout of ir.ts. `encodeValue` validates against the declared type and reports the first problem
// instead of throwing, so a bad observation or extern result becomes a coded runtime error for one agent.
import type { IRType } from "./ir.ts";
import { typeSize } from "./ir.ts";

/** Write `value` of type `t` into `dst[off..off+typeSize(t))`. Returns null, or a description of the problem
 *  (in which case `dst` may be partly written: callers encode into scratch first when that matters). */
export function encodeValue(t: IRType, value: unknown, dst: Float64Array, off: number, path: string): string | null {
  switch (t.k) {
    case "bool":
      if (typeof value !== "boolean") return `${path}: expected a bool, got ${describe(value)}`;
      dst[off] = value ? 1 : 0;
      return null;
    case "int":
    case "float": {
      if (typeof value !== "number") return `${path}: expected ${t.k === "int" ? "an int" : "a float"}, got ${describe(value)}`;
      if (Number.isNaN(value)) return `${path}: is NaN`;
      if (!Number.isFinite(value)) return `${path}: is not finite (${value})`;
      if (t.k === "int" && !Number.isInteger(value)) return `${path}: expected an int, got ${value}`;
      if ((t.min !== undefined && value < t.min) || (t.max !== undefined && value > t.max)) {
        return `${path}: ${value} is outside the declared range [${t.min ?? "-inf"}, ${t.max ?? "inf"}]`;
      }
      dst[off] = value;
      return null;
    }
    case "enum": {
      // Hosts may pass the member name or its ordinal.
      const ord = typeof value === "string" ? t.members.indexOf(value) : typeof value === "number" ? value : -1;
      if (!Number.isInteger(ord) || ord < 0 || ord >= t.members.length) {
        return `${path}: expected one of ${t.members.join(", ")} for enum ${t.name}, got ${describe(value)}`;
      }
      dst[off] = ord;
      return null;
    }
    case "vec":
    case "tensor": {
      const n = typeSize(t);
      if (!isNumberArray(value)) return `${path}: expected ${n} numbers, got ${describe(value)}`;
      if (value.length !== n) return `${path}: expected ${n} numbers, got ${value.length}`;
      for (let i = 0; i < n; i++) {
        const x = value[i]!;
        if (typeof x !== "number" || !Number.isFinite(x)) return `${path}[${i}]: expected a finite number, got ${describe(x)}`;
        dst[off + i] = x;
      }
      return null;
    }
    case "record": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return `${path}: expected a ${t.name} record, got ${describe(value)}`;
      }
      const rec = value as Record<string, unknown>;
      let o = off;
      for (const f of t.fields) {
        if (!Object.hasOwn(rec, f.name)) return `${path}.${f.name}: missing`;
        const err = encodeValue(f.type, rec[f.name], dst, o, `${path}.${f.name}`);
        if (err) return err;
        o += typeSize(f.type);
      }
      return null;
    }
    case "list": {
      if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return `${path}: expected a list, got ${describe(value)}`;
      const items = value as ArrayLike<unknown>;
      if (items.length > t.capacity) return `${path}: ${items.length} elements exceed the capacity ${t.capacity}`;
      const es = typeSize(t.element);
      dst[off] = items.length;
      for (let i = 0; i < items.length; i++) {
        const err = encodeValue(t.element, items[i], dst, off + 1 + i * es, `${path}[${i}]`);
        if (err) return err;
      }
      // Unused elements are zeroed so the frame (and traces) never depend on stale data.
      dst.fill(0, off + 1 + items.length * es, off + 1 + t.capacity * es);
      return null;
    }
  }
}

/**
 * Sets an own, enumerable property, also when the spec named a field `__proto__`: a plain assignment would change
 * the object's prototype instead (and a record value would then leak its fields into every lookup).
 */
export function setOwnValue(o: Record<string, unknown>, name: string, value: unknown): void {
  if (name === "__proto__") Object.defineProperty(o, name, { value, writable: true, enumerable: true, configurable: true });
  else o[name] = value;
}

/** Read a value of type `t` from slots: the inverse of encodeValue (enums as member names). */
export function decodeValue(t: IRType, src: Float64Array, off: number): unknown {
  switch (t.k) {
    case "bool":
      return src[off] !== 0;
    case "int":
    case "float":
      return src[off];
    case "enum":
      return t.members[src[off]!] ?? src[off];
    case "vec":
    case "tensor":
      return Array.from(src.subarray(off, off + typeSize(t)));
    case "record": {
      const out: Record<string, unknown> = {};
      let o = off;
      for (const f of t.fields) {
        setOwnValue(out, f.name, decodeValue(f.type, src, o));
        o += typeSize(f.type);
      }
      return out;
    }
    case "list": {
      const n = Math.max(0, Math.min(t.capacity, src[off]! | 0));
      const es = typeSize(t.element);
      const items: unknown[] = [];
      for (let i = 0; i < n; i++) items.push(decodeValue(t.element, src, off + 1 + i * es));
      return items;
    }
  }
}

/** Flattened default (all zeros) is the zero value of every type; this renders a type for messages. */
export function typeName(t: IRType): string {
  switch (t.k) {
    case "bool":
      return "bool";
    case "int":
    case "float":
      return t.min !== undefined || t.max !== undefined ? `${t.k}[${t.min ?? ""}, ${t.max ?? ""}]` : t.k;
    case "enum":
    case "record":
      return t.name;
    case "vec":
      return `vec<${t.size}>`;
    case "list":
      return `list<${typeName(t.element)}, ${t.capacity}>`;
    case "tensor":
      return `tensor<${t.dtype}, [${t.shape.map((d) => (d === null ? "?" : String(d))).join(", ")}]>`;
  }
}

function isNumberArray(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v;
}
