// Model files stay inside the directories the host allows. The compiler's checker (HP5020) and the runtime's
// neural host (HP8107, for IR loaded directly) apply this same rule, so an untrusted spec or IR cannot make either
// open an arbitrary file through an absolute path, `..`, or a symbolic link that leads out of the project.
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** The real path of an existing file or directory (symbolic links resolved), or undefined. */
export function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function within(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel.split(sep)[0] !== ".." && !isAbsolute(rel));
}

/**
 * Whether `path` lies inside one of `roots`, lexically and — when `realpath` is given and the file exists — after
 * resolving symbolic links on both sides, so a link inside the project that points outside it is refused too.
 */
export function insideRoots(path: string, roots: readonly string[], realpath?: (p: string) => string | undefined): boolean {
  const abs = resolve(path);
  if (!roots.some((r) => within(abs, resolve(r)))) return false;
  const real = realpath?.(abs);
  if (real === undefined) return true;
  return roots.some((r) => within(real, realpath?.(resolve(r)) ?? resolve(r)));
}
