// HP2xxx — name resolution, imports
import { defineCode } from "../diagnostic.ts";

export const namesCodes = {
} as const;
void defineCode;
