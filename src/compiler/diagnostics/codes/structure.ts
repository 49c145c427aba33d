// HP4xxx — graph structure: layers, rates, authority, arbiters, shields
import { defineCode } from "../diagnostic.ts";

export const structureCodes = {
} as const;
void defineCode;
