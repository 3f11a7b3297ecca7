// The Secret name parameter of the two secret tools: bounded and path-safe like every object name,
// but an empty name passes the schema on purpose, so the handlers can answer "name is required"
// as the reference does.

import { quote } from "../text/quote.ts";
import { badObjectName, LIMITS, text } from "./_shared.ts";

export const secretName = text(LIMITS.name).check((ctx) => {
  const why = ctx.value === "" ? undefined : badObjectName(ctx.value);
  if (why) {
    ctx.issues.push({ code: "custom", input: ctx.value, message: `${quote(ctx.value)} ${why}` });
  }
}).describe("Secret name");
