// The only code that sends requests to an API server. Read-only is enforced here, before a
// request leaves the process: every method but GET is refused unless it is in ALLOWED_WRITES, and
// a path with dot segments or encoded slashes is refused (it would reach another path than the
// one its parts name). One request timeout bounds everything: credentials (a plugin is stopped),
// the response headers, and every byte of the body.

import { NAME, VERSION } from "../version.ts";
import type { CredentialSource } from "./credentials.ts";
import {
  connectionError,
  KubeApiError,
  KubeConnectionError,
  PathError,
  ReadOnlyViolation,
} from "./errors.ts";
import type { Connector, RawConn } from "./connector.ts";
import type { RequestHooks } from "./request_hooks.ts";
import { httpUpgrade } from "./upgrade.ts";

/** Non-GET requests that read rather than write. None is used today; keep this list short. */
export const ALLOWED_WRITES: readonly { method: string; path: RegExp }[] = [
  {
    method: "POST",
    path:
      /^\/apis\/authorization\.k8s\.io\/v1\/(selfsubjectaccessreviews|selfsubjectrulesreviews)$/,
  },
];

/** The one path an upgrade may go to: a pod's port-forward subresource. */
export const PORT_FORWARD_PATH = /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/portforward$/;

export function assertReadOnly(method: string, path: string): void {
  if (method === "GET") return;
  if (ALLOWED_WRITES.some((w) => w.method === method && w.path.test(path))) return;
  throw new ReadOnlyViolation(`refusing ${method} ${path}: this server only reads from Kubernetes`);
}

/** Refuses a path whose segments are dot segments or hide a slash, before any URL is built. */
export function assertPlainPath(path: string): void {
  if (!path.startsWith("/")) throw new PathError(`refusing request path "${path}": not absolute`);
  for (const raw of path.split("/").slice(1)) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      throw new PathError(`refusing request path with a malformed escape in "${raw.slice(0, 64)}"`);
    }
    if (seg === "." || seg === ".." || /[/\\]/.test(seg) || /[/\\?#]/.test(raw)) {
      throw new PathError(
        `refusing request path with a dot segment or an encoded slash ("${raw.slice(0, 64)}"); ` +
          `names and namespaces cannot be ".", ".." or contain "/"`,
      );
    }
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  accept?: string;
  signal?: AbortSignal;
}

export interface KubeHttpOptions {
  /** The server URL without a trailing slash. */
  server: string;
  credentials: CredentialSource;
  connector: Connector;
  timeoutMs: number;
  /** Rate limits before, and figures after, each request (request_hooks.ts). */
  hooks?: RequestHooks;
  /** Told about connection and TLS failures, so the owner can rebuild the client. */
  onConnectionFailure?: (e: KubeConnectionError) => void;
}

