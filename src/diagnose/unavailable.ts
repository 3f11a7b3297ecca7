// A part of an answer that could not be read: which part and why, in words a model can act on.
// Diagnosis tools collect these instead of failing, so a 403 on one part still leaves the rest.

import {
  KubeApiError,
  KubeConnectionError,
  ResourceDisabledError,
  ResourceTypeError,
} from "../kube/errors.ts";

export interface Unavailable {
  part: string;
  reason: string;
}

/**
 * The reason for a part that failed, or the error itself when it must fail the whole call:
 * a broken connection, a cancelled call or a bug is not a missing part. A timeout is a part's
 * own failure (an API server whose storage is down answers some requests and not others); the
 * caller makes sure something else proves the API server answers.
 */
export function partFailure(part: string, e: unknown): Unavailable {
  if (e instanceof KubeApiError) {
    const what = e.status === 403
      ? "forbidden"
      : e.status === 404
      ? "not found"
      : `the API server answered ${e.status}`;
    return { part, reason: `${what}: ${e.message}` };
  }
  if (e instanceof KubeConnectionError && e.kind === "timeout") {
    return { part, reason: `timed out: ${e.message}` };
  }
  if (e instanceof ResourceDisabledError) return { part, reason: e.message };
  if (e instanceof ResourceTypeError) {
    return { part, reason: `not served by this cluster: ${e.message}` };
  }
  throw e;
}
