// A minimal Kubernetes REST client over fetch (for seeding and health checks; no client library).

export interface Credentials {
  caCert: string;
  /** PEM client certificate + key, or a bearer token. */
  cert?: string;
  key?: string;
  token?: string;
  /** Default "mcp-testenv/1"; a unique one lets audit queries pick out these requests. */
  userAgent?: string;
}

export class KubeError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) {
    super(`${what}: HTTP ${status}: ${body.slice(0, 500)}`);
  }
}

export class Kube {
  readonly #client: Deno.HttpClient;
  readonly #headers: Record<string, string>;
  readonly #userAgent: string;

  constructor(readonly server: string, creds: Credentials) {
    this.#client = Deno.createHttpClient({
      caCerts: [creds.caCert],
      ...(creds.cert && creds.key ? { cert: creds.cert, key: creds.key } : {}),
    });
    this.#headers = creds.token ? { authorization: `Bearer ${creds.token}` } : {};
    this.#userAgent = creds.userAgent ?? "mcp-testenv/1";
  }

  static async fromFiles(
    server: string,
    caFile: string,
    certFile: string,
    keyFile: string,
  ): Promise<Kube> {
    return new Kube(server, {
      caCert: await Deno.readTextFile(caFile),
      cert: await Deno.readTextFile(certFile),
      key: await Deno.readTextFile(keyFile),
    });
  }

  close(): void {
    this.#client.close();
  }

  async raw(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<{ status: number; text: string }> {
    const res = await fetch(this.server + path, {
      method,
      client: this.#client,
      headers: {
        ...this.#headers,
        accept: "application/json",
        "user-agent": this.#userAgent,
        ...(body === undefined ? {} : { "content-type": contentType }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }

  // deno-lint-ignore no-explicit-any
  async request(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const r = await this.raw(method, path, body, contentType);
    if (r.status < 200 || r.status > 299) {
      throw new KubeError(r.status, r.text, `${method} ${path}`);
    }
    return r.text === "" ? null : JSON.parse(r.text);
  }

  // deno-lint-ignore no-explicit-any
  get(path: string): Promise<any> {
    return this.request("GET", path);
  }

  // deno-lint-ignore no-explicit-any
  create(path: string, obj: unknown): Promise<any> {
    return this.request("POST", path, obj);
  }

  // deno-lint-ignore no-explicit-any
  mergePatch(path: string, patch: unknown): Promise<any> {
    return this.request("PATCH", path, patch, "application/merge-patch+json");
  }

  // deno-lint-ignore no-explicit-any
  strategicPatch(path: string, patch: unknown): Promise<any> {
    return this.request("PATCH", path, patch, "application/strategic-merge-patch+json");
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function pool<T>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
