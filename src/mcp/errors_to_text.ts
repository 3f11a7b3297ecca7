// The one place where failures become text for the model: what failed, the value, what to try.
// Unexpected errors are logged with their stack to stderr and reported briefly.

import { log } from "../log.ts";
import {
  ContextError,
  KubeApiError,
  KubeConnectionError,
  PathError,
  ReadOnlyViolation,
  ResourceDisabledError,
  ResourceTypeError,
} from "../kube/errors.ts";
import { KubeconfigError } from "../kube/kubeconfig.ts";
import { ToolError } from "../errors.ts";

const PLAIN = [
  ToolError,
  ContextError,
  KubeconfigError,
  ResourceTypeError,
  ResourceDisabledError,
  ReadOnlyViolation,
  PathError,
];

export const NO_RETRY = "This is a connectivity or authentication problem. Do not retry this " +
  "request automatically: ask the user to check that the cluster is reachable and to refresh " +
  "their credentials (for example log in again), then try once more.";

function apiHint(e: KubeApiError): string {
  switch (e.status) {
    case 401:
      return NO_RETRY;
    case 403:
      return "The kubeconfig user lacks RBAC permission for this; retrying will not help. " +
        "Try another namespace or resource, or ask the user for access.";
    case 404:
      return "Check the name, namespace and type; list_resources shows what exists.";
    case 410:
      return "The continue token has expired; list again without continue.";
    case 400:
    case 422:
      return "The request was invalid; fix the value the message names.";
    default:
      return e.status >= 500 || e.status === 429
        ? "The API server (or an aggregated API behind it) is failing; try again later."
        : "";
  }
}

/** The most characters an error text holds; a value it quotes is cut well before this. */
export const MAX_ERROR_CHARS = 2000;

/**
 * The last guard on what an error says: control characters other than newline and tab are
 * escaped (an API message or an exception can carry a NUL or ESC from the input), and the text
 * is cut to MAX_ERROR_CHARS.
 */
export function boundedText(text: string): string {
  const clean = text.replace(
    // deno-lint-ignore no-control-regex
    /[\x00-\x08\x0b-\x1f\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return clean.length > MAX_ERROR_CHARS
    ? `${clean.slice(0, MAX_ERROR_CHARS)}… (error text cut at ${MAX_ERROR_CHARS} characters)`
    : clean;
}

export function errorText(tool: string, e: unknown): string {
  return boundedText(describeError(tool, e));
}

function describeError(tool: string, e: unknown): string {
  if (PLAIN.some((cls) => e instanceof cls)) return (e as Error).message;
  if (e instanceof KubeApiError) {
    return `Kubernetes API error ${e.status} (${e.reason || "error"}): ${e.message}. ${apiHint(e)}`
      .trim();
  }
  if (e instanceof KubeConnectionError) {
    if (e.kind === "timeout") return e.message;
    return `Failed to reach the Kubernetes cluster: ${e.message}\n\n${NO_RETRY}`;
  }
  if (e instanceof DOMException && e.name === "AbortError") return `${tool} was cancelled`;
  log(`internal error in ${tool}: ${e instanceof Error ? e.stack : String(e)}`);
  return `internal error in ${tool}: ${e instanceof Error ? e.message : String(e)}`;
}
