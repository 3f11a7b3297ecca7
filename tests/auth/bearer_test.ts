import assert from "node:assert/strict";
import { bearerAuth } from "../../src/auth/bearer.ts";
import { tokenKey } from "../../src/auth/identity.ts";

const req = (authorization?: string) =>
  new Request("http://127.0.0.1/mcp", {
    method: "POST",
    headers: authorization === undefined ? {} : { authorization },
  });

Deno.test("bearerAuth: a Bearer token becomes AuthInfo with a hashed client id", async () => {
  const auth = await bearerAuth(req("Bearer abc.DEF-123_~+/="));
  assert.ok(!(auth instanceof Response));
  assert.equal(auth.token, "abc.DEF-123_~+/=");
  assert.equal(auth.clientId, (await tokenKey("abc.DEF-123_~+/=")).slice(0, 16));
  const lower = await bearerAuth(req("bearer   xyz"));
  assert.ok(!(lower instanceof Response) && lower.token === "xyz");
});

Deno.test("bearerAuth: missing or malformed is 401 + WWW-Authenticate + JSON-RPC, no echo", async () => {
  const cases: [string | undefined, string][] = [
    [undefined, ""],
    ["Basic c2VjcmV0LXZhbHVl", "c2VjcmV0LXZhbHVl"],
    ["Bearer", ""],
    ["Bearer secret-one secret-two", "secret-one"],
    ["Bearer séc-ret", "séc-ret"],
  ];
  for (const [header, secret] of cases) {
    const res = await bearerAuth(req(header));
    assert.ok(res instanceof Response, String(header));
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer realm="mcp-kubernetes-ro"/);
    const body = await res.json();
    assert.equal(body.jsonrpc, "2.0");
    assert.equal(body.id, null);
    assert.match(body.error.message, /Bearer <token>/);
    if (secret) assert.ok(!JSON.stringify(body).includes(secret), "the token is not echoed");
  }
});
