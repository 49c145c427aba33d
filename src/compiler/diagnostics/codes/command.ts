// HP51xx — command-line arguments that name something the spec or the command does not have. They concern one
// invocation, not a spec, so their examples are command lines rather than .hpol sources.
import { defineCode } from "../diagnostic.ts";

export const commandCodes = {
  unknownLayer: defineCode<{ name: string; spec: string }>({
    code: "HP5101",
    severity: "error",
    title: "unknown layer",
    message: (p) => `\`${p.spec}\` has no planner or executor named \`${p.name}\``,
    explanation:
      "`hpol graph --layer NAME` draws the tree of one planner or executor, chosen by its name in the spec. " +
      "The name is case-sensitive; the diagnostic lists the layers the spec has and suggests the closest one.",
    example: "hpol graph examples/strategist.hpol --layer rusherr",
  }),
  badOptionValue: defineCode<{ option: string; value: string; allowed: string }>({
    code: "HP5102",
    severity: "error",
    title: "invalid option value",
    message: (p) => `\`${p.value}\` is not a valid value for ${p.option}; expected ${p.allowed}`,
    explanation:
      "An option of the command takes one of a fixed set of values (for `hpol graph`: `--format dot|mermaid|svg` " +
      "and `--what tree|layers|all`), or two options were combined that contradict each other (`--layer` draws " +
      "one layer's tree, so it cannot be combined with `--what layers` or `--what all`).",
    example: "hpol graph examples/shooter.hpol --format png",
  }),
  cannotWrite: defineCode<{ path: string; reason: string }>({
    code: "HP5103",
    severity: "error",
    title: "cannot write output file",
    message: (p) => `cannot write \`${p.path}\`: ${p.reason}`,
    explanation: "The file named by `-o` could not be written: its directory does not exist, or it is not writable.",
    example: "hpol graph examples/shooter.hpol -o /no/such/dir/shooter.dot",
  }),
} as const;
