// Checker types → IR types. Declared ranges are kept on vars (they are constraints the host is checked
// against); expression types drop them (inferred bounds are of no use after checking). A message type used as
// a value is the tag of one of its kinds, so it becomes an enum over the kind names; a message kind's payload
// (the type of `msg`) is a record.
import type { IRField, IRType } from "../../runtime/ir.ts";
import { typeSize } from "../../runtime/ir.ts";
import type { Type } from "../types/type.ts";
import { LoweringBug } from "./lowering-bug.ts";

export class IRTypes {
  /** Named types convert once; every use shares the same IRType object. */
  private readonly named = new Map<object, IRType>();
  private readonly namedWithRanges = new Map<object, IRType>();

  /** `keepRanges`: declared types of vars and parameters; otherwise expression types. */
  convert(t: Type, keepRanges = false): IRType {
    switch (t.kind) {
      case "bool":
        return BOOL;
      case "int":
      case "float":
        if (keepRanges && t.range) return { k: t.kind, min: t.range.min, max: t.range.max };
        return t.kind === "int" ? INT : FLOAT;
      case "vec":
        return { k: "vec", size: t.size };
      case "list":
        return { k: "list", element: this.convert(t.element, keepRanges), capacity: t.capacity };
      case "tensor":
        return { k: "tensor", dtype: t.dtype, shape: [...t.shape] };
      case "enum":
        return this.cached(t, keepRanges, () => ({ k: "enum", name: t.name, members: [...t.members] }));
      case "message":
        return this.cached(t, keepRanges, () => ({ k: "enum", name: t.name, members: [...t.kinds.keys()] }));
      case "record":
        return this.cached(t, keepRanges, () => ({ k: "record", name: t.name, fields: this.fields(t.fields, keepRanges) }));
      case "messageKind":
        return this.cached(t.payload, keepRanges, () => ({
          k: "record",
          name: t.payload.name,
          fields: this.fields(t.payload.fields, keepRanges),
        }));
      case "string":
      case "error":
        throw new LoweringBug(`a value of type ${t.kind} reached lowering`);
    }
  }

  fields(fields: ReadonlyMap<string, Type>, keepRanges: boolean): IRField[] {
    return [...fields].map(([name, type]) => ({ name, type: this.convert(type, keepRanges) }));
  }

  private cached(key: object, keepRanges: boolean, make: () => IRType): IRType {
    const table = keepRanges ? this.namedWithRanges : this.named;
    let t = table.get(key);
    if (t === undefined) {
      t = make();
      table.set(key, t);
    }
    return t;
  }
}

export const BOOL: IRType = { k: "bool" };
export const INT: IRType = { k: "int" };
export const FLOAT: IRType = { k: "float" };

/** The zero value of a type, flattened: what uninitialised state holds (the checker's `describeZero`). A
 *  number whose declared range excludes 0 starts at the range's minimum. */
export function zeroValue(t: IRType, out: number[] = []): number[] {
  switch (t.k) {
    case "bool":
    case "enum":
      out.push(0);
      break;
    case "int":
    case "float": {
      const min = t.min ?? -Infinity;
      const max = t.max ?? Infinity;
      out.push(min > 0 || max < 0 ? min : 0);
      break;
    }
    case "vec":
      for (let i = 0; i < t.size; i++) out.push(0);
      break;
    case "record":
      for (const f of t.fields) zeroValue(f.type, out);
      break;
    case "list": {
      out.push(0);
      const n = t.capacity * typeSize(t.element);
      for (let i = 0; i < n; i++) out.push(0);
      break;
    }
    case "tensor": {
      let n = 1;
      for (const d of t.shape) n *= typeof d === "number" ? d : 1;
      for (let i = 0; i < n; i++) out.push(0);
      break;
    }
  }
  return out;
}

