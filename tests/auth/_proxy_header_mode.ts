// A test double of a third auth mode, to show the seam: a trusted proxy in front of the server
// names the user in X-Remote-User. Not a product mode (it trusts a header anyone could send);
// it exists so a test can plug a mode in with one new file and one table line, no src/ edit.

import type { AuthMode, ModeDeps } from "../../src/auth/mode.ts";
import { Identity } from "../../src/auth/identity.ts";
import type { Kube } from "../../src/kube/types.ts";

export const HEADER = "x-remote-user";

/** Every identity kubeFor saw, in order: the test checks the request's user reached the call. */
export const seen: Identity[] = [];

// deno-lint-ignore require-await
export async function proxyHeaderMode({ own }: ModeDeps): Promise<AuthMode> {
  return {
    authenticate: async (req) => {
      const user = req.headers.get(HEADER);
      if (!user) return new Response("the proxy sent no user\n", { status: 401 });
      return (await Identity.fromToken(user)).authInfo();
    },
    kubeFor: (identity) => {
      if (!identity) return Promise.reject(new Error("no identity came with the call"));
      seen.push(identity);
      // The server's own access, with the caller's key shown as the contexts' user.
      const kube: Kube = {
        client: (context) => own.client(context),
        contexts: async () =>
          (await own.contexts()).map((c) => ({ ...c, user: `proxy:${identity.key}` })),
      };
      return Promise.resolve(kube);
    },
    probe: () => Promise.resolve({ kube: own, full: true }),
    close: () => {},
  };
}
