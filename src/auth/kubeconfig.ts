// The default mode: every call uses the server's own credentials (the kubeconfig user, or the
// in-cluster service account). Requests are not authenticated here: over HTTP, put the server
// behind something that does.

import type { AuthMode, ModeDeps } from "./mode.ts";

// deno-lint-ignore require-await
export async function kubeconfigMode({ own }: ModeDeps): Promise<AuthMode> {
  return {
    kubeFor: () => Promise.resolve(own),
    probe: () => Promise.resolve({ kube: own, full: true }),
    close: () => {},
  };
}
