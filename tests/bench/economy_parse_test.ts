import assert from "node:assert/strict";
import { listed, mustList, tableRows } from "../../scripts/bench/economy/parse.ts";

Deno.test("tableRows() cuts rows at the header's columns, cells with spaces included", () => {
  const text = `NAME          STATUS     ROLES    AGE     OS-IMAGE
fake-node-1   Ready      worker   2m50s   Debian GNU/Linux 12 (bookworm)
fake-node-2   NotReady   worker   2m50s   Debian GNU/Linux 12 (bookworm)
`;
  const rows = tableRows(text);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[1], {
    NAME: "fake-node-2",
    STATUS: "NotReady",
    ROLES: "worker",
    AGE: "2m50s",
    "OS-IMAGE": "Debian GNU/Linux 12 (bookworm)",
  });
  assert.deepEqual(tableRows("no table here"), []);
});

Deno.test("listed() reads names (and namespaces) from every server's list shape", () => {
  // The Go server: names only; across namespaces with title_only=false, metadata.
  assert.deepEqual(listed('{"count":2,"items":[{"name":"a"},{"name":"b"}]}'), [
    { name: "a" },
    { name: "b" },
  ]);
  assert.deepEqual(
    listed(
      JSON.stringify({
        items: [{ kind: "Deployment", metadata: { name: "web", namespace: "mcp-test" } }],
      }),
    ),
    [{ name: "web", namespace: "mcp-test" }],
  );
  // Flux159: items with name, namespace and status.
  assert.deepEqual(listed('{"items":[{"name":"x","namespace":"n","status":"Running"}]}'), [
    { name: "x", namespace: "n" },
  ]);
  // containers: a kubectl table with NAMESPACE and NAME.
  const table = "NAMESPACE   APIVERSION   KIND   NAME\nmcp-test    v1           Pod    worker\n";
  assert.deepEqual(listed(table).map(({ name, namespace }) => ({ name, namespace })), [
    { name: "worker", namespace: "mcp-test" },
  ]);
});

Deno.test("mustList() says what it could not read", () => {
  assert.throws(
    () => mustList('{"items":[]}', "pods"),
    /no pods could be read from: \{"items":\[\]\}/,
  );
  assert.throws(() => mustList("Error: forbidden", "nodes"), /no nodes could be read/);
});
