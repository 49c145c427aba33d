// HP3xxx — types, tensors, ports
import { defineCode } from "../diagnostic.ts";

export const typesCodes = {
} as const;
void defineCode;
