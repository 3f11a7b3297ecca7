// The one logger. It writes to stderr only: in stdio mode stdout belongs to JSON-RPC. Token-like
// strings are redacted: an error can quote a credential plugin or an API server.

import { redact } from "./text/redact_credentials.ts";

export function log(message: string): void {
  // deno-lint-ignore no-console
  console.error(redact(message));
}

export function warn(message: string): void {
  log(`WARNING: ${message}`);
}

/** stdout, for --help and --version only: in stdio mode stdout belongs to JSON-RPC. */
export function out(message: string): void {
  // deno-lint-ignore no-console
  console.log(message);
}
