// Client-side pagination of metrics, with the reference's continue token: URL-safe base64
// (with padding) of JSON {offset, type, namespace?}. Pure.

import { TokenError } from "../errors.ts";

export interface PageToken {
  offset: number;
  type: "node" | "pod";
  namespace?: string;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
}

export function encodeToken(token: PageToken): string {
  const { offset, type, namespace } = token;
  return toBase64Url(JSON.stringify(namespace ? { offset, type, namespace } : { offset, type }));
}

/** Offset to start from. A pod token from another namespace restarts at 0, as the reference. */
export function decodeToken(
  text: string | undefined,
  type: PageToken["type"],
  namespace = "",
): number {
  if (!text) return 0;
  let parsed: unknown;
  try {
    const std = text.trim().replaceAll("-", "+").replaceAll("_", "/");
    parsed = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(std), (c) => c.charCodeAt(0))),
    );
  } catch {
    throw new TokenError(
      `invalid continue token "${text}": pass back the continue value of the previous page ` +
        `unchanged, or omit it to start from the first page`,
    );
  }
  const t = parsed as Partial<Record<keyof PageToken, unknown>>;
  if (
    typeof t !== "object" || t === null || !Number.isInteger(t.offset) || (t.offset as number) < 0
  ) {
    throw new TokenError(
      `invalid continue token "${text}": its offset must be a whole number of 0 or more`,
    );
  }
  if (t.type !== undefined && t.type !== "" && t.type !== type) {
    throw new TokenError(`continue token is not valid for ${type} metrics`);
  }
  if (type === "pod" && (t.namespace ?? "") !== namespace) return 0;
  return t.offset as number;
}

export interface Page<T> {
  items: T[];
  continue?: string;
}

export function paginate<T>(
  items: T[],
  opts: { limit?: number; continue?: string; type: PageToken["type"]; namespace?: string },
): Page<T> {
  if (!opts.limit || opts.limit <= 0) return { items };
  const offset = decodeToken(opts.continue, opts.type, opts.namespace);
  const end = offset + opts.limit;
  const page = items.slice(offset, end);
  return end < items.length
    ? {
      items: page,
      continue: encodeToken({ offset: end, type: opts.type, namespace: opts.namespace }),
    }
    : { items: page };
}
