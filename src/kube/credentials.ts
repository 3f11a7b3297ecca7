// What a request needs from the kubeconfig: the cluster's TLS settings (read once per client) and
// the user's credentials (per request, so plugin tokens refresh). client-node's authenticators
// (exec, token file, azure, gcp; oidc loaded only when a user needs it) produce the dynamic part;
// the static fields (CA, client certificate, token, basic auth, impersonation) map one to one
// onto what KubeConfig.applyOptions does with them.

import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { type Cluster, loadAuthPlugin, loadOidcAuth, type User } from "../deps.ts";
import { abortable } from "./abortable.ts";
import { KubeConnectionError } from "./errors.ts";
import { type Authenticator, BoundedExecAuth, describe, ExecPluginError } from "./exec_plugin.ts";
import { excerpt } from "../text/redact_credentials.ts";

/** What one request sends: headers, and a client certificate when the user has one. */
export interface Credential {
  headers: Record<string, string>;
  cert?: string;
  key?: string;
}

/**
 * The seam for credentials: the kubeconfig's user below, or (for a caller's own token) any
 * object that returns headers. `signal` bounds the work (a plugin is stopped when it aborts).
 */
export interface CredentialSource {
  get(signal: AbortSignal): Promise<Credential>;
}

export interface TlsSettings {
  /** The server URL without a trailing slash. */
  server: string;
  ca?: string;
  insecure: boolean;
  servername?: string;
  proxyUrl?: string;
}

const isTimeout = (e: unknown) => e instanceof DOMException && e.name === "TimeoutError";

/** client-node's bufferFromFileOrString: a file path wins over base64 data. */
function pem(file: string | undefined, data: string | undefined): string | undefined {
  if (file) return readFileSync(file, "utf8");
  if (data) return Buffer.from(data, "base64").toString("utf8");
  return undefined;
}

function fileError(server: string, e: unknown): KubeConnectionError {
  return new KubeConnectionError(
    "credentials",
    `cannot read a certificate file of the kubeconfig for ${server}: ` +
      `${excerpt(e instanceof Error ? e.message : String(e))}`,
    server,
  );
}

export function tlsSettings(cluster: Cluster): TlsSettings {
  const server = cluster.server.replace(/\/+$/, "");
  try {
    return {
      server,
      ca: pem(cluster.caFile, cluster.caData),
      insecure: cluster.skipTLSVerify === true,
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
      ...(cluster.proxyUrl ? { proxyUrl: cluster.proxyUrl } : {}),
    };
  } catch (e) {
    throw fileError(server, e);
  }
}

/** The kubeconfig user's credentials. One instance per client: plugin caches live here. */
export class KubeconfigCredentials implements CredentialSource {
  readonly #user: User | undefined;
  readonly #server: string;
  readonly #static: Credential;
  #plugin?: Promise<Authenticator | BoundedExecAuth | undefined>;
  #inflight?: Promise<Credential>;

  constructor(user: User | undefined, server: string) {
    this.#user = user;
    this.#server = server;
    const headers: Record<string, string> = {};
    let cert: string | undefined, key: string | undefined;
    try {
      cert = user && pem(user.certFile, user.certData);
      key = user && pem(user.keyFile, user.keyData);
    } catch (e) {
      throw fileError(server, e);
    }
    if (user?.impersonateUser) headers["Impersonate-User"] = user.impersonateUser;
    this.#static = { headers, ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  }

  #authenticator(): Promise<Authenticator | BoundedExecAuth | undefined> {
    const user = this.#user;
    // The same choice, in the same order, as KubeConfig's authenticators list.
    this.#plugin ??= (async (): Promise<Authenticator | BoundedExecAuth | undefined> => {
      if (!user?.exec && !user?.authProvider) return undefined;
      const provider = user.authProvider?.name;
      if (provider === "azure") return new (await loadAuthPlugin.azure())();
      if (provider === "gcp") return new (await loadAuthPlugin.gcp())();
      if (user.exec || provider === "exec" || user.authProvider?.config?.exec) {
        return new BoundedExecAuth(await loadAuthPlugin.exec());
      }
      if (user.authProvider?.config?.tokenFile) {
        return new (await loadAuthPlugin.file())() as unknown as Authenticator;
      }
      if (provider === "oidc") return new (await loadOidcAuth())();
      return undefined;
    })();
    return this.#plugin;
  }

  async #acquire(signal: AbortSignal): Promise<Credential> {
    const user = this.#user;
    const opts: Record<string, unknown> & { headers: Record<string, string> } = {
      headers: { ...this.#static.headers },
    };
    const auth = await this.#authenticator();
    if (auth && user) {
      try {
        if (auth instanceof BoundedExecAuth) await auth.applyAuthentication(user, opts, signal);
        else await abortable(auth.applyAuthentication(user, opts), signal);
      } catch (e) {
        if (signal.aborted && e === signal.reason && !(e instanceof ExecPluginError)) throw e;
        const why = e instanceof ExecPluginError
          ? e.message
          : excerpt(e instanceof Error ? e.message : String(e)) ||
            "the credential provider failed without saying why";
        throw new KubeConnectionError(
          "credentials",
          `cannot get credentials for ${this.#server}: ${why}`,
          this.#server,
        );
      }
    }
    const headers = opts.headers;
    if (user?.token) headers.Authorization = `Bearer ${user.token}`;
    if (user?.username) {
      headers.Authorization = `Basic ${
        Buffer.from(`${user.username}:${user.password}`).toString("base64")
      }`;
    }
    const cert = typeof opts.cert === "string" ? opts.cert : this.#static.cert;
    const key = typeof opts.key === "string" ? opts.key : this.#static.key;
    return { headers, ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  }

  /**
   * The credential for one request. Callers share one acquisition (one plugin run), bounded by
   * the first caller's signal; each caller still stops waiting when its own signal aborts.
   */
  get(signal: AbortSignal): Promise<Credential> {
    if (
      !this.#user?.exec && !this.#user?.authProvider && !this.#user?.token &&
      !this.#user?.username
    ) {
      return Promise.resolve(this.#static);
    }
    if (!this.#inflight) {
      const p = this.#acquire(signal);
      this.#inflight = p;
      p.catch(() => {}).finally(() => this.#inflight === p && (this.#inflight = undefined));
    }
    return abortable(this.#inflight, signal).catch((e) => {
      if (!(signal.aborted && e === signal.reason && isTimeout(e))) throw e;
      const who = this.#user?.exec || this.#user?.authProvider?.config?.exec
        ? `${describe(this.#user!)} gave no credentials in time; it was stopped`
        : `the kubeconfig user's credential provider gave no credentials in time`;
      throw new KubeConnectionError(
        "timeout",
        `cannot get credentials for ${this.#server} within the request timeout: ${who}. It may ` +
          `be waiting for an interactive login: log in outside the MCP client, then try again`,
        this.#server,
      );
    });
  }
}
