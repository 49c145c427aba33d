// W1 action codes. Every implementation writes one of these per agent per tick into an Int32Array, so the
// codes are small integers; Idle (0) is the value before any decision and is never chosen by the tree, which
// makes an implementation that forgets to write its decision show up in the checksum.

export const Action = {
  Idle: 0,
  Flee: 1,
  Heal: 2,
  Reload: 3,
  Fire: 4,
  Approach: 5,
  MoveToWaypoint: 6,
  AdvanceWaypoint: 7,
} as const;

export type ActionCode = (typeof Action)[keyof typeof Action];

export const ACTION_COUNT = 8;

export const ACTION_NAMES: readonly string[] = [
  "idle",
  "flee",
  "heal",
  "reload",
  "fire",
  "approach",
  "move-to-waypoint",
  "advance-waypoint",
];
