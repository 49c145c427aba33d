// Heap figures need a full collection before each reading. `node --expose-gc` provides global.gc; without the flag
// the same function is obtained by setting the flag at run time and reading `gc` from a fresh context, so the
// suite works from `npm run bench` without re-spawning node.

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export function obtainGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Live heap bytes including ArrayBuffer backing stores (large typed arrays live outside the V8 heap proper). */
export function liveBytes(gc: () => void): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
