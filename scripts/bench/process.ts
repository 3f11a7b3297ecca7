// One server process: spawn, keep the tail of its stderr, read its memory from /proc, stop it
// (gently, then by force, every wait bounded). Linux /proc only; elsewhere memory is null.

export interface ProcMemory {
  /** Peak resident set size (VmHWM). */
  peakKiB: number;
  /** Resident set size now (VmRSS). */
  rssKiB: number;
}

export interface ProcIdentity {
  pid: number;
  /** /proc/<pid>/exe: the binary that actually runs under this pid. */
  exe: string | null;
  /** Direct children: a launcher that re-executes itself would show up here. */
  children: number[];
}

/** VmHWM and VmRSS of a live process, or null when /proc has no such process. */
export async function readMemory(pid: number): Promise<ProcMemory | null> {
  let status: string;
  try {
    status = await Deno.readTextFile(`/proc/${pid}/status`);
  } catch {
    return null;
  }
  const kib = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status);
    return m ? Number(m[1]) : NaN;
  };
  const peakKiB = kib("VmHWM");
  const rssKiB = kib("VmRSS");
  return Number.isNaN(peakKiB) ? null : { peakKiB, rssKiB };
}

export async function identify(pid: number): Promise<ProcIdentity> {
  let exe: string | null = null;
  try {
    exe = await Deno.readLink(`/proc/${pid}/exe`);
  } catch {
    // Not Linux, or gone.
  }
  const children: number[] = [];
  try {
    for await (const task of Deno.readDir(`/proc/${pid}/task`)) {
      const text = await Deno.readTextFile(`/proc/${pid}/task/${task.name}/children`)
        .catch(() => "");
      children.push(...text.split(/\s+/).filter(Boolean).map(Number));
    }
  } catch {
    // Not Linux, or gone.
  }
  return { pid, exe, children };
}

export interface SpawnOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Pipe stdin and stdout (stdio transport); otherwise both are null. */
  stdio: boolean;
}

const STDERR_KEEP = 64 * 1024;

export class ServerProcess {
  /** Every server this bench started that has not exited yet (to kill them on Ctrl-C). */
  static readonly live: Set<ServerProcess> = new Set();
  readonly child: Deno.ChildProcess;
  readonly pid: number;
  readonly spawnedAt: number;
  #stderr = "";
  #exit: Deno.CommandStatus | null = null;
  readonly exited: Promise<Deno.CommandStatus>;

  constructor(opts: SpawnOptions) {
    this.spawnedAt = performance.now();
    const child = new Deno.Command(opts.command, {
      args: opts.args,
      env: opts.env,
      clearEnv: true,
      stdin: opts.stdio ? "piped" : "null",
      stdout: opts.stdio ? "piped" : "null",
      stderr: "piped",
    }).spawn();
    this.child = child;
    this.pid = child.pid;
    ServerProcess.live.add(this);
    this.exited = child.status.then((s) => {
      ServerProcess.live.delete(this);
      return (this.#exit = s);
    });
    (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        this.#stderr = (this.#stderr + chunk).slice(-STDERR_KEEP);
      }
    })().catch(() => {});
  }

  stderr(): string {
    return this.#stderr;
  }

  get exitStatus(): Deno.CommandStatus | null {
    return this.#exit;
  }

  /** Resolves true when the process exited within ms. */
  async waitExit(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    try {
      return await Promise.race([this.exited.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `before` lets the caller end the conversation (close stdin); then SIGTERM, then SIGKILL. */
  async stop(before?: () => Promise<void>): Promise<Deno.CommandStatus> {
    if (this.#exit) return this.#exit;
    if (before) {
      await before().catch(() => {});
      if (await this.waitExit(3_000)) return this.#exit!;
    }
    this.signal("SIGTERM");
    if (await this.waitExit(7_000)) return this.#exit!;
    this.signal("SIGKILL");
    return await this.exited;
  }

  signal(sig: Deno.Signal): void {
    try {
      this.child.kill(sig);
    } catch {
      // Already gone.
    }
  }

  describeExit(): string {
    const s = this.#exit;
    if (!s) return "still running";
    return s.signal ? `killed by ${s.signal}` : `exit code ${s.code}`;
  }
}
