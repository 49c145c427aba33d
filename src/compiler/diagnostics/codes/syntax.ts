// HP1xxx — syntax (lexer, parser)
import { defineCode } from "../diagnostic.ts";

export const syntaxCodes = {
} as const;
void defineCode;
