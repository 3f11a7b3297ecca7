// What a tool is: name, model-facing text, zod input shape, output schema, annotations and
// handler, together. `output` is required: every tool answers with structuredContent that
// matches it (ok() sends the same payload as text for clients that read only text).

import type { Identity } from "../auth/identity.ts";
import type { CallToolResult, ToolAnnotations, z } from "../deps.ts";
import type { Config, SecretAccess } from "../config/schema.ts";
import type { Kube } from "../kube/types.ts";
import type { PortForwards } from "../portforward/sessions.ts";

/** The configuration tools read; the rest of Config never reaches a tool. */
export interface ToolSettings {
  /** How Secret values appear in answers, and which secret tool is offered. */
  secretAccess: SecretAccess;
  /** The folder save_secret_to_file may write to besides /tmp (--temp-dir, TMPDIR). */
  tempDir: string;
  /** --request-timeout: a fan-out call gives each context's whole body this long. */
  requestTimeoutMs: number;
}

/** The settings tools see, taken from the whole configuration (the server and the README). */
export function toolSettings(config: Config): ToolSettings {
  const { secretAccess, tempDir, requestTimeoutMs } = config;
  return { secretAccess, tempDir, requestTimeoutMs };
}

export interface ToolContext extends ToolSettings {
  /** Kubernetes as this call's caller may see it (the server's own access, or the caller's). */
  kube: Kube;
  /** Who made the call, when its request was authenticated (passthrough); else undefined. */
  identity?: Identity;
  /** Port forwarding's sessions, when --enable-port-forwarding is on. */
  portForwards?: PortForwards;
  /** Aborted when the client cancels the call. */
  signal: AbortSignal;
}

export interface ToolDefinition<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  /** A function when the text depends on the settings (the secret access mode). */
  description: string | ((settings: ToolSettings) => string);
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
