// The one place where Secret values are kept from the model. Every tool that returns objects
// passes them through forModel(), which decides by the resolved resource (core group, v1,
// secrets), never by the spelling the caller used, so `secret`, `Secret`, `secrets` and an
// explicit api_version all meet the same rule, while a CRD named secrets in another group and
// ConfigMaps are left alone. Pure.

import type { SecretAccess } from "../config/schema.ts";
import { LAST_APPLIED, stripBookkeeping } from "../kube/sanitize.ts";
import type { ApiResource, KubeObject } from "../kube/types.ts";

type Identity = Pick<ApiResource, "group" | "version" | "name">;

export function isCoreSecret(r: Identity): boolean {
  return r.group === "" && r.version === "v1" && r.name === "secrets";
}

/** "[redacted: N bytes]" for a base64 data value; "[redacted]" when it does not decode. */
function redactData(value: unknown): string {
  if (typeof value !== "string") return "[redacted: 0 bytes]";
  const text = value.replace(/[\r\n]/g, "");
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    return "[redacted]";
  }
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return `[redacted: ${(text.length / 4) * 3 - pad} bytes]`;
}

function redactString(value: unknown): string {
  const n = typeof value === "string" ? new TextEncoder().encode(value).length : 0;
  return `[redacted: ${n} bytes]`;
}

function mapValues(
  values: unknown,
  redact: (v: unknown) => string,
): Record<string, string> | undefined {
  if (!values || typeof values !== "object") return undefined;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, redact(v)]));
}

/**
 * A Secret with every value replaced by its size, and without the last-applied annotation (a
 * second copy of the data). Keys, type, labels and everything else stay.
 */
export function redactSecret(obj: KubeObject): KubeObject {
  const out: KubeObject = { ...obj };
  const data = mapValues(obj.data, redactData);
  if (data) out.data = data;
  const stringData = mapValues(obj.stringData, redactString);
  if (stringData) out.stringData = stringData;
  const meta = obj.metadata;
  const annotations = meta?.annotations as Record<string, unknown> | undefined;
  if (meta && annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _, ...others } = annotations;
    out.metadata = { ...meta, annotations: others };
  }
  return out;
}

export interface Presentation {
  secretAccess: SecretAccess;
  /** include_managed_fields: keep managedFields and, except on Secrets, last-applied. */
  keepBookkeeping?: boolean;
}

/** An object as a tool may show it: bookkeeping trimmed, Secret values hidden unless insecure. */
export function forModel(resource: Identity, obj: KubeObject, how: Presentation): KubeObject {
  const trimmed = stripBookkeeping(obj, how.keepBookkeeping);
  return isCoreSecret(resource) && how.secretAccess !== "insecure"
    ? redactSecret(trimmed)
    : trimmed;
}
