// The memory limit of the container the server runs in, from its cgroup: cgroup v2's
// memory.max, else cgroup v1's memory.limit_in_bytes (hybrid hosts, older runtimes). Inside a
// container both are mounted for the container's own group at /sys/fs/cgroup. "max", v1's
// near-2^63 "unlimited" and a missing or unreadable file all mean no limit.

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
export async function cgroupMemoryLimit(files: readonly string[] = CGROUP_FILES): Promise<
  number | undefined
> {
  if (Deno.build.os !== "linux") return undefined;
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch {
      continue;
    }
    return parseLimit(text);
  }
  return undefined;
}
