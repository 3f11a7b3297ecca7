// The only code that sends requests to an API server. Read-only is enforced here, before a
// request leaves the process: every method but GET is refused unless it is in ALLOWED_WRITES.
// client-node supplies credentials (tokens, client certificates, exec and OIDC plugins) and the
// TLS/proxy dispatcher options; we send plain GETs with undici, the fetch client-node itself
// uses, because client-node's typed APIs cannot stream a log or list arbitrary types cheaply.

import { type KubeConfig, loadUndici } from "../deps.ts";
import { NAME, VERSION } from "../version.ts";
import { connectionError, KubeApiError, KubeConnectionError, ReadOnlyViolation } from "./errors.ts";
import type { RequestHooks } from "./request_hooks.ts";

/** Non-GET requests that read rather than write. None is used today; keep this list short. */
export const ALLOWED_WRITES: readonly { method: string; path: RegExp }[] = [
  {
    method: "POST",
    path:
      /^\/apis\/authorization\.k8s\.io\/v1\/(selfsubjectaccessreviews|selfsubjectrulesreviews)$/,
  },
];

export function assertReadOnly(method: string, path: string): void {
  if (method === "GET") return;
  if (ALLOWED_WRITES.some((w) => w.method === method && w.path.test(path))) return;
  throw new ReadOnlyViolation(`refusing ${method} ${path}: this server only reads from Kubernetes`);
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  accept?: string;
  signal?: AbortSignal;
}

type Undici = Awaited<ReturnType<typeof loadUndici>>;
type Dispatcher = InstanceType<Undici["Dispatcher"]>;
type TlsOptions = Record<string, unknown> & { headers?: Record<string, string>; auth?: string };

export class KubeHttp {
  readonly server: string;
  #kc: KubeConfig;
  #undici: Undici;
  #timeoutMs: number;
  #dispatcher?: { key: string; value: Dispatcher | undefined };
  #hooks: RequestHooks;

  private constructor(kc: KubeConfig, undici: Undici, timeoutMs: number, hooks: RequestHooks) {
    this.#kc = kc;
    this.#undici = undici;
    this.#timeoutMs = timeoutMs;
    this.#hooks = hooks;
    this.server = kc.getCurrentCluster()?.server.replace(/\/+$/, "") ?? "";
  }

  static async create(
    kc: KubeConfig,
    timeoutMs: number,
    hooks: RequestHooks = {},
  ): Promise<KubeHttp> {
    return new KubeHttp(kc, await loadUndici(), timeoutMs, hooks);
  }

  /** Credentials are re-applied per request so exec-plugin tokens refresh when they expire. */
  async #auth(): Promise<{ headers: Record<string, string>; dispatcher: Dispatcher | undefined }> {
    const opts: TlsOptions = {};
    try {
      await this.#kc.applyToHTTPSOptions(opts);
    } catch (e) {
      const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
      throw new KubeConnectionError(
        "credentials",
        `cannot get credentials for ${this.server}: ${why}`,
        this.server,
      );
    }
    const headers = { ...opts.headers };
    if (opts.auth) headers.Authorization = `Basic ${btoa(opts.auth)}`;
    const key = JSON.stringify([String(opts.cert ?? ""), String(opts.key ?? "")]);
    if (this.#dispatcher?.key !== key) {
      this.#dispatcher = { key, value: this.#makeDispatcher(opts) };
    }
    return { headers, dispatcher: this.#dispatcher.value };
  }

  #makeDispatcher(opts: TlsOptions): Dispatcher | undefined {
    const tls = Object.fromEntries(
      ["ca", "cert", "key", "rejectUnauthorized", "servername"]
        .filter((k) => opts[k] !== undefined).map((k) => [k, opts[k]]),
    );
    const cluster = this.#kc.getCurrentCluster();
    const d = this.#kc.createDispatcherOptions(cluster, tls);
    if (d.type === "agent") return new this.#undici.Agent({ connect: d.connect });
    if (d.type === "proxy") {
      return new this.#undici.ProxyAgent({
        uri: d.uri,
        requestTls: d.requestTls,
        connect: d.connect,
      });
    }
    if (d.type === "socks") {
      throw new KubeConnectionError("unreachable", "SOCKS proxies are not supported", this.server);
    }
    return undefined;
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    assertReadOnly(method, path);
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== "") url.searchParams.set(k, String(v));
    }
    const { headers, dispatcher } = await this.#auth();
    headers.Accept = opts.accept ?? "application/json";
    headers["User-Agent"] = `${NAME}/${VERSION}`;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const release = await this.#hooks.admit?.(this.server, signal);
    const started = performance.now();
    let res: Response;
    try {
      res = await this.#undici.fetch(url, {
        method,
        headers,
        dispatcher,
        signal,
      }) as unknown as Response;
    } catch (e) {
      this.#hooks.observe?.(method, path, 0, (performance.now() - started) / 1000);
      throw connectionError(signal.reason ?? e, this.server, this.#timeoutMs);
    } finally {
      release?.();
    }
    this.#hooks.observe?.(method, path, res.status, (performance.now() - started) / 1000);
    if (!res.ok) throw await apiError(res, path);
    return res;
  }

  async getJson<T>(path: string, opts?: RequestOptions): Promise<T> {
    const res = await this.request("GET", path, opts);
    try {
      return await res.json() as T;
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
      throw connectionError(opts?.signal?.reason ?? e, this.server, this.#timeoutMs);
    }
  }

  async getStream(path: string, opts?: RequestOptions): Promise<ReadableStream<Uint8Array>> {
    const res = await this.request("GET", path, opts);
    return res.body ?? new ReadableStream({ start: (c) => c.close() });
  }
}

async function apiError(res: Response, path: string): Promise<KubeApiError> {
  const text = (await res.text().catch(() => "")).slice(0, 65536);
  let status: { message?: string; reason?: string } = {};
  try {
    status = JSON.parse(text);
  } catch {
    // Not a Status object: a proxy, a kubelet or an aggregated API answered in plain text.
  }
  const message = status.message ?? (text.trim() || res.statusText || `HTTP ${res.status}`);
  return new KubeApiError(res.status, status.reason ?? res.statusText, message, path);
}
