// Tests that need a program the README's test command does not bring along (ruby, unzip,
// podman, runc). The README promises that `npx -y deno@2.9.6 task test` passes on a machine with
// only Node.js and Go, so such a test is skipped when its program is not on PATH, with the
// reason in its name and once on stderr. A skip must never hide a failure in CI: when
// MCP_REQUIRE_TOOLS (comma-separated; .ci/run sets it) names the program, the test runs and
// fails with a message that says what is missing.
//
//   toolTest("formula: ruby -c accepts it", ["ruby"], async () => { ... });

import { delimiter, join } from "node:path";

const INSTALL_HINT: Record<string, string> = {
  ruby: "apt-get install -y ruby",
  unzip: "apt-get install -y unzip",
  podman: "apt-get install -y podman runc",
  runc: "apt-get install -y podman runc",
};

/** The programs that must be present here (MCP_REQUIRE_TOOLS), lower-cased. */
export function requiredTools(): Set<string> {
  const raw = Deno.env.get("MCP_REQUIRE_TOOLS") ?? "";
  return new Set(raw.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean));
}

/** The absolute path of `name` on PATH, or undefined. A PATH lookup: no process is started. */
export function findOnPath(name: string, path = Deno.env.get("PATH") ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface ToolCheck {
  /** The tools that are not on PATH. */
  missing: string[];
  /** Missing and not required: the test is registered as ignored. */
  skip: boolean;
  /** Appended to the test name when skipped, so the report says why. */
  note: string;
}

const announced = new Set<string>();

export function checkTools(tools: readonly string[]): ToolCheck {
  const missing = tools.filter((t) => findOnPath(t) === undefined);
  const required = requiredTools();
  const skip = missing.length > 0 && !missing.some((t) => required.has(t));
  const note = skip ? ` (skipped: ${missing.join(", ")} not on PATH)` : "";
  if (skip) {
    for (const t of missing) {
      if (announced.has(t)) continue;
      announced.add(t);
      // deno-lint-ignore no-console
      console.error(
        `tests needing ${t} are skipped: ${t} is not on PATH (${
          INSTALL_HINT[t] ?? `install ${t}`
        }; set MCP_REQUIRE_TOOLS=${t} to make its absence a failure, as .ci/run does)`,
      );
    }
  }
  return { missing, skip, note };
}

/** Fails with a clear message when a required tool is absent (the test was not skipped). */
export function assertTools(check: ToolCheck): void {
  if (check.missing.length === 0) return;
  throw new Error(
    `${check.missing.join(", ")} required (MCP_REQUIRE_TOOLS=${
      Deno.env.get("MCP_REQUIRE_TOOLS")
    }) but not on PATH: ${check.missing.map((t) => INSTALL_HINT[t] ?? t).join("; ")}`,
  );
}

/** Deno.test that needs `tools`: skipped without them unless MCP_REQUIRE_TOOLS names one. */
export function toolTest(
  name: string,
  tools: readonly string[],
  fn: (t: Deno.TestContext) => Promise<void> | void,
  options: Omit<Deno.TestDefinition, "name" | "fn" | "ignore"> = {},
): void {
  const check = checkTools(tools);
  Deno.test({
    ...options,
    name: name + check.note,
    ignore: check.skip,
    fn: async (t) => {
      assertTools(check);
      await fn(t);
    },
  });
}
