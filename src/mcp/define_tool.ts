// What a tool is: name, model-facing text, zod input shape, annotations and handler, together.

import type { CallToolResult, ToolAnnotations, z } from "../deps.ts";
import type { Config } from "../config/schema.ts";
import type { Kube } from "../kube/types.ts";

export interface ToolContext {
  kube: Kube;
  config: Config;
  /** Aborted when the client cancels the call. */
  signal: AbortSignal;
}

export interface ToolDefinition<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  /** A function when the text depends on the configuration (the secret access mode). */
  description: string | ((config: Config) => string);
  input: S;
  annotations: ToolAnnotations;
  run(args: z.infer<z.ZodObject<S>>, ctx: ToolContext): Promise<CallToolResult>;
}

/** Identity: exists so each tool file gets its handler's argument types inferred. */
export function defineTool<S extends z.ZodRawShape>(def: ToolDefinition<S>): ToolDefinition<S> {
  return def;
}

/** Reads the cluster, changes nothing; calls with the same arguments may see new state. */
export const READS_CLUSTER: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Works on its arguments or local files alone. */
export const LOCAL_ONLY: ToolAnnotations = { ...READS_CLUSTER, openWorldHint: false };
