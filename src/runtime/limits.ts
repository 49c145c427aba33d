// Resource limits for specs and policy IR from untrusted sources. One table, used by the compiler (checkFiles,
// checkSource, the CLI's `--limit name=value`) and by the runtime (loadIR re-checks the sizes an IR asks for), so
// both sides agree on what "too big" means. The defaults leave room for every example and the generated
// 10,000-node benchmark spec many times over, while keeping a pool of 1,000 agents of the largest allowed frame
// within about 2 GB. docs/security.md lists them with their codes.

export interface Limits {
  /** Tree nodes plus expression nodes of the whole policy after every subtree call is inlined (HP5010 / HP8003). */
  readonly nodes: number;
  /** Number slots of one value type: a vector, a list with all its elements, a tensor, a record (HP5011 / HP8003). */
  readonly valueSlots: number;
  /** Capacity of one list type (HP5012 / HP8003). */
  readonly listCapacity: number;
  /** Number slots of one agent's frame: observation, outputs, state, message channels, proposals (HP5013 / HP8003). */
  readonly frameSlots: number;
  /** Length of the longest import chain from the entry spec (HP5014). */
  readonly importDepth: number;
  /** Spec files in one program: the entry and every module it imports (HP5014). */
  readonly imports: number;
  /** Characters in one identifier (HP5015). */
  readonly identifierLength: number;
  /** Characters in one string literal: labels, test names, paths (HP5015). */
  readonly stringLength: number;
  /** Elements of one model tensor per agent (batch excluded), declared or read from the model file (HP5016 / HP8003). */
  readonly tensorElements: number;
  /** Nesting of types: records, messages, aliases and lists inside one another (HP5017 / HP8003). */
  readonly typeDepth: number;
}

export const DEFAULT_LIMITS: Limits = Object.freeze({
  nodes: 1_000_000,
  valueSlots: 65_536,
  listCapacity: 4_096,
  frameSlots: 262_144,
  importDepth: 32,
  imports: 256,
  identifierLength: 256,
  stringLength: 4_096,
  tensorElements: 1_048_576,
  typeDepth: 32,
});

export type LimitName = keyof Limits;

export const LIMIT_NAMES: readonly LimitName[] = Object.keys(DEFAULT_LIMITS) as LimitName[];

/** The defaults with `overrides` applied (undefined entries keep their default). */
export function withLimits(overrides: Partial<Limits> = {}): Limits {
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const name of LIMIT_NAMES) {
    const v = overrides[name];
    if (v !== undefined) out[name] = v;
  }
  return out as unknown as Limits;
}

/** Parses `name=value` (the CLI's `--limit`): a known name and a positive integer, or why not. */
export function parseLimitSetting(text: string): { readonly name: LimitName; readonly value: number } | { readonly error: string } {
  const eq = text.indexOf("=");
  const name = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (!(LIMIT_NAMES as readonly string[]).includes(name)) {
    return { error: `unknown limit \`${name}\` (known: ${LIMIT_NAMES.join(", ")})` };
  }
  const raw = eq < 0 ? "" : text.slice(eq + 1).trim().replace(/_/g, "");
  const value = Number(raw);
  if (raw === "" || !Number.isSafeInteger(value) || value < 1) return { error: `limit \`${name}\` needs a positive integer, got \`${raw}\`` };
  return { name: name as LimitName, value };
}

/** The hint every limit diagnostic carries: how to allow more for a spec the host trusts. */
export function limitHelp(name: LimitName): string {
  return `if you trust this spec, raise the limit: \`--limit ${name}=N\` on the command line, or \`limits: { ${name}: N }\` in the compiler options`;
}
