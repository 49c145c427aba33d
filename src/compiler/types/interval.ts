// Interval arithmetic for numeric range inference. Unbounded ends are ±Infinity; NaN never appears
// (0 · ∞ is taken as 0, which is sound for the finite values a tick can produce).

import type { Interval } from "./type.ts";

export const unbounded: Interval = { min: -Infinity, max: Infinity };

export function point(v: number): Interval {
  return { min: v, max: v };
}

const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : a * b);

export function iadd(a: Interval, b: Interval): Interval {
  return { min: a.min + b.min, max: a.max + b.max };
}
export function isub(a: Interval, b: Interval): Interval {
  return { min: a.min - b.max, max: a.max - b.min };
}
export function ineg(a: Interval): Interval {
  return { min: -a.max, max: -a.min };
}
export function imul(a: Interval, b: Interval): Interval {
  const c = [mul(a.min, b.min), mul(a.min, b.max), mul(a.max, b.min), mul(a.max, b.max)];
  return { min: Math.min(...c), max: Math.max(...c) };
}
/** Division; a divisor interval containing 0 gives an unbounded result (x / 0 is 0 at run time). */
export function idiv(a: Interval, b: Interval): Interval {
  if (b.min <= 0 && b.max >= 0) return hull(unbounded, point(0));
  return imul(a, { min: 1 / b.max, max: 1 / b.min });
}
export function imin(a: Interval, b: Interval): Interval {
  return { min: Math.min(a.min, b.min), max: Math.min(a.max, b.max) };
}
export function imax(a: Interval, b: Interval): Interval {
  return { min: Math.max(a.min, b.min), max: Math.max(a.max, b.max) };
}
export function iabs(a: Interval): Interval {
  if (a.min >= 0) return a;
  if (a.max <= 0) return ineg(a);
  return { min: 0, max: Math.max(-a.min, a.max) };
}
export function hull(a: Interval, b: Interval): Interval {
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}
export function contains(outer: Interval, inner: Interval): boolean {
  return inner.min >= outer.min && inner.max <= outer.max;
}
export function disjoint(a: Interval, b: Interval): boolean {
  return a.max < b.min || b.max < a.min;
}
