// Copying a value into an assignment target. Same-sized values copy slot for slot. A list may be assigned to a
// list var of another capacity with the same element type (a literal `[a, b]` into `list<float, 8>`): the length
// is kept up to the target's capacity, the elements are copied and the target's unused elements are zeroed.
import type { IRType } from "./ir.ts";
import { typeSize } from "./ir.ts";

export type Assign = (mem: Float64Array, dst: number, src: number) => void;

/** True when a value of type `value` can be assigned to a target of type `target`. */
export function assignable(target: IRType, value: IRType): boolean {
  if (typeSize(target) === typeSize(value)) return true;
  return target.k === "list" && value.k === "list" && typeSize(target.element) === typeSize(value.element);
}

export function makeAssign(target: IRType, value: IRType): Assign {
  const n = typeSize(target);
  if (n === typeSize(value) || target.k !== "list" || value.k !== "list") {
    if (n === 1) return (mem, dst, src) => void (mem[dst] = mem[src]!);
    return (mem, dst, src) => void mem.copyWithin(dst, src, src + n);
  }
  const es = typeSize(target.element);
  const cap = target.capacity;
  const srcCap = value.capacity;
  return (mem, dst, src) => {
    const len = Math.max(0, Math.min(cap, srcCap, mem[src]! | 0));
    mem[dst] = len;
    mem.copyWithin(dst + 1, src + 1, src + 1 + len * es);
    mem.fill(0, dst + 1 + len * es, dst + 1 + cap * es);
  };
}
