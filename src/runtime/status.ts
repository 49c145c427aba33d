// Node status codes shared by the interpreter, the tracer and the emitted code.
// The per-agent status byte of a node holds the last status it returned (traced) in its low two bits and, in
// bit 2, a "suspended" flag: the node is waiting for an in-frame inference result and will be resumed within
// the same frame. Suspension is never traced: only the final status of the frame is.

export const IDLE = 0;
export const RUNNING = 1;
export const SUCCESS = 2;
export const FAILURE = 3;
/** Returned by tick only: the agent waits for a neural batch; resumed in the same frame. */
export const SUSPENDED = 4;

export type StatusCode = typeof IDLE | typeof RUNNING | typeof SUCCESS | typeof FAILURE;

export const STATUS_NAMES = ["idle", "running", "success", "failure"] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

export function statusFromName(name: string): number {
  return name === "running" ? RUNNING : name === "success" ? SUCCESS : name === "failure" ? FAILURE : IDLE;
}
