// Every W3 implementation, in report order (hand-written floor first).

import { behaviortreeW3 } from "../../peers/behaviortree-w3.ts";
import { blueshellW3 } from "../../peers/blueshell-w3.ts";
import { mistreevousW3 } from "../../peers/mistreevous-w3.ts";
import { handwrittenW3 } from "./handwritten.ts";
import { hpolW3 } from "./hpol.ts";
import type { W3Impl } from "./impl.ts";

/** hpol's rows: the generated tree as a .hpol spec, run by emitted code and by the interpreter (hpol.ts). */
export const hpolW3Implementations: W3Impl[] = [...hpolW3];

export const peerW3Implementations: readonly W3Impl[] = [mistreevousW3, behaviortreeW3, blueshellW3];

export function w3Implementations(): W3Impl[] {
  return [handwrittenW3, ...hpolW3Implementations, ...peerW3Implementations];
}
