// client-node's ExecAuth runs the kubeconfig's exec credential plugin and caches its token until
// it expires; that stays its job. What it lacks, and this adds around it without copying it:
// - a bound: the plugin is killed when the request's time is up, or when it floods stdout;
// - errors that never carry the plugin's output: ExecAuth rejects with the whole stderr (a token
//   can be in it), or with a JSON parse error that quotes stdout (the token itself), or with a
//   TypeError when the JSON has no status. We say which plugin failed, its exit code, and a
//   short redacted excerpt of stderr.

import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";
import { basename } from "node:path";
import type { loadAuthPlugin, User } from "../deps.ts";
import { excerpt } from "../text/redact_credentials.ts";

type ExecAuthClass = Awaited<ReturnType<typeof loadAuthPlugin.exec>>;

/** The most stdout an ExecCredential may take; a plugin printing more is stopped. */
const MAX_STDOUT = 1 << 20;
const STDERR_KEPT = 4096;

/** The plugin failed: the message is safe to show (no plugin output but a redacted excerpt). */
export class ExecPluginError extends Error {
  override name = "ExecPluginError";
}

interface Run {
  child: ChildProcess;
  code: number | null;
  signal: string | null;
  stderr: string;
  stdoutBytes: number;
  flooded: boolean;
}

export interface Authenticator {
  isAuthProvider(user: User): boolean;
  applyAuthentication(user: User, opts: Record<string, unknown>): Promise<void>;
}

function execOf(user: User): { command?: string } | undefined {
  return user.exec ?? user.authProvider?.config?.exec;
}

/** ExecAuth with its plugin processes tracked, so they can be stopped and their failure named. */
export class BoundedExecAuth implements Authenticator {
  readonly #auth: Authenticator;
  #runs = new Set<Run>();

  constructor(ExecAuth: ExecAuthClass) {
    const auth = new ExecAuth();
    // execFn and getCredential are private in the typings but are the class's own seams (its
    // tests replace execFn); wrapping them keeps ExecAuth's caching and ExecCredential handling.
    const internals = auth as unknown as {
      execFn: (cmd: string, args: string[], opts: SpawnOptions) => ChildProcess;
      getCredential: (user: User) => Promise<unknown>;
      tokenCache: Record<string, unknown>;
    };
    internals.execFn = (cmd, args, opts) => this.#spawn(cmd, args, opts);
    const getCredential = internals.getCredential.bind(auth);
    internals.getCredential = async (user: User) => {
      const credential = await getCredential(user);
      const status = (credential as { status?: unknown } | null)?.status;
      if (credential && (typeof status !== "object" || status === null)) {
        internals.tokenCache[user.name] = null;
        throw new ExecPluginError(
          `${describe(user)} printed JSON without a "status" object; it must print an ` +
            `ExecCredential (client.authentication.k8s.io) with status.token or a client certificate`,
        );
      }
      return credential;
    };
    this.#auth = auth;
  }

  isAuthProvider(user: User): boolean {
    return this.#auth.isAuthProvider(user);
  }

  #spawn(cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
    const child = spawn(cmd, args ?? [], opts);
    const run: Run = {
      child,
      code: null,
      signal: null,
      stderr: "",
      stdoutBytes: 0,
      flooded: false,
    };
    this.#runs.add(run);
    child.stderr?.on("data", (d: string | Uint8Array) => {
      if (run.stderr.length < STDERR_KEPT) run.stderr += String(d).slice(0, STDERR_KEPT);
    });
    child.stdout?.on("data", (d: string | Uint8Array) => {
      run.stdoutBytes += d.length;
      if (run.stdoutBytes > MAX_STDOUT && !run.flooded) {
        run.flooded = true;
        child.kill("SIGKILL");
      }
    });
    child.on("close", (code, signal) => {
      run.code = code;
      run.signal = signal;
    });
    return child;
  }

  /**
   * Runs the plugin (unless ExecAuth has a valid cached credential), bounded by `signal`: when
   * it aborts, every plugin process this started is killed.
   */
  async applyAuthentication(
    user: User,
    opts: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<void> {
    const runs = new Set<Run>();
    const before = new Set(this.#runs);
    const mine = () => {
      for (const r of this.#runs) if (!before.has(r)) runs.add(r);
      return runs;
    };
    const work = this.#auth.applyAuthentication(user, opts);
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal?.reason);
      if (signal?.aborted) onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      await Promise.race([work, aborted]);
    } catch (e) {
      work.catch(() => {}); // the killed plugin's own rejection has nobody left to hear it
      const started = [...mine()];
      for (const r of started) if (r.code === null && r.signal === null) r.child.kill("SIGKILL");
      if (signal?.aborted && e === signal.reason) {
        const seconds = started.length ? "; it was stopped" : "";
        throw new ExecPluginError(
          `${describe(user)} gave no credentials in time${seconds}. It may be waiting for an ` +
            `interactive login: log in outside the MCP client, then try again`,
          { cause: e },
        );
      }
      throw explain(user, e, started.at(-1));
    } finally {
      signal?.removeEventListener("abort", onAbort);
      for (const r of mine()) this.#runs.delete(r);
    }
  }
}

/** Which plugin, for messages: its command's base name and the kubeconfig user. */
export function describe(user: User): string {
  const command = execOf(user)?.command;
  return `the exec credential plugin "${command ? basename(String(command)) : "?"}" ` +
    `(kubeconfig user "${user.name}")`;
}

function explain(user: User, e: unknown, run: Run | undefined): Error {
  if (e instanceof ExecPluginError) return e;
  const who = describe(user);
  const code = (e as { code?: unknown })?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
    return new ExecPluginError(
      `${who} could not be started (${code}); check the command in the kubeconfig and PATH`,
    );
  }
  if (run?.flooded) {
    return new ExecPluginError(`${who} printed more than ${MAX_STDOUT} bytes and was stopped`);
  }
  if (e instanceof SyntaxError) {
    return new ExecPluginError(
      `${who} exited 0 but did not print an ExecCredential JSON object ` +
        `(${run?.stdoutBytes ?? "?"} bytes on stdout, not shown)`,
    );
  }
  if (run && (run.code !== null || run.signal !== null)) {
    const how = run.code !== null ? `exit code ${run.code}` : `signal ${run.signal}`;
    const said = excerpt(run.stderr);
    return new ExecPluginError(
      `${who} failed with ${how}${said ? `: ${said}` : " and printed nothing on stderr"}`,
    );
  }
  const message = excerpt(e instanceof Error ? e.message : String(e));
  return new ExecPluginError(`${who} failed${message ? `: ${message}` : ""}`);
}
