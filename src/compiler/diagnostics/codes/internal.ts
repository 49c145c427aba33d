// HP9xxx — internal compiler errors
import { defineCode } from "../diagnostic.ts";

export const internalCodes = {
} as const;
void defineCode;
