// What the harness times: a contender opens a session (a fresh world plus that implementation's pool over it),
// and a session runs frames of "decide for every agent" then "advance the world". W1/W2 and W3 implementations
// are adapted to this shape in suite.ts, so one measuring loop serves every workload.

import type { ActionCodes } from "../w1/impl.ts";

export interface Session {
  /** The timed step: one decision for every agent. */
  tickAll(): void;
  /** The decisions of the last tickAll, one action code per agent. */
  readonly actions: ActionCodes;
  /** The untimed step: the world applies the actions and moves on. */
  advance(): void;
  /** Keeps the pool reachable until the heap has been read. */
  readonly pool: unknown;
}

/** W is the workload's world type; every contender of one workload shares it. */
export interface Contender<W> {
  readonly name: string;
  /** A fresh, seeded world of `agents` agents. Not part of any heap figure: the world is the host's. */
  createWorld(agents: number): W;
  /** This implementation's pool over `world`, ready to tick. */
  open(world: W): Session;
}
