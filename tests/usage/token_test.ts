import assert from "node:assert/strict";
import { decodeToken, encodeToken, paginate } from "../../src/usage/token.ts";

Deno.test("encodeToken() writes the reference's format", () => {
  assert.equal(encodeToken({ offset: 5, type: "node" }), "eyJvZmZzZXQiOjUsInR5cGUiOiJub2RlIn0=");
  assert.equal(
    encodeToken({ offset: 10, type: "pod", namespace: "kube-system" }),
    "eyJvZmZzZXQiOjEwLCJ0eXBlIjoicG9kIiwibmFtZXNwYWNlIjoia3ViZS1zeXN0ZW0ifQ==",
  );
});

Deno.test("decodeToken() round-trips and resets when the namespace changes", () => {
  const t = encodeToken({ offset: 10, type: "pod", namespace: "a" });
  assert.equal(decodeToken(t, "pod", "a"), 10);
  assert.equal(decodeToken(t, "pod", "b"), 0);
  assert.equal(decodeToken(undefined, "node"), 0);
  assert.equal(decodeToken(btoa('{"offset":3,"type":"pod","namespace":""}'), "pod", ""), 3);
});

Deno.test("decodeToken() rejects malformed, negative and foreign tokens", () => {
  const cases: [string, "node" | "pod", RegExp][] = [
    ["not base64 at all!", "node", /invalid continue token/],
    [btoa("not json"), "node", /invalid continue token/],
    [btoa('{"offset":-1,"type":"node"}'), "node", /whole number of 0 or more/],
    [btoa('{"offset":"5","type":"node"}'), "node", /whole number of 0 or more/],
    [btoa('{"offset":1.5,"type":"node"}'), "node", /whole number of 0 or more/],
    [encodeToken({ offset: 1, type: "node" }), "pod", /not valid for pod metrics/],
  ];
  for (const [token, type, message] of cases) {
    assert.throws(() => decodeToken(token, type), message, token);
  }
});

Deno.test("paginate() walks every item once, and ignores tokens without a limit", () => {
  const items = Array.from({ length: 23 }, (_, i) => i);
  const seen: number[] = [];
  let token: string | undefined;
  do {
    const page = paginate(items, { limit: 5, continue: token, type: "pod", namespace: "x" });
    seen.push(...page.items);
    token = page.continue;
  } while (token);
  assert.deepEqual(seen, items);
  assert.deepEqual(paginate(items, { continue: "garbage", type: "node" }).items, items);
});
