// The port-forward sessions of this process: local listeners on loopback, one tunnel each, ids
// pf-<n> (a process-wide counter, never reused), an owner per session (the caller's identity
// key in passthrough; one shared owner otherwise), a cap on open sessions, an idle timeout, and
// sessions that end by themselves (pod deleted, tunnel closed, idle) kept with their reason
// until stopped. Kubernetes is reached only through the tunnel and the check function a
// session is given.

import type { PortForwardTunnel } from "../kube/types.ts";
import { log } from "../log.ts";
import type { Identity } from "../auth/identity.ts";
import { ToolError } from "../errors.ts";

export interface PortMapping {
  pod_port: number;
  local_port: number;
  /** Service targets: the Service port this mapping came from. */
  service_port?: number;
}

export interface SessionSpec {
  owner: string;
  namespace: string;
  pod: string;
  service?: string;
  context?: string;
  /** Requested mappings; local_port 0 means any free port. */
  ports: { pod_port: number; local_port: number; service_port?: number }[];
  tunnel: PortForwardTunnel;
  /** Why the pod can no longer be forwarded to (deleted, replaced, not running), or undefined. */
  checkPod: () => Promise<string | undefined>;
}

export interface SessionLimits {
  maxSessions: number;
  /** 0: never. */
  idleTimeoutMs: number;
  /** How often a session checks that its pod still exists and runs. */
  podCheckMs?: number;
}

/** The Go server's entry, in its field order, then ours. */
export interface SessionEntry {
  id: string;
  namespace: string;
  pod: string;
  service?: string;
  context?: string;
  ports: PortMapping[];
  started_at: string;
  status?: "active" | "ended";
  ended_reason?: string;
  last_error?: string;
  bytes_in?: number;
  bytes_out?: number;
  last_used?: string;
  connections?: number;
}

/** A failure the caller reads as it is (the reference's texts). */
export class PortForwardError extends ToolError {
  override name = "PortForwardError";
}

/**
 * Who owns a session: the caller's identity key (passthrough: its token's SHA-256), or "" when
 * every caller is the server's own user and all share the sessions (as in the Go server). The one
 * place ownership is decided.
 */
export function ownerKey(identity: Identity | undefined): string {
  return identity?.key ?? "";
}

