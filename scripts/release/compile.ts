// The deno compile command line for one target, and what a failed compile's output means.

import { BUNDLE_ENTRY, BUNDLE_RUN_FLAGS } from "./bundle.ts";
import { RELEASE_PERMISSIONS, RELEASE_V8_FLAGS } from "./permissions.ts";
import { DEFAULT_BUDGET_BYTES, heapFlag } from "../../src/budget/plan.ts";
import { binaryPath, type Target } from "./targets.ts";

/**
 * A binary's V8 flags are baked in, and they come after DENO_V8_FLAGS (Deno's order: defaults,
 * environment, then the flags given), so its heap limit is fixed at the default budget's: the
 * npm package and the image set theirs from the budget at start-up (docs/team.md).
 */
export const BINARY_V8_FLAGS = `${RELEASE_V8_FLAGS},${heapFlag(DEFAULT_BUDGET_BYTES)}`;

/**
 * Run in the folder the bundle was written to (scripts/release/bundle.ts): main.js and the chunks
 * it imports, with no npm package or lock left to resolve.
 */
export function compileArgs(target: Target, dist: string): string[] {
  return [
    "compile",
    ...BUNDLE_RUN_FLAGS,
    ...RELEASE_PERMISSIONS,
    BINARY_V8_FLAGS,
    "--target",
    target.triple,
    "--output",
    `${dist}/${binaryPath(target)}`,
    BUNDLE_ENTRY,
  ];
}

export type CompileFailure = "runtime-unavailable" | "other";

/**
 * deno compile fetches the runtime (denort) for the target from dl.deno.land unless DENORT_BIN
 * names a local one. Both ways of not getting it are told apart from real compile errors.
 */
export function classifyCompileFailure(output: string): CompileFailure {
  return /dl\.deno\.land|denort-[\w-]+\.zip|Could not find denort|Setting up base binary/.test(
      output,
    )
    ? "runtime-unavailable"
    : "other";
}

/** True when the output shows the runtime download started: a hang there is a download hang. */
export function downloadStarted(output: string): boolean {
  return /Download\S*\s+https:\/\/dl\.deno\.land\//.test(output);
}