const BUFFER_BYTES = 64 * 1024;
const MB = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export class KubeHttp {
  readonly server: string;
  readonly #o: KubeHttpOptions;

  constructor(options: KubeHttpOptions) {
    this.#o = options;
    this.server = options.server;
  }

  get timeoutMs(): number {
    return this.#o.timeoutMs;
  }

  #fail(e: Error): Error {
    if (e instanceof KubeConnectionError && (e.kind === "unreachable" || e.kind === "tls")) {
      this.#o.connector.reset();
      this.#o.onConnectionFailure?.(e);
    }
    return e;
  }

  /** The response with its body bounded by the same deadline as the request. */
  request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    return this.#request(method, path, opts, true);
  }

  /** `copy: false` when the reader is done with each chunk before it reads the next. */
  async #request(
    method: string,
    path: string,
    opts: RequestOptions,
    copy: boolean,
  ): Promise<Response> {
    assertReadOnly(method, path);
    assertPlainPath(path.split("?")[0]!);
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== "") url.searchParams.set(k, String(v));
    }
    const timeout = AbortSignal.timeout(this.#o.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let res: Response;
    let release: void | (() => void) = undefined;
    let started: number | undefined;
    try {
      release = await this.#o.hooks?.admit?.(signal, this.server, path);
      started = performance.now();
      const cred = await this.#o.credentials.get(signal);
      const headers: Record<string, string> = {
        ...cred.headers,
        Accept: opts.accept ?? "application/json",
        "User-Agent": `${NAME}/${VERSION}`,
      };
      res = await this.#o.connector.fetch(url, { method, headers, signal }, cred);
    } catch (e) {
      if (started !== undefined) {
        this.#o.hooks?.observe?.(method, path, 0, (performance.now() - started) / 1000);
      }
      if (e instanceof KubeConnectionError) throw this.#fail(e);
      throw this.#fail(connectionError(signal.reason ?? e, this.server, this.#o.timeoutMs));
    } finally {
      if (release) release();
    }
    this.#o.hooks?.observe?.(method, path, res.status, (performance.now() - started) / 1000);
    const body = res.body ? this.#bounded(res.body, path, signal, copy) : null;
    if (!res.ok) throw await apiError(res, body, path);
    return new Response(body, { status: res.status, headers: res.headers });
  }

  /**
   * The body, failing with a clear error (and how much arrived) when the deadline or the
   * caller's cancellation comes first, even if the server has stopped sending.
   */
  #bounded(
    body: ReadableStream<Uint8Array>,
    path: string,
    signal: AbortSignal,
    copy: boolean,
  ): ReadableStream<Uint8Array> {
    // A BYOB read into one reused buffer: Deno's fetch otherwise hands out every few-KB chunk in
    // its own 64 KiB buffer, which lingers until a GC (52 MB of external memory per 3.3 MB list).
    let byob: ReadableStreamBYOBReader | undefined;
    try {
      byob = body.getReader({ mode: "byob" });
    } catch {
      // Not a byte stream (undici's body): plain reads.
    }
    const reader = byob ?? body.getReader();
    let buffer = new ArrayBuffer(BUFFER_BYTES);
    const read = async (): Promise<ReadableStreamReadResult<Uint8Array>> => {
      if (!byob) return await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
      const r = await byob.read(new Uint8Array(buffer));
      if (r.done) return { done: true, value: undefined };
      buffer = r.value.buffer as ArrayBuffer;
      return { done: false, value: copy ? r.value.slice() : r.value };
    };
    let bytes = 0;
    const fail = (e: unknown): unknown => {
      if (e instanceof DOMException && e.name === "AbortError") return e;
      if (signal.reason instanceof DOMException && signal.reason.name === "TimeoutError") {
        return new KubeConnectionError(
          "timeout",
          `the answer from ${this.server} to ${path} was not complete after ` +
            `${this.#o.timeoutMs / 1000}s (${MB(bytes)} read); narrow the query ` +
            `(limit, selectors, tail_lines, since) or raise --request-timeout`,
          this.server,
        );
      }
      if (signal.aborted) return signal.reason;
      const c = connectionError(e, this.server, this.#o.timeoutMs);
      if (c instanceof KubeConnectionError) {
        c.message = `${c.message} (the connection broke after ${MB(bytes)} of the answer)`;
        this.#fail(c);
      }
      return c;
    };
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    aborted.catch(() => {});
    const done = () => signal.removeEventListener("abort", onAbort);
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const r = await Promise.race([read(), aborted]);
          if (r.done) {
            done();
            controller.close();
          } else {
            bytes += r.value.byteLength;
            controller.enqueue(r.value);
          }
        } catch (e) {
          done();
          reader.cancel().catch(() => {});
          controller.error(fail(e));
        }
      },
      cancel(reason) {
        done();
        return reader.cancel(reason);
      },
    }, { highWaterMark: 0 });
  }

  /**
   * A protocol upgrade (port forwarding's SPDY) on a new connection of its own, with the same
   * credentials, gate and figures as every request. Only the port-forward subresource may be
   * upgraded: the one non-GET this server sends, and only when port forwarding is enabled.
   * Resolves with the connection and the new protocol's first bytes; the caller closes it.
   */
  async upgrade(
    path: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<{ conn: RawConn; leftover: Uint8Array }> {
    if (!PORT_FORWARD_PATH.test(path)) {
      throw new ReadOnlyViolation(`refusing to upgrade ${path}: only pods/portforward is upgraded`);
    }
    assertPlainPath(path);
    const timeout = AbortSignal.timeout(this.#o.timeoutMs);
    const all = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let release: void | (() => void) = undefined;
    let started: number | undefined;
    let conn: RawConn | undefined;
    try {
      release = await this.#o.hooks?.admit?.(all, this.server, path);
      started = performance.now();
      const cred = await this.#o.credentials.get(all);
      conn = await this.#o.connector.dial(cred);
      const url = new URL(this.server);
      const prefix = url.pathname.replace(/\/+$/, "");
      const res = await httpUpgrade(conn, {
        method: "POST",
        host: url.host,
        path: prefix + path,
        headers: { ...cred.headers, ...headers, "User-Agent": `${NAME}/${VERSION}` },
      }, all);
      this.#o.hooks?.observe?.("POST", path, 101, (performance.now() - started) / 1000);
      return { conn, leftover: res.leftover };
    } catch (e) {
      try {
        conn?.close();
      } catch {
        // already closed
      }
      if (e instanceof KubeApiError) {
        this.#o.hooks?.observe?.("POST", path, e.status, (performance.now() - started!) / 1000);
        throw e;
      }
      if (started !== undefined) {
        this.#o.hooks?.observe?.("POST", path, 0, (performance.now() - started) / 1000);
      }
      if (e instanceof KubeConnectionError) throw this.#fail(e);
      throw this.#fail(connectionError(all.reason ?? e, this.server, this.#o.timeoutMs));
    } finally {
      if (release) release();
    }
  }

  async getJson<T>(path: string, opts?: RequestOptions): Promise<T> {
    const res = await this.#request("GET", path, opts ?? {}, false);
    const text = await readText(res.body);
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      // A proxy or a half-configured endpoint can answer 200 with HTML: say so, not "unreachable".
      if (e instanceof SyntaxError) {
        throw new KubeConnectionError(
          "unreachable",
          `${this.server}${path} answered with something that is not JSON; is the kubeconfig's ` +
            `server the Kubernetes API server?`,
          this.server,
        );
      }
      throw e;
    }
  }

  async getStream(path: string, opts?: RequestOptions): Promise<ReadableStream<Uint8Array>> {
    const res = await this.request("GET", path, opts);
    return res.body ?? new ReadableStream({ start: (c) => c.close() });
  }
}

/** The body as text; a stream error (timeout, broken connection) is thrown as it is. */
async function readText(body: ReadableStream<Uint8Array> | null, max = Infinity): Promise<string> {
  if (!body) return "";
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let length = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      parts.push(decoder.decode(r.value, { stream: true }));
      length += r.value.byteLength;
      if (length >= max) {
        await reader.cancel();
        break;
      }
    }
  } finally {
    reader.releaseLock();
  }
  parts.push(decoder.decode());
  return parts.join("");
}

async function apiError(
  res: Response,
  body: ReadableStream<Uint8Array> | null,
  path: string,
): Promise<KubeApiError> {
  const text = (await readText(body, 65536).catch(() => "")).slice(0, 65536);
  let status: { message?: string; reason?: string } = {};
  try {
    status = JSON.parse(text);
  } catch {
    // Not a Status object: a proxy, a kubelet or an aggregated API answered in plain text.
  }
  const message = status.message ?? (text.trim() || res.statusText || `HTTP ${res.status}`);
  return new KubeApiError(res.status, status.reason ?? res.statusText, message, path);
}
