// Small 2-D geometry for the arena: axis-aligned walls and line-of-sight tests. Pure functions on numbers so
// the world step allocates nothing.

export interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** True when the open segment (ax,ay)→(bx,by) crosses the rectangle (slab method). */
export function segmentHitsRect(ax: number, ay: number, bx: number, by: number, r: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  // Each axis narrows [t0, t1] to the part of the segment inside that slab.
  if (dx === 0) {
    if (ax <= r.x0 || ax >= r.x1) return false;
  } else {
    let ta = (r.x0 - ax) / dx;
    let tb = (r.x1 - ax) / dx;
    if (ta > tb) [ta, tb] = [tb, ta];
    t0 = Math.max(t0, ta);
    t1 = Math.min(t1, tb);
    if (t0 >= t1) return false;
  }
  if (dy === 0) {
    if (ay <= r.y0 || ay >= r.y1) return false;
  } else {
    let ta = (r.y0 - ay) / dy;
    let tb = (r.y1 - ay) / dy;
    if (ta > tb) [ta, tb] = [tb, ta];
    t0 = Math.max(t0, ta);
    t1 = Math.min(t1, tb);
    if (t0 >= t1) return false;
  }
  return true;
}

export function pointInRect(x: number, y: number, r: Rect, margin = 0): boolean {
  return x > r.x0 - margin && x < r.x1 + margin && y > r.y0 - margin && y < r.y1 + margin;
}

export function lineOfSight(ax: number, ay: number, bx: number, by: number, walls: readonly Rect[]): boolean {
  for (let i = 0; i < walls.length; i++) if (segmentHitsRect(ax, ay, bx, by, walls[i])) return false;
  return true;
}
