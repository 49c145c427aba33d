// Every W1 implementation the suite measures, in report order. The hand-written floor comes first; ratios in the
// report are computed against it and against every peer.

import { behaviortreeW1 } from "../peers/behaviortree-w1.ts";
import { blueshellW1 } from "../peers/blueshell-w1.ts";
import { mistreevousW1 } from "../peers/mistreevous-w1.ts";
import { handwrittenW1 } from "./handwritten.ts";
import { hpolW1 } from "./hpol.ts";
import type { W1Impl } from "./impl.ts";

/**
 * The hook for hpol. Once the compiler and runtime can run the W1 tree, two adapters implementing W1Impl go
 * here — named "hpol-emitted" (the module `hpol build` emits for the W1 spec) and "hpol-interpreter" (the
 * reference interpreter over the same spec's IR) — and every workload, table and ratio picks them up.
 * Deliberately empty until then: a row is only reported for code that really runs the tree.
 */
export const hpolW1Implementations: W1Impl[] = [...hpolW1];

export const peerW1Implementations: readonly W1Impl[] = [mistreevousW1, behaviortreeW1, blueshellW1];

export function w1Implementations(): W1Impl[] {
  return [handwrittenW1, ...hpolW1Implementations, ...peerW1Implementations];
}
