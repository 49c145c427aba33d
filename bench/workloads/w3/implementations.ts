// Every W3 implementation, in report order (hand-written floor first).

import { behaviortreeW3 } from "../../peers/behaviortree-w3.ts";
import { blueshellW3 } from "../../peers/blueshell-w3.ts";
import { mistreevousW3 } from "../../peers/mistreevous-w3.ts";
import { handwrittenW3 } from "./handwritten.ts";
import type { W3Impl } from "./impl.ts";

/**
 * The hook for hpol: adapters named "hpol-emitted" and "hpol-interpreter" that run the generated tree (written
 * out as a .hpol spec) go here once the compiler and runtime exist. Empty until then.
 */
export const hpolW3Implementations: W3Impl[] = [];

export const peerW3Implementations: readonly W3Impl[] = [mistreevousW3, behaviortreeW3, blueshellW3];

export function w3Implementations(): W3Impl[] {
  return [handwrittenW3, ...hpolW3Implementations, ...peerW3Implementations];
}
