// What a tool is: name, model-facing text, zod input shape, output schema, annotations and
// handler, together. `output` is required: every tool answers with structuredContent that
// matches it (ok() sends the same payload as text for clients that read only text).

import type { CallToolResult, ToolAnnotations, z } from "../deps.ts";
import type { Config } from "../config/schema.ts";
import type { Kube } from "../kube/types.ts";
import type { PortForwards } from "../portforward/sessions.ts";

export interface ToolContext {
  kube: Kube;
  config: Config;
  /** The caller's identity key (passthrough: its token's hash); "" when all callers are one. */
  owner?: string;
  /** Port forwarding's sessions, when it is enabled. */
  portForwards?: PortForwards;
  /** Aborted when the client cancels the call. */
  signal: AbortSignal;
}

export interface ToolDefinition<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  /** A function when the text depends on the configuration (the secret access mode). */
  description: string | ((config: Config) => string);
  input: S;
  /** The top-level shape of the payload the tool passes to ok(); lean, Kubernetes parts open. */
  output: z.ZodObject;
  annotations: ToolAnnotations;
  run(args: z.infer<z.ZodObject<S>>, ctx: ToolContext): Promise<CallToolResult>;
}

/** Identity: exists so each tool file gets its handler's argument types inferred. */
export function defineTool<S extends z.ZodRawShape>(def: ToolDefinition<S>): ToolDefinition<S> {
  return def;
}

// Annotations say only what a client cannot infer. The title is the tool's own (top-level)
// title. destructiveHint and idempotentHint are, per the MCP spec, meaningful only when
// readOnlyHint is false, so read-only tools leave them out; openWorldHint stays explicit.

/** Reads the cluster, changes nothing. */
export const READS_CLUSTER: ToolAnnotations = { readOnlyHint: true, openWorldHint: true };

/** Works on its arguments or local files alone. */
export const LOCAL_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
