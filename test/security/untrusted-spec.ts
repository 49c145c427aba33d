// Specs built around one hostile name or label, for the untrusted-spec tests: every place a spec's own text
// reaches the IR, the emitted module, traces or diagnostics (fields, enum members, record fields, message kinds
// and payloads, state, externs, tree parameters, node labels, test names, the module name).
import { HpolRuntimeError } from "../../src/runtime/index.ts";

/** The HP8xxx code `f` throws as an HpolRuntimeError, or undefined when it returns. Other errors propagate. */
export function runtimeCodeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof HpolRuntimeError) return e.code;
    throw e;
  }
  return undefined;
}

/** A .hpol string literal denoting `text`. */
export function hpolString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A spec whose identifiers are `name` wherever the namespaces allow, with node labels and test names `label`. */
export function namedSpec(name: string, label: string, withModule = true): string {
  const l = hpolString(label);
  return `${withModule ? `module ${name}\n` : ""}
enum Mode { ${name}, Other }
record Rec { ${name}: float[0.0, 5.0] }
message Msg {
  ${name} { ${name}: float[0.0, 10.0] }
  Idle
}
observation {
  ${name}: float[0.0, 10.0]
  rec: Rec
  mode: Mode
}
output {
  ${name}: float
  flag: bool
}
state { ${name}: float[0.0, 10.0] = 0.0 }
extern condition ${name}(${name}: float)
extern action act_${name}() async writes flag

tree helper(${name}: float[0.0, 10.0]) {
  sequence ${l} {
    set out.${name} = ${name} + obs.rec.${name}
  }
}

planner p every 100ms emits Msg {
  selector ${l} {
    sequence {
      check obs.mode == Mode.${name}
      emit ${name} { ${name}: obs.${name} }
    }
    emit Idle
  }
}

executor x at 20hz follows p writes ${name}, flag {
  on ${name} sequence ${l} {
    set state.${name} = msg.${name}
    call helper(state.${name})
    selector {
      check ${name}(state.${name})
      set out.flag = true
    }
  }
  on Idle selector ${l} {
    do act_${name}()
    set out.flag = false
  }
}

test ${l} {
  given obs { ${name}: 1.0, mode: Mode.${name} }
  run 3 ticks
  expect out.${name} >= 0.0
}
`;
}

/** Hostile texts: each would run `globalThis.pwned = …` if it escaped a string or a comment of the emitted code. */
export const HOSTILE_LABELS: readonly string[] = [
  `"; globalThis.pwned = 1; "`,
  `'; globalThis.pwned = 2; '`,
  "`; globalThis.pwned = 3; `",
  "${globalThis.pwned = 4}",
  "*/ globalThis.pwned = 5; /*",
  "\u2028globalThis.pwned = 6; //",
  "\u2029globalThis.pwned = 7; //",
  "\\u2028 \\\" \\n\u2028*/${globalThis.pwned = 8}`",
  "</script><!-- globalThis.pwned = 9 -->",
];

/** Identifiers a host object inherits or that mean something to JavaScript objects. */
export const HOSTILE_NAMES: readonly string[] = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__"];

/** JavaScript reserved words that are ordinary identifiers in .hpol. */
export const JS_RESERVED_NAMES: readonly string[] = ["class", "new", "delete", "this", "function", "void", "typeof", "let", "await", "yield", "eval", "arguments", "null", "default", "return", "var"];

