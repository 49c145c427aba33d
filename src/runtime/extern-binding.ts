// Binding host implementations to a policy's extern declarations, checked once when a pool is created:
// every declared extern bound (HP8010), nothing bound that is not declared (HP8011, with a suggestion), every
// binding a function that takes at most the declared parameters plus the context (HP8011).
import type { PolicyIR } from "./ir.ts";
import { HpolRuntimeError, runtimeCodes, runtimeError } from "./errors.ts";
import { describe, typeName } from "./values.ts";
import { closestName } from "./closest-name.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ExternFn = (...args: any[]) => unknown;

/** The bindings in extern-id order. Throws HpolRuntimeError on the first mismatch. */
export function bindExterns(ir: PolicyIR, given: Record<string, ExternFn>): ExternFn[] {
  const declared = ir.externs.map((x) => x.name);
  for (const name of Object.keys(given)) {
    if (!declared.includes(name)) {
      const close = closestName(name, declared);
      throw new HpolRuntimeError(
        runtimeError(runtimeCodes.externSignature, {
          name,
          problem: `the policy declares no extern of that name${close ? ` (did you mean \`${close}\`?)` : ""}`,
        }),
      );
    }
  }
  return ir.externs.map((x) => {
    // Own properties only: `{}` has an inherited `toString` and `constructor`, which must not bind an extern of that name.
    const fn = Object.hasOwn(given, x.name) ? given[x.name] : undefined;
    if (fn === undefined) throw new HpolRuntimeError(runtimeError(runtimeCodes.externMissing, { name: x.name, kind: x.kind }, { span: x.span }));
    if (typeof fn !== "function") {
      throw new HpolRuntimeError(runtimeError(runtimeCodes.externSignature, { name: x.name, problem: `expected a function, got ${describe(fn)}` }, { span: x.span }));
    }
    // fn.length counts parameters before the first default; more than params + ctx cannot be right.
    if (fn.length > x.params.length + 1) {
      throw new HpolRuntimeError(
        runtimeError(
          runtimeCodes.externSignature,
          {
            name: x.name,
            problem: `declares ${x.params.length} parameter${x.params.length === 1 ? "" : "s"} (${x.params
              .map((p) => `${p.name}: ${typeName(p.type)}`)
              .join(", ")}) but the binding takes ${fn.length}`,
          },
          { span: x.span },
        ),
      );
    }
    return fn;
  });
}
