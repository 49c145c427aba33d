// A file named on the command line that cannot be read.
import { diag, type Diagnostic } from "../compiler/diagnostics/diagnostic.ts";
import { projectCodes } from "../compiler/diagnostics/codes/project.ts";

export function unreadableFile(file: string): Diagnostic {
  return diag(projectCodes.fileNotFound, file, { start: 0, end: 0 }, { path: file });
}
