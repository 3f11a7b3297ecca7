// Reads one value of a core v1 Secret for the secret tools, with their errors in the order the
// reference gives them: disabled type, failed get, missing key, bad base64. The value never
// appears in an error.

import { ResourceDisabledError } from "../kube/errors.ts";
import type { Kube } from "../kube/types.ts";
import { errorText } from "../mcp/errors_to_text.ts";
import { ToolError } from "../errors.ts";

export interface SecretRef {
  name: string;
  key: string;
  namespace?: string;
  context?: string;
}

/** Strict standard base64 (padding required); line breaks are ignored, as Go's decoder does. */
export function decodeStrict(value: string): Uint8Array {
  const text = value.replace(/[\r\n]/g, "");
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad) throw new Error(`illegal base64 data at input byte ${bad.index}`);
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw new Error("illegal base64 data: wrong length or misplaced padding");
  }
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Throws ToolError for a missing name or key: a model can fix those. */
export function requireRef(ref: { name?: string; key?: string }): void {
  if (!ref.name?.trim()) throw new ToolError("name is required");
  if (!ref.key) throw new ToolError("key is required");
}

export async function readSecretValue(
  kube: Kube,
  ref: SecretRef,
  tool: string,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const client = await kube.client(ref.context);
  let resource;
  try {
    // Resolved by group and version, so a CRD named secrets in another group never answers.
    resource = await client.resolve("secrets", "v1", signal);
  } catch (e) {
    if (e instanceof ResourceDisabledError) {
      throw new ToolError("access to secrets (core/v1/secrets) is disabled by configuration");
    }
    throw e;
  }
  const name = ref.name.trim();
  let secret;
  try {
    secret = await client.get({
      resource,
      name,
      namespace: ref.namespace?.trim() || client.namespace,
    }, signal);
  } catch (e) {
    throw new ToolError(`failed to get secret "${name}": ${errorText(tool, e)}`);
  }
  const data = (secret.data ?? {}) as Record<string, unknown>;
  if (!Object.hasOwn(data, ref.key)) {
    throw new ToolError(
      `secret "${name}" has no key "${ref.key}"; available keys: ` +
        Object.keys(data).sort().join(", "),
    );
  }
  const value = data[ref.key];
  try {
    return decodeStrict(typeof value === "string" ? value : "");
  } catch (e) {
    throw new ToolError(`secret key "${ref.key}" is not valid base64: ${(e as Error).message}`);
  }
}
