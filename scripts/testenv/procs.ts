// Background processes that outlive `deno task testenv up`: started in their own session with
// setsid, output to a log file, identified by pid + kernel start time so `down` kills exactly them.

export interface ProcRecord {
  name: string;
  pid: number;
  /** Field 22 of /proc/<pid>/stat: distinguishes our process from a later one reusing the pid. */
  startTime: string;
  log: string;
  cmd: string[];
}

async function procStat(pid: number): Promise<{ state: string; startTime: string } | null> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/stat`);
    // "pid (comm) state ..." — comm may contain spaces, so split after the last ')'.
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: rest[0]!, startTime: rest[19]! };
  } catch {
    return null;
  }
}

export async function isAlive(p: ProcRecord): Promise<boolean> {
  const st = await procStat(p.pid);
  return st !== null && st.startTime === p.startTime && st.state !== "Z" && st.state !== "X";
}

export async function spawnDetached(
  name: string,
  cmd: string[],
  logFile: string,
  env?: Record<string, string>,
): Promise<ProcRecord> {
  // setsid execs (no fork: our child is not a process-group leader), then sh execs the command,
  // so the pid we get is the pid of the final program.
  const child = new Deno.Command("setsid", {
    args: ["sh", "-c", 'exec "$@" >>"$0" 2>&1 </dev/null', logFile, ...cmd],
    stdin: "null",
    stdout: "null",
    stderr: "null",
    env,
  }).spawn();
  child.unref();
  let st = null;
  for (let i = 0; i < 50 && st === null; i++) {
    st = await procStat(child.pid);
    if (st === null) await new Promise((r) => setTimeout(r, 10));
  }
  if (st === null) throw new Error(`${name} exited immediately; see ${logFile}`);
  return { name, pid: child.pid, startTime: st.startTime, log: logFile, cmd };
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL whatever is left. Only touches our own pids. */
export async function stopAll(procs: ProcRecord[], graceMs = 10_000): Promise<void> {
  const alive = async () =>
    (await Promise.all(procs.map(async (p) => (await isAlive(p)) ? p : null)))
      .filter((p): p is ProcRecord => p !== null);
  for (const p of await alive()) {
    try {
      Deno.kill(p.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + graceMs;
  let left = await alive();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = await alive();
  }
  for (const p of left) {
    try {
      Deno.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  const killDeadline = Date.now() + 5_000;
  while ((await alive()).length > 0 && Date.now() < killDeadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Free TCP ports on 127.0.0.1 (bound then released; distinct within one call). */
export function freePorts(n: number): number[] {
  const listeners = Array.from(
    { length: n },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  const ports = listeners.map((l) => (l.addr as Deno.NetAddr).port);
  for (const l of listeners) l.close();
  return ports;
}
