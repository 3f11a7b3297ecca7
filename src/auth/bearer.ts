// Passthrough's gate on the HTTP transports: every MCP request must carry
// `Authorization: Bearer <token>`; without one it is answered 401 with `WWW-Authenticate:
// Bearer` and a JSON-RPC error, and reaches no tool. The token goes on only inside the caller's
// Identity (and AuthInfo.token, which the SDK requires); it is never logged or echoed, and
// AuthInfo.clientId is a prefix of its SHA-256.

import type { AuthInfo } from "../deps.ts";
import { Identity } from "./identity.ts";

/** RFC 6750 b64token. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function unauthorized(error: "invalid_request" | "invalid_token", message: string): Response {
  return Response.json({ jsonrpc: "2.0", error: { code: -32001, message }, id: null }, {
    status: 401,
    headers: {
      "www-authenticate": `Bearer realm="mcp-kubernetes-ro", error="${error}"`,
    },
  });
}

/** The caller's AuthInfo, or the 401 to answer with. */
export async function bearerAuth(req: Request): Promise<AuthInfo | Response> {
  const header = req.headers.get("authorization");
  if (header === null) {
    return unauthorized(
      "invalid_request",
      "Unauthorized: this server runs with --auth=passthrough; send your Kubernetes bearer " +
        "token as Authorization: Bearer <token>",
    );
  }
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!m || !B64TOKEN.test(m[1]!)) {
    return unauthorized(
      "invalid_request",
      "Unauthorized: the Authorization header is not of the form Bearer <token>",
    );
  }
  return (await Identity.fromToken(m[1]!)).authInfo();
}
