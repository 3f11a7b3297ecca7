// The memory limit of the container the server runs in, from its cgroup: cgroup v2's
// memory.max, else cgroup v1's memory.limit_in_bytes (hybrid hosts, older runtimes). Inside a
// container both are mounted for the container's own group at /sys/fs/cgroup. "max", v1's
// near-2^63 "unlimited" and a missing or unreadable file all mean no limit.
//
// Deno lets only --allow-all read /sys and /proc, which the release permissions never grant. So
// when the direct read is refused, a short-lived `deno eval` (the same binary, with its own
// default permissions for that one read) reads the file: ~100-200 ms, paid only by an HTTP
// server whose budget is not given, never on stdio's start-up. A compiled binary has no `deno`
// to ask: it keeps the default budget.

import { basename } from "node:path";

export const CGROUP_FILES = [
  "/sys/fs/cgroup/memory.max",
  "/sys/fs/cgroup/memory/memory.limit_in_bytes",
];

/** The limit's text as the kernel writes it, or undefined for none. */
export function parseLimit(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined; // "max", or garbage
  const n = Number(t);
  return n > 0 && n < 2 ** 50 ? n : undefined;
}

/** The container's memory limit in bytes, or undefined when none is set or none is readable. */
export async function cgroupMemoryLimit(
  files: readonly string[] = CGROUP_FILES,
): Promise<number | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
        return await readWithDeno(files);
      }
      continue;
    }
    return parseLimit(text);
  }
  return undefined;
}

async function readWithDeno(files: readonly string[]): Promise<number | undefined> {
  const exe = Deno.execPath();
  if (!/^deno(\.exe)?$/.test(basename(exe))) return undefined;
  const code = `for (const f of ${JSON.stringify(files)}) { try { ` +
    `console.log(Deno.readTextFileSync(f)); break; } catch { /* next */ } }`;
  try {
    const out = await new Deno.Command(exe, {
      args: ["eval", "--quiet", "--no-config", code],
      env: { DENO_NO_UPDATE_CHECK: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(3000),
    }).output();
    return out.success ? parseLimit(new TextDecoder().decode(out.stdout)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cgroup limit when the budget is to be derived from it: an HTTP transport (a shared
 * server, usually in a container) with no --memory-budget and no variable. Otherwise undefined,
 * without reading anything.
 */
export function limitForBudget(
  // The parsed flag and environment layers (structural: budget/ sits below config/).
  flags: { memoryBudget?: string; transport?: string },
  env: { MCP_KUBERNETES_RO_MEMORY_BUDGET?: string },
): Promise<number | undefined> {
  const given = [flags.memoryBudget, env.MCP_KUBERNETES_RO_MEMORY_BUDGET]
    .some((v) => v !== undefined && v.trim() !== "");
  const http = flags.transport !== undefined && flags.transport !== "stdio";
  return given || !http ? Promise.resolve(undefined) : cgroupMemoryLimit();
}
