// Parameters the two secret tools share. Empty name and key pass the schema on purpose: the
// handlers answer "name is required" / "key is required" as the reference does.

import type { z } from "../deps.ts";
import { quote } from "../text/quote.ts";
import { badObjectName, LIMITS, text } from "./_shared.ts";

/** Longest path accepted for files on the user's machine (PATH_MAX on Linux). */
export const MAX_PATH = 4096;

export const secretName = text(LIMITS.name).check((ctx) => {
  const why = ctx.value === "" ? undefined : badObjectName(ctx.value);
  if (why) {
    ctx.issues.push({ code: "custom", input: ctx.value, message: `${quote(ctx.value)} ${why}` });
  }
}).describe("Secret name");

export const secretKey = text(LIMITS.name).describe("Key in the Secret's data");

export function localPath(description: string): z.ZodString {
  return text(MAX_PATH).describe(description);
}
