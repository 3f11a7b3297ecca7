// Typed failures of the Kubernetes layer. Messages never carry credentials: only the method,
// the API path (which holds no secrets) and what the API server or the network said.

/** The API server answered with a non-2xx status. */
export class KubeApiError extends Error {
  override name = "KubeApiError";
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The request never got an HTTP answer: DNS, refused, TLS, timeout, proxy, credentials plugin. */
export class KubeConnectionError extends Error {
  override name = "KubeConnectionError";
  constructor(
    readonly kind: "timeout" | "tls" | "unreachable" | "credentials",
    message: string,
    readonly server: string,
  ) {
    super(message);
  }
}

/** A request this server refuses to make: every method but GET, outside the allow-list. */
export class ReadOnlyViolation extends Error {
  override name = "ReadOnlyViolation";
}

/** A request path that would reach somewhere else than its parts say (dot segments, "%2F"). */
export class PathError extends Error {
  override name = "PathError";
}

/** The type is blocked by --disabled-resources. */
export class ResourceDisabledError extends Error {
  override name = "ResourceDisabledError";
}

function causeChain(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let i = 0; cur instanceof Error && i < 5; i++) {
    const code = (cur as { code?: unknown }).code;
    parts.push(typeof code === "string" ? `${cur.message} (${code})` : cur.message);
    cur = cur.cause;
  }
  return parts.filter((p) => p && p !== "fetch failed").join(": ") || String(e);
}

/** Classifies a fetch failure so the message can say what to check. */
export function connectionError(e: unknown, server: string, timeoutMs: number): Error {
  if (e instanceof DOMException && e.name === "TimeoutError") {
    return new KubeConnectionError(
      "timeout",
      `the request to ${server} timed out after ${timeoutMs / 1000}s; ` +
        `narrow the query (limit, selectors) or raise --request-timeout`,
      server,
    );
  }
  if (e instanceof DOMException && e.name === "AbortError") return e;
  const detail = causeChain(e);
  if (/certificate|x509|self[- ]signed|SSL|TLS|ERR_TLS|UNABLE_TO_VERIFY/i.test(detail)) {
    return new KubeConnectionError(
      "tls",
      `TLS with ${server} failed: ${detail}; check the cluster's certificate-authority ` +
        `in the kubeconfig`,
      server,
    );
  }
  return new KubeConnectionError(
    "unreachable",
    `cannot reach the Kubernetes API server at ${server}: ${detail}`,
    server,
  );
}

/** The resource type could not be resolved; the message carries suggestions. */
export class ResourceTypeError extends Error {
  override name = "ResourceTypeError";
}

/** A context name that is not in the kubeconfig, or a kubeconfig without a current context. */
export class ContextError extends Error {
  override name = "ContextError";
}
