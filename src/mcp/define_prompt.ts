// What a prompt is: a name, model-facing text, string arguments (zod, as MCP prompt arguments
// are strings), the tools its steps name, and the text it expands to. Clients show prompts as
// slash commands; each encodes the short path through this server's tools for one question.
// Beside define_tool.ts, so the server registers prompts without importing them: the prompts
// themselves (src/prompts/) sit above the tools, whose parameter schemas they share.

import type { z } from "../deps.ts";

export interface PromptDefinition<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  args: S;
  /** Tools every run uses: with one of them disabled the prompt is not offered. */
  tools: readonly string[];
  /** Tools a step uses when they are enabled; the step is left out otherwise. */
  optionalTools?: readonly string[];
  /** The user message; `enabled` holds the names of the tools this server offers. */
  text(args: z.infer<z.ZodObject<S>>, enabled: ReadonlySet<string>): string;
}

/** Identity: exists so each prompt file gets its arguments' types inferred. */
export function definePrompt<S extends z.ZodRawShape>(
  def: PromptDefinition<S>,
): PromptDefinition<S> {
  return def;
}
