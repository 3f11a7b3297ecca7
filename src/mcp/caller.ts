// Who is calling, as one key: the identity that owns per-caller state (port-forward sessions).
// In passthrough each caller's bearer token is its identity, keyed by the token's hash prefix
// (AuthInfo.clientId, never the token); otherwise every caller acts as the kubeconfig's user
// and they share one key.

import type { AuthInfo } from "../deps.ts";

export function callerKey(auth: AuthInfo | undefined): string {
  return auth ? `token:${auth.clientId}` : "";
}
