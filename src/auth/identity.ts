// Who is calling, as one value made once per request: the SHA-256 of the caller's bearer token
// is its key (for the client cache, SSE session ownership and, soon, port-forward tunnels); the
// token itself stays private and leaves only as this caller's own Authorization header.

import type { AuthInfo } from "../deps.ts";
import type { CredentialSource } from "../kube/credentials.ts";

/**
 * SHA-256 of the token, hex: what caches and logs may hold. Web Crypto, because importing
 * node:crypto costs ~300 ms, which stdio start-up would pay.
 */
export async function tokenKey(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Identity {
  /** SHA-256 (hex) of the caller's token: stable for as long as the token is. Never the token. */
  readonly key: string;
  readonly #token: string;

  private constructor(key: string, token: string) {
    this.key = key;
    this.#token = token;
  }

  /** Hashes the token: the one place a caller's token is hashed. */
  static async fromToken(token: string): Promise<Identity> {
    return new Identity(await tokenKey(token), token);
  }

  /** The first 16 hex digits of the key: AuthInfo.clientId, short enough for a log line. */
  get clientId(): string {
    return this.key.slice(0, 16);
  }

  /** This caller's credentials for its own requests: the token as a bearer header. */
  credentials(): CredentialSource {
    const headers = { Authorization: `Bearer ${this.#token}` };
    return { get: () => Promise.resolve({ headers }) };
  }

  /** What the MCP SDK carries from the HTTP transport to the tool call. */
  authInfo(): AuthInfo {
    return { token: this.#token, clientId: this.clientId, scopes: [], extra: { identity: this } };
  }

  /** Serialised, an identity is its key: the token never reaches a log or an answer. */
  toJSON(): { key: string } {
    return { key: this.key };
  }
}

/** The identity an HTTP request was authenticated as; undefined over stdio or without auth. */
export function identityOf(auth: AuthInfo | undefined): Identity | undefined {
  const identity = auth?.extra?.identity;
  return identity instanceof Identity ? identity : undefined;
}
