// A folder whose real path is outside /tmp, for tests that check nothing is written beyond the
// server's --allow-write=/tmp. The checkout itself is the first choice, but a clean clone (as CI
// makes) may live under /tmp; then HOME, then /var/tmp.

import { fileURLToPath } from "node:url";

const CHECKOUT = fileURLToPath(new URL("../../", import.meta.url));

function underTmp(path: string): boolean {
  const real = Deno.realPathSync(path);
  return real === "/tmp" || real.startsWith("/tmp/");
}

/** A new folder outside /tmp (the caller removes it). */
export async function makeDirOutsideTmp(prefix: string): Promise<string> {
  for (const dir of [CHECKOUT, Deno.env.get("HOME"), "/var/tmp"]) {
    if (!dir) continue;
    try {
      if (underTmp(dir)) continue;
      return await Deno.makeTempDir({ dir, prefix });
    } catch {
      // Missing or not writable: try the next one.
    }
  }
  throw new Error("no writable folder outside /tmp (tried the checkout, HOME and /var/tmp)");
}
