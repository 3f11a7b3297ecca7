// The connector: how bytes reach one API server. Deno's own fetch with Deno.createHttpClient covers the common
// kubeconfig (CA, client certificate and key, HTTP(S) proxy) at no load cost and speaks HTTP/2;
// undici (~150-450 ms to load) is used only for what Deno's client cannot do: a cluster with
// insecure-skip-tls-verify or tls-server-name, or a SOCKS proxy.

import { loadUndici } from "../deps.ts";
import type { Credential, TlsSettings } from "./credentials.ts";
import { connectionError, KubeConnectionError } from "./errors.ts";

export interface Connector {
  fetch(url: URL, init: RequestInit & { signal: AbortSignal }, cred: Credential): Promise<Response>;
  /** Drops pooled connections (after a connection or TLS failure, or when the client is gone). */
  reset(): void;
  /**
   * A fresh HTTP/1.1 connection to the server (TLS when https), for a protocol upgrade (port
   * forwarding). Never pooled.
   */
  dial(cred: Credential): Promise<RawConn>;
}

/** A duplex byte connection: what an upgraded protocol runs on. */
export interface RawConn {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  close(): void;
}

/**
 * The raw connection an upgrade needs: Deno's TLS with the kubeconfig's CA and client cert;
 * node:tls (loaded then) for what Deno's cannot do: a proxy-url, insecure-skip-tls-verify or
 * tls-server-name.
 */
async function dial(tls: TlsSettings, cred: Credential): Promise<RawConn> {
  if (tls.proxyUrl || tls.insecure || tls.servername) {
    const { dialNode } = await import("./dial_node.ts");
    return await dialNode(tls, cred);
  }
  const url = new URL(tls.server);
  const secure = url.protocol === "https:";
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port) || (secure ? 443 : 80);
  try {
    if (!secure) return await Deno.connect({ hostname, port });
    const conn = await Deno.connectTls({
      hostname,
      port,
      ...(tls.ca ? { caCerts: [tls.ca] } : {}),
      ...(cred.cert && cred.key ? { cert: cred.cert, key: cred.key } : {}),
      // Upgrades are HTTP/1.1 only.
      alpnProtocols: ["http/1.1"],
    });
    await conn.handshake();
    return conn;
  } catch (e) {
    throw connectionError(e, tls.server, 0);
  }
}

export function createConnector(tls: TlsSettings): Connector {
  if (tls.proxyUrl?.startsWith("socks")) {
    throw new KubeConnectionError(
      "unreachable",
      `the kubeconfig's proxy-url ${tls.proxyUrl} is a SOCKS proxy, which is not supported; ` +
        `use an HTTP proxy`,
      tls.server,
    );
  }
  const needsUndici = tls.server.startsWith("https:") && (tls.insecure || tls.servername);
  return needsUndici ? new UndiciConnector(tls) : new DenoConnector(tls);
}

/** Clients keyed by client certificate: an exec plugin may hand out a new one. */
abstract class KeyedConnector<C> implements Connector {
  #current?: { key: string; client: C };

  constructor(protected readonly tls: TlsSettings) {}

  protected abstract make(cred: Credential): C | Promise<C>;
  protected abstract close(client: C): void;
  abstract fetch(
    url: URL,
    init: RequestInit & { signal: AbortSignal },
    cred: Credential,
  ): Promise<Response>;

  protected async client(cred: Credential): Promise<C> {
    const key = `${cred.cert ?? ""}\u0000${cred.key ?? ""}`;
    if (this.#current?.key !== key) {
      const old = this.#current;
      this.#current = { key, client: await this.make(cred) };
      // Requests in flight on the old client finish; a minute is beyond any request timeout.
      if (old) setTimeout(() => this.close(old.client), 60_000);
    }
    return this.#current.client;
  }

  reset(): void {
    const old = this.#current;
    this.#current = undefined;
    if (old) setTimeout(() => this.close(old.client), 60_000);
  }

  /** A tunnel's raw connection: the same TLS settings, whichever client does the fetches. */
  dial(cred: Credential): Promise<RawConn> {
    return dial(this.tls, cred);
  }
}

function proxyOf(url: string): Deno.Proxy {
  const u = new URL(url);
  const basicAuth = u.username
    ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) }
    : undefined;
  u.username = "";
  u.password = "";
  return { url: u.href, ...(basicAuth ? { basicAuth } : {}) };
}

class DenoConnector extends KeyedConnector<Deno.HttpClient> {
  protected make(cred: Credential): Deno.HttpClient {
    const tls = this.tls;
    const options: Deno.CreateHttpClientOptions = {
      ...(tls.ca ? { caCerts: [tls.ca] } : {}),
      ...(tls.proxyUrl ? { proxy: proxyOf(tls.proxyUrl) } : {}),
    };
    return cred.cert && cred.key
      ? Deno.createHttpClient({ ...options, cert: cred.cert, key: cred.key })
      : Deno.createHttpClient(options);
  }

  protected close(client: Deno.HttpClient): void {
    client.close();
  }

  async fetch(
    url: URL,
    init: RequestInit & { signal: AbortSignal },
    cred: Credential,
  ): Promise<Response> {
    return await fetch(url, { ...init, client: await this.client(cred) });
  }
}

type Undici = Awaited<ReturnType<typeof loadUndici>>;
type Dispatcher = InstanceType<Undici["Dispatcher"]>;

class UndiciConnector extends KeyedConnector<{ undici: Undici; dispatcher: Dispatcher }> {
  protected async make(cred: Credential): Promise<{ undici: Undici; dispatcher: Dispatcher }> {
    const undici = await loadUndici();
    const tls = this.tls;
    const connect = {
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(cred.cert ? { cert: cred.cert } : {}),
      ...(cred.key ? { key: cred.key } : {}),
      ...(tls.insecure ? { rejectUnauthorized: false } : {}),
      ...(tls.servername ? { servername: tls.servername } : {}),
    };
    const dispatcher = tls.proxyUrl
      ? new undici.ProxyAgent({ uri: tls.proxyUrl, requestTls: connect })
      : new undici.Agent({
        connect: { ...connect, keepAlive: true, keepAliveInitialDelay: 30000 },
      });
    return { undici, dispatcher };
  }

  protected close(client: { dispatcher: Dispatcher }): void {
    client.dispatcher.close().catch(() => {});
  }

  async fetch(
    url: URL,
    init: RequestInit & { signal: AbortSignal },
    cred: Credential,
  ): Promise<Response> {
    const { undici, dispatcher } = await this.client(cred);
    return await undici.fetch(url, {
      method: init.method,
      headers: init.headers as Record<string, string>,
      signal: init.signal,
      dispatcher,
    }) as unknown as Response;
  }
}