/** RFC 3339 in local time with the offset, fraction trimmed, as Go's time.RFC3339Nano. */
export function rfc3339Local(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const off = -d.getTimezoneOffset();
  const zone = off === 0
    ? "Z"
    : `${off > 0 ? "+" : "-"}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  const ms = d.getMilliseconds();
  const frac = ms ? `.${p(ms, 3).replace(/0+$/, "")}` : "";
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:` +
    `${p(d.getMinutes())}:${p(d.getSeconds())}${frac}${zone}`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${s % 60 ? `${s % 60}s` : ""}` : `${Math.floor(m / 60)}h${m % 60}m`;
}

class Session {
  readonly id: string;
  readonly spec: SessionSpec;
  readonly ports: PortMapping[];
  readonly startedAt = new Date();
  lastUsed = Date.now();
  endedReason?: string;
  lastError?: string;
  readonly #listeners: Deno.Listener[];
  readonly #conns = new Set<Deno.Conn>();
  /** The accept loops: a closed listener's socket is released only once its loop has ended. */
  #accepting: Promise<void>[] = [];
  #podTimer?: ReturnType<typeof setInterval>;
  #idleTimer?: ReturnType<typeof setTimeout>;
  #onEnd: (s: Session) => void;

  constructor(
    id: string,
    spec: SessionSpec,
    ports: PortMapping[],
    listeners: Deno.Listener[],
    onEnd: (s: Session) => void,
  ) {
    this.id = id;
    this.spec = spec;
    this.ports = ports;
    this.#listeners = listeners;
    this.#onEnd = onEnd;
  }

  get active(): boolean {
    return this.endedReason === undefined;
  }

  run(limits: SessionLimits): void {
    for (const l of this.#listeners) {
      const mapping = this.ports.find((m) => m.local_port === (l.addr as Deno.NetAddr).port)!;
      this.#accepting.push(this.#accept(l, mapping.pod_port));
    }
    this.spec.tunnel.closed.then((why) => this.end(why));
    if (limits.idleTimeoutMs > 0) this.#armIdle(limits.idleTimeoutMs);
    const every = limits.podCheckMs ?? 5000;
    this.#podTimer = setInterval(() => this.#checkPod(), every);
    Deno.unrefTimer(this.#podTimer);
  }

  /** One timer, re-armed for the rest of the window whenever traffic moved lastUsed on. */
  #armIdle(idleMs: number): void {
    const wait = Math.max(50, this.lastUsed + idleMs - Date.now());
    this.#idleTimer = setTimeout(() => {
      if (!this.active) return;
      if (Date.now() - this.lastUsed >= idleMs) {
        this.end(
          `idle: no traffic for ${duration(idleMs)} (--port-forward-idle-timeout); ` +
            `start a new one when needed`,
        );
      } else this.#armIdle(idleMs);
    }, wait);
    Deno.unrefTimer(this.#idleTimer);
  }

  async #checkPod(): Promise<void> {
    if (!this.active) return;
    const why = await this.spec.checkPod().catch(() => undefined);
    if (why && this.active) this.end(why);
  }

  async #accept(listener: Deno.Listener, podPort: number): Promise<void> {
    try {
      for await (const conn of listener) {
        if (!this.active) {
          conn.close();
          break;
        }
        this.#pipe(conn, podPort);
      }
    } catch {
      // the listener was closed
    }
  }

  async #pipe(conn: Deno.Conn, podPort: number): Promise<void> {
    this.#conns.add(conn);
    this.lastUsed = Date.now();
    const touch = () => (this.lastUsed = Date.now());
    let fwd;
    try {
      fwd = this.spec.tunnel.connect(podPort);
    } catch (e) {
      this.lastError = e instanceof Error ? e.message : String(e);
      this.#conns.delete(conn);
      conn.close();
      return;
    }
    const up = (async () => {
      for await (const chunk of conn.readable) {
        touch();
        await fwd.write(chunk);
      }
      await fwd.closeWrite();
    })();
    const down = (async () => {
      const writer = conn.writable.getWriter();
      try {
        for await (const chunk of fwd.readable) {
          touch();
          await writer.write(chunk);
        }
        await conn.closeWrite();
      } finally {
        writer.releaseLock();
      }
    })();
    const [u, d] = await Promise.allSettled([
      up.catch((e) => {
        fwd.reset();
        throw e;
      }),
      down.catch((e) => {
        try {
          conn.close();
        } catch {
          // already closed
        }
        throw e;
      }),
    ]);
    void u;
    void d;
    try {
      conn.close();
    } catch {
      // already closed
    }
    this.#conns.delete(conn);
    touch();
    const err = await fwd.error;
    if (err) {
      this.lastError = err;
      // The kubelet could not reach the port: maybe the pod is gone; find out now.
      await this.#checkPod();
    }
  }

  entry(extra: boolean): SessionEntry {
    const base: SessionEntry = {
      id: this.id,
      namespace: this.spec.namespace,
      pod: this.spec.pod,
      ...(this.spec.service ? { service: this.spec.service } : {}),
      ...(this.spec.context ? { context: this.spec.context } : {}),
      ports: this.ports,
      started_at: rfc3339Local(this.startedAt),
    };
    if (!extra) return base;
    return {
      ...base,
      status: this.active ? "active" : "ended",
      ...(this.endedReason ? { ended_reason: this.endedReason } : {}),
      ...(this.lastError ? { last_error: this.lastError } : {}),
      bytes_in: this.spec.tunnel.bytesIn,
      bytes_out: this.spec.tunnel.bytesOut,
      last_used: rfc3339Local(new Date(this.lastUsed)),
      connections: this.#conns.size,
    };
  }

  /** Ends the session (idempotent): closes listeners, connections and the tunnel. */
  end(why: string): Promise<void> {
    if (!this.active) return Promise.resolve();
    this.endedReason = why;
    clearInterval(this.#podTimer);
    clearTimeout(this.#idleTimer);
    for (const l of this.#listeners) {
      try {
        l.close();
      } catch {
        // already closed
      }
    }
    for (const c of this.#conns) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
    this.#conns.clear();
    this.#onEnd(this);
    // Resolve only once nothing listens any more: Deno releases a listener's socket when its
    // pending accept has been cancelled, a turn after close(); until then a connect succeeds.
    return Promise.all([...this.#accepting, this.spec.tunnel.close(why)]).then(() => {});
  }
}

/** `[{8080 80}]`, as client-go prints its ForwardedPort list. */
function goPorts(ports: readonly { pod_port: number; local_port: number }[]): string {
  return `[${ports.map((p) => `{${p.local_port} ${p.pod_port}}`).join(" ")}]`;
}

/** Listens on 127.0.0.1 (required) and ::1 (when the host has IPv6) on `port` (0: any). */
function listenLoopback(port: number): Deno.Listener[] {
  const v4 = Deno.listen({ hostname: "127.0.0.1", port, transport: "tcp" });
  const actual = (v4.addr as Deno.NetAddr).port;
  try {
    return [v4, Deno.listen({ hostname: "::1", port: actual, transport: "tcp" })];
  } catch {
    return [v4];
  }
}

export class PortForwards {
  readonly #limits: SessionLimits;
  readonly #sessions = new Map<string, Session>();
  #next = 1;
  /** Starts between reserve() and add() or release(): they count against the cap too. */
  #pending = 0;

  constructor(limits: SessionLimits) {
    this.#limits = limits;
  }

  get activeCount(): number {
    return [...this.#sessions.values()].filter((s) => s.active).length;
  }

  /**
   * Holds a place under the cap for a start in progress (refusing when there is none); the
   * returned function gives it back, once, whether the start succeeded or not.
   */
  reserve(): () => void {
    if (this.activeCount + this.#pending >= this.#limits.maxSessions) {
      throw new PortForwardError(
        `failed to start port forward: ${this.#limits.maxSessions} port-forward sessions are ` +
          `open, the most this server allows (--port-forward-max-sessions); stop one with ` +
          `stop_port_forward (list_port_forwards shows them)`,
      );
    }
    this.#pending++;
    let held = true;
    return () => {
      if (held) this.#pending--;
      held = false;
    };
  }

  /**
   * Binds the local ports (all or none), so a busy port fails before any tunnel is opened.
   * The returned function closes them again.
   */
  bind(
    ports: readonly { pod_port: number; local_port: number }[],
  ): { listeners: Deno.Listener[][]; release: () => void } {
    const listeners: Deno.Listener[][] = [];
    const release = () => {
      for (const ls of listeners) {
        for (const l of ls) {
          try {
            l.close();
          } catch {
            // already closed
          }
        }
      }
    };
    try {
      for (const p of ports) listeners.push(listenLoopback(p.local_port));
    } catch (e) {
      release();
      const why = e instanceof Deno.errors.AddrInUse || e instanceof Deno.errors.PermissionDenied
        ? `unable to listen on any of the requested ports: ${goPorts(ports)}`
        : `unable to listen on the requested ports ${goPorts(ports)}: ${
          e instanceof Error ? e.message : String(e)
        }`;
      throw new PortForwardError(
        `failed to start port forward: port forwarding failed to start: ${why}`,
      );
    }
    return { listeners, release };
  }

  /** Registers a session over bound listeners and an open tunnel; allocates its id. */
  add(spec: SessionSpec, listeners: Deno.Listener[][]): SessionEntry {
    const ports = spec.ports.map((p, i) => ({
      ...(p.service_port !== undefined ? { service_port: p.service_port } : {}),
      pod_port: p.pod_port,
      local_port: (listeners[i]![0]!.addr as Deno.NetAddr).port,
    }));
    const id = `pf-${this.#next++}`;
    const session = new Session(id, spec, ports, listeners.flat(), (s) => {
      log(
        `Port forward ${s.id} (${s.spec.namespace}/${s.spec.pod}) terminated` +
          (s.endedReason && s.endedReason !== "stopped" ? `: ${s.endedReason}` : ""),
      );
    });
    this.#sessions.set(id, session);
    session.run(this.#limits);
    this.#trimEnded();
    return session.entry(false);
  }

  /** Ended sessions are kept for their reason, but never more than the cap's worth. */
  #trimEnded(): void {
    const ended = [...this.#sessions.values()].filter((s) => !s.active);
    for (const s of ended.slice(0, Math.max(0, ended.length - this.#limits.maxSessions))) {
      this.#sessions.delete(s.id);
    }
  }

  list(owner: string): SessionEntry[] {
    this.#trimEnded();
    return [...this.#sessions.values()].filter((s) => s.spec.owner === owner)
      .map((s) => s.entry(true));
  }

  /** Stops and forgets a session of this owner; another owner's id is "not found". */
  async stop(owner: string, id: string): Promise<void> {
    const s = this.#sessions.get(id);
    if (!s || s.spec.owner !== owner) {
      throw new PortForwardError(`failed to stop port forward: port forward "${id}" not found`);
    }
    this.#sessions.delete(id);
    await s.end("stopped");
  }

  /**
   * Every session of every owner (shutdown). A second call (the signal's, then the server's
   * own on the way out) waits for the first one's tunnels too.
   */
  stopAll(): Promise<void> {
    const all = [...this.#sessions.values()];
    this.#sessions.clear();
    const ending = Promise.all(all.map((s) => s.end("stopped").catch(() => {}))).then(() => {});
    this.#stopping = Promise.all([this.#stopping, ending]).then(() => {});
    return this.#stopping;
  }

  #stopping: Promise<void> = Promise.resolve();
}
