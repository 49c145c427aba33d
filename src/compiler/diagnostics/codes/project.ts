// HP5xxx — project, files, models
import { defineCode } from "../diagnostic.ts";

export const projectCodes = {
} as const;
void defineCode;
